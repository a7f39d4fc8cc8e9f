"""Recurrence rules for group schedules.

Groups store any RFC 5545 RRULE. Facilitators never type one: the schedule form
offers the rhythms AMA groups actually use and builds the rule from them.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from dateutil import rrule as du_rrule
from django.utils.dates import WEEKDAYS
from django.utils.translation import get_language, gettext_lazy, pgettext, pgettext_lazy
from django.utils.translation import gettext as _

# ISO weekday numbers (1 = Monday) as forms offer them.
WEEKDAY_CHOICES = [
    (1, gettext_lazy("lunedì")),
    (2, gettext_lazy("martedì")),
    (3, gettext_lazy("mercoledì")),
    (4, gettext_lazy("giovedì")),
    (5, gettext_lazy("venerdì")),
    (6, gettext_lazy("sabato")),
    (7, gettext_lazy("domenica")),
]
RRULE_DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]  # index 0 = Monday
ALLOWED_FREQUENCIES = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}
# A group meets at most a few times a week; this caps any pathological rule.
MAX_OCCURRENCES_PER_WINDOW = 400


class Pattern:
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"
    MONTH_DAY = "month_day"
    CUSTOM = "custom"


@dataclass
class FriendlyRule:
    """The few rhythms a facilitator chooses from; `rrule` is the source of truth."""

    pattern: str
    weekday: int | None = None  # 0 = Monday
    ordinals: list[int] = field(default_factory=list)  # 1..4, -1 = last
    month_day: int | None = None  # 1..28, for MONTH_DAY

    def to_rrule(self) -> str:
        if self.pattern == Pattern.MONTH_DAY:
            return f"FREQ=MONTHLY;BYMONTHDAY={self.month_day}"
        day = RRULE_DAYS[self.weekday]
        if self.pattern == Pattern.WEEKLY:
            return f"FREQ=WEEKLY;BYDAY={day}"
        if self.pattern == Pattern.BIWEEKLY:
            return f"FREQ=WEEKLY;INTERVAL=2;BYDAY={day}"
        if self.pattern == Pattern.MONTHLY:
            ordered = sorted(self.ordinals, key=lambda n: (n < 0, n))
            return "FREQ=MONTHLY;BYDAY=" + ",".join(f"{n}{day}" for n in ordered)
        raise ValueError(f"no rule for pattern {self.pattern}")


class InvalidRule(ValueError):
    pass


def _parts(rule: str) -> dict[str, str]:
    parts = {}
    for chunk in rule.strip().removeprefix("RRULE:").split(";"):
        if "=" not in chunk:
            raise InvalidRule(chunk)
        key, value = chunk.split("=", 1)
        parts[key.upper()] = value.upper()
    return parts


def validate(rule: str) -> str:
    """Return the rule normalised, or raise InvalidRule."""
    rule = rule.strip().removeprefix("RRULE:")
    try:
        parts = _parts(rule)
        du_rrule.rrulestr(f"RRULE:{rule}", dtstart=datetime(2000, 1, 1))
    except (ValueError, TypeError) as error:
        raise InvalidRule(str(error)) from error
    if parts.get("FREQ") not in ALLOWED_FREQUENCIES:
        raise InvalidRule("FREQ")
    for item in filter(None, parts.get("BYDAY", "").split(",")):
        number = item[:-2].lstrip("+")
        if item[-2:] not in RRULE_DAYS or (
            number and not (number.lstrip("-").isdigit() and 1 <= abs(int(number)) <= 5)
        ):
            raise InvalidRule(item)
    if "UNTIL" in parts and not parts["UNTIL"].endswith("Z"):
        # With a time zone on DTSTART, RFC 5545 wants UNTIL in UTC ("…T235959Z").
        raise InvalidRule("UNTIL must be a UTC date-time")
    # Bounded probe: an impossible rule (30 February) would otherwise be searched to year 9999.
    probe = du_rrule.rrulestr(f"RRULE:{rule}", dtstart=datetime(2000, 1, 1))
    if probe.replace(count=None, until=datetime(2008, 12, 31)).after(datetime(2000, 1, 1), inc=True) is None:
        raise InvalidRule("the rule gives no dates")
    return ";".join(f"{key}={value}" for key, value in parts.items())


def friendly(rule: str) -> FriendlyRule:
    """Recognise the rhythms of the schedule form; anything else is CUSTOM."""
    try:
        parts = _parts(rule)
    except InvalidRule:
        return FriendlyRule(Pattern.CUSTOM)
    if set(parts) == {"FREQ", "BYMONTHDAY"} and parts["FREQ"] == "MONTHLY":
        day = parts["BYMONTHDAY"]
        if day.isdigit() and 1 <= int(day) <= 28:
            return FriendlyRule(Pattern.MONTH_DAY, month_day=int(day))
        return FriendlyRule(Pattern.CUSTOM)
    keys = set(parts) - {"FREQ", "BYDAY", "INTERVAL", "WKST"}
    byday = parts.get("BYDAY", "")
    if keys or not byday:
        return FriendlyRule(Pattern.CUSTOM)
    interval = parts.get("INTERVAL", "1")
    if parts["FREQ"] == "WEEKLY" and byday in RRULE_DAYS:
        weekday = RRULE_DAYS.index(byday)
        if interval == "1":
            return FriendlyRule(Pattern.WEEKLY, weekday)
        if interval == "2":
            return FriendlyRule(Pattern.BIWEEKLY, weekday)
    if parts["FREQ"] == "MONTHLY" and interval == "1":
        ordinals, days = [], set()
        for item in byday.split(","):
            day, number = item[-2:], item[:-2]
            if day not in RRULE_DAYS or number not in {"1", "2", "3", "4", "-1", "+1", "+2", "+3", "+4"}:
                return FriendlyRule(Pattern.CUSTOM)
            ordinals.append(int(number))
            days.add(day)
        if len(days) == 1:
            return FriendlyRule(
                Pattern.MONTHLY, RRULE_DAYS.index(days.pop()), sorted(ordinals, key=lambda n: (n < 0, n))
            )
    return FriendlyRule(Pattern.CUSTOM)


# The weeks of the month a group can meet in; the schedule form offers the same labels.
ORDINALS = {
    1: pgettext_lazy("ordinal", "1°"),
    2: pgettext_lazy("ordinal", "2°"),
    3: pgettext_lazy("ordinal", "3°"),
    4: pgettext_lazy("ordinal", "4°"),
    -1: pgettext_lazy("ordinal", "ultimo"),
}


def _ordinal(number: int) -> str:
    return str(ORDINALS[number])


def _join(items: list[str]) -> str:
    if len(items) == 1:
        return items[0]
    return _("%(first)s e %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


def describe(rule: str, start_time: time | None = None) -> str:
    """Say the rule in words, in the active language: "il 2° e il 4° martedì del mese"."""
    parsed = friendly(rule)
    at = start_time.strftime("%H:%M") if start_time else ""
    if parsed.pattern == Pattern.CUSTOM:
        text = _("calendario personalizzato")
    elif parsed.pattern == Pattern.MONTH_DAY:
        text = _("il giorno %(day)s di ogni mese") % {"day": parsed.month_day}
    else:
        day = str(WEEKDAYS[parsed.weekday])
        if (get_language() or "it").startswith("it"):
            day = day.lower()  # Italian writes weekdays in lower case mid-sentence
        if parsed.pattern == Pattern.WEEKLY:
            text = _("ogni %(day)s") % {"day": day}
        elif parsed.pattern == Pattern.BIWEEKLY:
            text = _("ogni due settimane, di %(day)s") % {"day": day}
        elif parsed.ordinals == [-1]:
            text = _("l'ultimo %(day)s del mese") % {"day": day}
        else:
            first, *rest = parsed.ordinals
            words = [_ordinal(first)] + [
                pgettext("ordinal with article", "l'ultimo")
                if n == -1
                else pgettext("ordinal with article", "il %(ordinal)s") % {"ordinal": _ordinal(n)}
                for n in rest
            ]
            ordinals = _join(words)
            text = _("il %(ordinals)s %(day)s del mese") % {"ordinals": ordinals, "day": day}
    if at:
        text = _("%(rhythm)s alle %(time)s") % {"rhythm": text, "time": at}
    return text[:1].upper() + text[1:]


def occurrences(
    *, rule: str, starts_on: date, start_time: time, tz: str, window_start: date, window_end: date
) -> list[datetime]:
    """Aware start datetimes of the rule between two dates (inclusive).

    The rule is expanded in local wall-clock time, so a 20:30 meeting stays at 20:30
    across daylight-saving changes.
    """
    zone = ZoneInfo(tz)
    expanded = du_rrule.rrulestr(f"RRULE:{rule}", dtstart=datetime.combine(starts_on, start_time))
    start = datetime.combine(max(window_start, starts_on), time.min)
    end = datetime.combine(window_end, time.max)
    result = []
    for local in expanded.xafter(start, inc=True):
        if local > end or len(result) >= MAX_OCCURRENCES_PER_WINDOW:
            break
        result.append(local.replace(tzinfo=zone))
    return result


def weekday_bit(isoweekday: int) -> int:
    """Bit for a weekday, 1 = Monday … 7 = Sunday, as stored in Group.meeting_weekdays."""
    return 1 << isoweekday
