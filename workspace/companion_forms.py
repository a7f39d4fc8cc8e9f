"""Forms of the facilitator's companion: the close of a meeting and the private self-reflection.

They check what was typed and place each problem on its field; the services check
again and decide (companion/services.py).
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from companion.cards import POINTS
from companion.models import AgreementKind
from companion.services import AGREEMENT_MAX_LENGTH, MAX_AGREEMENTS, MAX_PARTICIPANTS, NOTE_MAX_LENGTH, AgreementItem
from workspace.forms import DateInput, TimeInput

# Each empty row suggests the kind an agreement most often is.
ROW_KINDS = [AgreementKind.OPENS, AgreementKind.COMMITMENT, AgreementKind.PRACTICAL]


def _count_field(label, **kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=MAX_PARTICIPANTS,
        error_messages={
            "required": _("Scrivi quante persone c'erano (anche 0)."),
            "invalid": _("Scrivi un numero intero, per esempio 8."),
            "min_value": _("I numeri non possono essere negativi."),
            "max_value": _("Troppe persone per un gruppo: controlla il numero (al massimo %(limit_value)s)."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": MAX_PARTICIPANTS}),
        **kwargs,
    )


class CloseForm(forms.Form):
    """After the meeting, in under a minute: counts, agreements for next time, the next date."""

    participants = _count_field(_("Partecipanti"), help_text=_("Tutte le persone presenti, senza chi facilita."))
    newcomers = _count_field(_("Di cui nuovi"), required=False, help_text=_("Chi è venuto per la prima volta."))
    next_date = forms.DateField(label=_("Data del prossimo incontro"), widget=DateInput(), required=False)
    next_time = forms.TimeField(label=_("Ora"), widget=TimeInput(), required=False)

    def __init__(self, *args, has_next: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_next = has_next
        for index in range(MAX_AGREEMENTS):
            self.fields[f"kind_{index}"] = forms.ChoiceField(
                label=_("Tipo"), choices=AgreementKind.choices, initial=ROW_KINDS[index % len(ROW_KINDS)]
            )
            self.fields[f"text_{index}"] = forms.CharField(
                label=_("Accordo"),
                required=False,
                max_length=AGREEMENT_MAX_LENGTH,
                error_messages={
                    "max_length": _(
                        "Ogni accordo sta in %(limit_value)d caratteri (questo ne ha %(show_value)d): accorcialo."
                    )
                },
                widget=forms.TextInput(attrs={"autocomplete": "off"}),
            )
        if not has_next:
            del self.fields["next_date"], self.fields["next_time"]

    def agreement_rows(self):
        return [(self[f"kind_{index}"], self[f"text_{index}"]) for index in range(MAX_AGREEMENTS)]

    def clean(self):
        data = super().clean()
        if data.get("newcomers") is None and "newcomers" not in self.errors:
            data["newcomers"] = 0
        participants, newcomers = data.get("participants"), data.get("newcomers")
        if participants is not None and newcomers is not None and newcomers > participants:
            self.add_error(
                "newcomers", _("Le persone nuove non possono essere più dei partecipanti: sono comprese tra loro.")
            )
        missing_next = self.has_next and not (data.get("next_date") and data.get("next_time"))
        if missing_next and "next_date" not in self.errors and "next_time" not in self.errors:
            self.add_error("next_date", _("Indica data e ora del prossimo incontro (lasciale così per confermarle)."))
        return data

    def agreements(self) -> list[AgreementItem]:
        data = self.cleaned_data
        return [
            AgreementItem(kind=data[f"kind_{index}"], text=data[f"text_{index}"])
            for index in range(MAX_AGREEMENTS)
            if data.get(f"text_{index}", "").strip()
        ]


POINT_CHOICES = [(code, point.text) for code, point in POINTS.items()]


class ReflectionForm(forms.Form):
    went_well = forms.MultipleChoiceField(choices=POINT_CHOICES, required=False)
    hard = forms.MultipleChoiceField(choices=POINT_CHOICES, required=False)
    note = forms.CharField(
        label=_("Una nota breve, per te"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Su di te e sul tuo modo di facilitare: non su ciò che le persone hanno raccontato."),
        error_messages={
            "max_length": _("La nota sta in %(limit_value)d caratteri (questa ne ha %(show_value)d): accorciala.")
        },
    )
    share_totals = forms.BooleanField(
        label=_("Conta le mie spunte, in forma anonima, nei totali dell'associazione"),
        required=False,
        help_text=_(
            "L'associazione vede solo totali di almeno tre facilitatori, mai la tua riflessione né la tua nota."
        ),
    )

    def clean(self):
        data = super().clean()
        both = set(data.get("went_well", [])) & set(data.get("hard", []))
        if both:
            self.add_error(None, _("Un punto non può essere insieme andato bene e difficile: scegline uno."))
        return data


class PeriodForm(forms.Form):
    since = forms.DateField(label=_("Dal"), widget=DateInput())
    until = forms.DateField(label=_("Al"), widget=DateInput())
    notes = forms.BooleanField(label=_("Includi le mie note"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", _("La fine del periodo viene dopo l'inizio."))
        return data
