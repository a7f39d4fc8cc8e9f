"""The request form: the same fields for a newcomer on the public site and for a referrer in the workspace.

The form checks what was typed, with messages in the person's language; the service
decides. Sizes are limited in the form (`maxlength`) and again in the service.
"""

import secrets

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from intake import services
from intake.consent import CURRENT_CONSENT_VERSION, consent_text
from intake.models import CallTime, Relationship
from lib.text import fold
from network.models import Theme

DONT_KNOW = ""


def new_submission_token() -> str:
    return secrets.token_urlsafe(24)


class RequestForm(forms.Form):
    first_name = forms.CharField(
        label=_("Come ti chiamiamo?"),
        max_length=services.MAX_FIRST_NAME,
        help_text=_("Solo il nome o un soprannome, mai il cognome."),
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    phone = forms.CharField(
        label=_("Telefono"),
        max_length=services.MAX_PHONE,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.CharField(
        label=_("E-mail"),
        max_length=services.MAX_EMAIL,
        required=False,
        help_text=_("Almeno uno tra telefono ed e-mail."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    call_times = forms.TypedMultipleChoiceField(
        label=_("Quando preferisci essere chiamato o chiamata?"),
        choices=CallTime.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    call_note = forms.CharField(
        label=_("Altro sugli orari"),
        max_length=services.MAX_CALL_NOTE,
        required=False,
        help_text=_("Per esempio: «non prima delle 10»."),
    )
    theme = forms.ChoiceField(label=_("Per quale tema?"), required=False)
    town = forms.CharField(
        label=_("In quale comune?"), max_length=services.MAX_TOWN, required=False, widget=forms.TextInput()
    )
    relationship = forms.ChoiceField(
        label=_("La richiesta è"),
        choices=Relationship.choices,
        initial=Relationship.AFFECTED,
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label=_("Vuoi aggiungere qualcosa?"),
        max_length=services.MAX_MESSAGE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Non scrivere qui dettagli sulla tua salute o su quella di altri: ne parlerai a voce, se vorrai."),
    )
    consent = forms.BooleanField(
        label=consent_text(CURRENT_CONSENT_VERSION),
        error_messages={"required": _("Serve il tuo consenso al trattamento dei dati per poter inviare la richiesta.")},
    )
    # Left empty by people (it is hidden), filled by programs that fill every field.
    website = forms.CharField(
        label=_("Non compilare questo campo"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    group = forms.SlugField(widget=forms.HiddenInput, required=False, max_length=120)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        themes = sorted(Theme.objects.all(), key=lambda theme: fold(theme.name))
        self.fields["theme"].choices = [(DONT_KNOW, _("Non lo so")), *((theme.slug, theme.name) for theme in themes)]
        self.fields["consent"].label = consent_text(CURRENT_CONSENT_VERSION)

    def clean_first_name(self) -> str:
        return self._service_check(services.clean_first_name, self.cleaned_data["first_name"])

    def clean_phone(self) -> str:
        return self._service_check(services.clean_phone, self.cleaned_data["phone"])

    def clean_email(self) -> str:
        return self._service_check(services.clean_email, self.cleaned_data["email"])

    def clean_theme(self) -> Theme | None:
        slug = self.cleaned_data.get("theme") or ""
        return Theme.objects.filter(slug=slug).first() if slug else None

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise ValidationError(_("Questo campo deve restare vuoto: cancellalo e invia di nuovo la richiesta."))
        return ""

    def clean(self):
        data = super().clean()
        typed_badly = "phone" in self.errors or "email" in self.errors
        if not typed_badly and not data.get("phone") and not data.get("email"):
            self.add_error("phone", _("Lascia almeno un modo per ricontattarti: un telefono o un indirizzo e-mail."))
        data["call_times"] = sum(set(data.get("call_times") or []))
        return data

    @staticmethod
    def _service_check(check, value):
        try:
            return check(value)
        except ValidationError as error:
            raise ValidationError(error.messages) from None

    def submit_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "first_name": data["first_name"],
            "email": data["email"],
            "phone": data["phone"],
            "call_times": data["call_times"],
            "call_note": data["call_note"],
            "theme": data["theme"],
            "town": data["town"],
            "relationship": data["relationship"],
            "message": data["message"],
            "consent_version": CURRENT_CONSENT_VERSION,
            "submission_token": data["token"],
        }


class ReferralForm(RequestForm):
    """A referring professional files the request on the person's behalf, with their agreement."""

    person_agreed = forms.BooleanField(
        label=_("La persona è d'accordo a essere ricontattata dall'associazione e le ho letto l'informativa."),
        error_messages={"required": _("Serve l'accordo della persona: chiediglielo prima di inviare.")},
    )
    association = forms.TypedChoiceField(label=_("Associazione"), coerce=int)

    def __init__(self, *args, associations=(), **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["website"]
        del self.fields["group"]
        self.fields["first_name"].label = _("Nome o soprannome della persona")
        self.fields["relationship"].label = _("La persona chiede")
        self.fields["relationship"].choices = [
            ("affected", _("per sé")),
            ("family", _("per un familiare o una persona cara")),
        ]
        self.fields["message"].label = _("Nota per l'accoglienza")
        self.fields["consent"].label = _(
            "La persona ha dato il consenso al trattamento dei dati, compreso il tema (art. 9 del GDPR)."
        )
        self.fields["association"].choices = [(association.pk, association.name) for association in associations]
        if len(self.fields["association"].choices) == 1:
            self.fields["association"].widget = forms.HiddenInput()
            self.fields["association"].initial = self.fields["association"].choices[0][0]

    def clean_website(self) -> str:
        return ""
