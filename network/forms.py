from zoneinfo import available_timezones

from django import forms
from django.utils.translation import gettext_lazy as _

from network import recurrence
from network.models import Schedule
from network.recurrence import WEEKDAY_CHOICES

PATTERN_CHOICES = [
    (recurrence.Pattern.WEEKLY, _("ogni settimana")),
    (recurrence.Pattern.BIWEEKLY, _("ogni due settimane")),
    (recurrence.Pattern.MONTHLY, _("certe settimane del mese (per esempio il 2° e il 4° martedì)")),
    (recurrence.Pattern.CUSTOM, _("regola personalizzata (RFC 5545)")),
]
ORDINAL_CHOICES = list(recurrence.ORDINALS.items())


class ScheduleForm(forms.ModelForm):
    """The facilitator picks a rhythm in words; the form writes the RRULE."""

    pattern = forms.ChoiceField(label=_("Ogni quanto"), choices=PATTERN_CHOICES)
    weekday = forms.TypedChoiceField(label=_("Giorno"), choices=WEEKDAY_CHOICES, coerce=int, required=False)
    ordinals = forms.TypedMultipleChoiceField(
        label=_("Settimane del mese"),
        choices=ORDINAL_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    rrule = forms.CharField(
        label=_("Regola personalizzata"),
        required=False,
        max_length=300,
        help_text=_("Solo per «regola personalizzata», per esempio FREQ=MONTHLY;BYDAY=-1FR."),
    )

    class Meta:
        model = Schedule
        fields = ["pattern", "weekday", "ordinals", "rrule", "starts_on", "start_time", "duration_minutes", "timezone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.rrule:
            parsed = recurrence.friendly(self.instance.rrule)
            self.initial.setdefault("pattern", parsed.pattern)
            if parsed.weekday is not None:
                self.initial.setdefault("weekday", parsed.weekday + 1)
            self.initial.setdefault("ordinals", parsed.ordinals)

    def clean_timezone(self) -> str:
        zone = self.cleaned_data["timezone"]
        if zone not in available_timezones():
            raise forms.ValidationError(_("Fuso orario sconosciuto."))
        return zone

    def clean_duration_minutes(self) -> int:
        minutes = self.cleaned_data["duration_minutes"]
        if not 15 <= minutes <= 600:
            raise forms.ValidationError(_("La durata va da 15 a 600 minuti."))
        return minutes

    def clean(self):
        data = super().clean()
        pattern = data.get("pattern")
        if pattern == recurrence.Pattern.CUSTOM:
            try:
                data["rrule"] = recurrence.validate(data.get("rrule") or "")
            except recurrence.InvalidRule:
                self.add_error("rrule", _("Questa regola non è valida."))
            return data
        if pattern and data.get("weekday") is None:
            self.add_error("weekday", _("Scegli il giorno dell'incontro."))
            return data
        if pattern == recurrence.Pattern.MONTHLY and not data.get("ordinals"):
            self.add_error("ordinals", _("Scegli almeno una settimana del mese."))
            return data
        if pattern:
            data["rrule"] = recurrence.FriendlyRule(pattern, data["weekday"] - 1, data.get("ordinals") or []).to_rrule()
        return data
