from zoneinfo import available_timezones

from django import forms
from django.utils.translation import gettext_lazy as _

from directory import recurrence
from directory.models import Schedule, ScheduleException
from directory.search import WEEKDAY_CHOICES

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


class ScheduleExceptionForm(forms.ModelForm):
    class Meta:
        model = ScheduleException
        fields = ["original_date", "kind", "new_date", "new_start_time", "new_venue", "public_note"]

    def clean(self):
        data = super().clean()
        schedule = self.instance.schedule if self.instance.schedule_id else None
        original = data.get("original_date")
        if (
            schedule is not None
            and original
            and not recurrence.occurrences(
                rule=schedule.rrule,
                starts_on=schedule.starts_on,
                start_time=schedule.start_time,
                tz=schedule.timezone,
                window_start=original,
                window_end=original,
            )
        ):
            self.add_error("original_date", _("In questa data il gruppo non ha un incontro in calendario."))
        changed = data.get("new_date") or data.get("new_start_time") or data.get("new_venue")
        if data.get("kind") == ScheduleException.Kind.CHANGED and not changed:
            self.add_error("new_date", _("Indica la nuova data, la nuova ora o la sede diversa."))
        return data
