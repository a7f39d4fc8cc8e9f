"""Forms of the founding path: the way to start, the agreements, the counts, the follow-up defaults.

Forms check what was typed and keep it; the services decide (network.agreements,
founding.services) and their refusals come back onto the fields they concern.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from network.agreements import LARGE_SIZE, MAX_SIZE, MIN_SIZE, agreements_of
from network.models import Audience, Entry, FacilitatorKind, Group, GroupAgreements, Joining, StartMode, Theme
from workspace.forms import DateInput, TimeInput

# What each way means, under its choice.
WAY_HINTS = {
    StartMode.ON_REQUEST: _("Più persone hanno chiesto all'associazione un gruppo su questo tema."),
    StartMode.TARGETED: _("Servizi e professionisti invitano persone che seguono. Si contano gli inviti, mai i nomi."),
    StartMode.OPEN_INVITATION: _(
        "Un invito a tutta la popolazione: locandine, stampa, un evento, un incontro di avvio."
    ),
    StartMode.FOURTH_WAY: _("Alcuni futuri partecipanti promuovono il gruppo e ne sono co-fondatori."),
    StartMode.SPONTANEOUS: _("Un gruppo che esiste già chiede di entrare nella rete."),
}


def add_refusal_to_fields(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal on the fields it names (or on the whole form), keeping what was typed."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            target = name if name in form.fields else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


class StartForm(forms.Form):
    start_mode = forms.ChoiceField(label=_("Come nasce il gruppo"), choices=StartMode.choices, widget=forms.RadioSelect)
    name = forms.CharField(label=_("Nome del gruppo"), max_length=200)
    themes = forms.ModelMultipleChoiceField(
        label=_("Aree tematiche"), queryset=Theme.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    audience = forms.ChoiceField(
        label=_("Per chi è"), choices=Audience.choices, initial=Audience.AFFECTED, widget=forms.RadioSelect
    )
    description = forms.CharField(
        label=_("Descrizione pubblica"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Il tema in parole semplici e chi può partecipare. Mai nomi o recapiti personali."),
    )

    def __init__(self, *args, group: Group | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if group is not None:  # the group exists already: only the way is chosen
            for name in ("name", "themes", "audience", "description"):
                del self.fields[name]


class AgreementsForm(forms.Form):
    """Everything a group must agree, in one page (the rhythm has its own page)."""

    venue = forms.ModelChoiceField(label=_("Sede degli incontri"), queryset=None, required=False)
    entry = forms.ChoiceField(label=_("Ingresso"), choices=Entry.choices, widget=forms.RadioSelect)
    entry_moments = forms.CharField(
        label=_("Momenti di ingresso"),
        max_length=200,
        required=False,
        help_text=_("Solo per un gruppo chiuso: per esempio «a gennaio e a settembre»."),
    )
    joining = forms.ChoiceField(
        label=_("Come entrano le nuove persone"), choices=Joining.choices, widget=forms.RadioSelect, required=False
    )
    max_size = forms.IntegerField(
        label=_("Numero massimo di partecipanti"),
        help_text=_("Da 3 a 20; di solito non più di 12, perché tutti possano parlare."),
    )
    audience = forms.ChoiceField(label=_("Per chi è"), choices=Audience.choices, widget=forms.RadioSelect)
    family_may_attend = forms.ChoiceField(
        label=_("Possono partecipare i familiari?"),
        choices=[("", _("Non ancora deciso")), ("yes", _("Sì")), ("no", _("No"))],
        widget=forms.RadioSelect,
        required=False,
    )
    facilitator_kind = forms.ChoiceField(
        label=_("Tipo di facilitazione"), choices=FacilitatorKind.choices, widget=forms.RadioSelect
    )
    facilitator_count = forms.IntegerField(label=_("Quanti facilitatori"), required=False)
    ama_rules_accepted = forms.BooleanField(
        label=_(
            "Il gruppo adotta le regole dell'auto mutuo aiuto: accoglienza, gratuità, riservatezza, uno alla volta"
        ),
        required=False,
    )
    own_rules = forms.CharField(
        label=_("Regole proprie del gruppo"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Una per riga. Solo regole di funzionamento: mai nomi né ciò che si dice negli incontri."),
    )
    contact_through_association = forms.BooleanField(
        label=_("Il pubblico contatta il gruppo sempre tramite l'associazione, mai con un numero personale"),
        required=False,
    )
    self_led = forms.BooleanField(label=_("È autogestito"), required=False)
    meets_regularly = forms.BooleanField(label=_("Si incontra regolarmente"), required=False)
    voluntary = forms.BooleanField(label=_("La partecipazione è libera e volontaria"), required=False)
    not_for_profit = forms.BooleanField(label=_("È gratuito e senza scopo di lucro"), required=False)
    confidential = forms.BooleanField(label=_("Mantiene la riservatezza verso l'esterno"), required=False)
    first_meeting_date = forms.DateField(label=_("Data del primo incontro"), widget=DateInput(), required=False)
    first_meeting_time = forms.TimeField(label=_("Ora del primo incontro"), widget=TimeInput(), required=False)
    first_meeting_venue = forms.ModelChoiceField(
        label=_("Sede del primo incontro"),
        queryset=None,
        required=False,
        help_text=_("Lascia vuoto se è la sede abituale del gruppo."),
    )

    CRITERIA = GroupAgreements.CRITERIA
    # The page's sections, in order.
    SECTIONS = {
        "who": ("entry", "entry_moments", "joining", "max_size", "audience", "family_may_attend"),
        "facilitation": ("facilitator_kind", "facilitator_count"),
        "rules": ("ama_rules_accepted", "own_rules", "contact_through_association"),
        "criteria": GroupAgreements.CRITERIA,
        "first": ("first_meeting_date", "first_meeting_time", "first_meeting_venue"),
    }

    @property
    def sections(self) -> dict:
        return {key: [self[name] for name in names] for key, names in self.SECTIONS.items()}

    def __init__(self, *args, group: Group, **kwargs):
        self.group = group
        agreements = agreements_of(group)
        if not args or args[0] is None:
            kwargs.setdefault("initial", self.initial_for(group, agreements))
        super().__init__(*args, **kwargs)
        venues = group.association.venues.order_by("comune", "name")
        self.fields["venue"].queryset = venues
        self.fields["first_meeting_venue"].queryset = venues
        self.current_first = agreements.first_meeting_at

    @staticmethod
    def initial_for(group: Group, agreements: GroupAgreements) -> dict:
        zone = ZoneInfo(settings.CERCHIO_DEFAULT_TIMEZONE)
        first = agreements.first_meeting_at.astimezone(zone) if agreements.first_meeting_at else None
        family = {True: "yes", False: "no"}.get(agreements.family_may_attend, "")
        initial = {
            "venue": group.venue_id,
            "entry": group.entry,
            "max_size": group.max_size,
            "audience": group.audience,
            "facilitator_kind": group.facilitator_kind,
            "family_may_attend": family,
            "first_meeting_date": first.date() if first else None,
            "first_meeting_time": first.time().replace(second=0, microsecond=0) if first else None,
            "first_meeting_venue": agreements.first_meeting_venue_id,
        }
        for name in (
            "entry_moments",
            "joining",
            "facilitator_count",
            "ama_rules_accepted",
            "own_rules",
            "contact_through_association",
            *GroupAgreements.CRITERIA,
        ):
            initial[name] = getattr(agreements, name)
        return initial

    def clean(self):
        data = super().clean()
        if data.get("entry") == Entry.CLOSED and not (data.get("entry_moments") or "").strip():
            self.add_error("entry_moments", _("Un gruppo chiuso deve dire quando entrano le nuove persone."))
        size = data.get("max_size")
        if size is not None and not MIN_SIZE <= size <= MAX_SIZE:
            self.add_error("max_size", _("Il numero massimo va da 3 a 20 partecipanti."))
        count = data.get("facilitator_count")
        if count is not None and not 1 <= count <= 5:
            self.add_error("facilitator_count", _("I facilitatori sono da 1 a 5."))
        day, at = data.get("first_meeting_date"), data.get("first_meeting_time")
        data["first_meeting_at"] = None
        if (
            bool(day) != bool(at)
            and "first_meeting_date" not in self.errors
            and "first_meeting_time" not in self.errors
        ):
            self.add_error(
                "first_meeting_date" if not day else "first_meeting_time", _("Indica sia la data sia l'ora.")
            )
        elif day and at:
            first = datetime.combine(day, at, tzinfo=ZoneInfo(settings.CERCHIO_DEFAULT_TIMEZONE))
            if first != self.current_first and first <= timezone.now():
                self.add_error("first_meeting_date", _("Il primo incontro deve essere nel futuro."))
            data["first_meeting_at"] = first
        return data

    @property
    def is_large(self) -> bool:
        return (self.cleaned_data.get("max_size") or 0) > LARGE_SIZE

    def service_values(self) -> dict:
        data = self.cleaned_data
        values = {
            name: data[name]
            for name in (
                "venue",
                "entry",
                "entry_moments",
                "joining",
                "max_size",
                "audience",
                "facilitator_kind",
                "facilitator_count",
                "ama_rules_accepted",
                "own_rules",
                "contact_through_association",
                *GroupAgreements.CRITERIA,
                "first_meeting_venue",
            )
        }
        values["family_may_attend"] = {"yes": True, "no": False}.get(data["family_may_attend"])
        if data["first_meeting_at"] is not None or self.current_first is not None:
            values["first_meeting_at"] = data["first_meeting_at"]
        return values


class InvitationsForm(forms.Form):
    count = forms.IntegerField(
        label=_("Inviti partiti"),
        min_value=1,
        max_value=1000,
        help_text=_("Quanti inviti sono stati mandati (lettere, e-mail dei servizi, inviti a voce). Mai i nomi."),
    )


class FollowUpSettingsForm(forms.Form):
    accompanied_meetings = forms.IntegerField(
        label=_("Primi incontri accompagnati dall'associazione"), min_value=0, max_value=12
    )
    review_after_months = forms.IntegerField(
        label=_("Verifica del gruppo dopo (mesi)"), min_value=0, max_value=36, help_text=_("0: nessuna verifica.")
    )
    checkin_every_months = forms.IntegerField(
        label=_("Contatto con il facilitatore ogni (mesi)"), min_value=0, max_value=36, help_text=_("0: nessuno.")
    )
