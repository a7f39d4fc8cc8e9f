"""Dates in words, as people write them: "martedì 8 giugno" in Italian, "Tuesday 8 June" in English."""

from datetime import date, datetime

from django.utils import formats, timezone
from django.utils.translation import get_language


def day_label(value: date | datetime, *, year: bool = False) -> str:
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    text = formats.date_format(value, "l j F Y" if year else "l j F")
    # Django's Italian names are capitalised; Italian writes them in lower case.
    return text.lower() if (get_language() or "it").startswith("it") else text


def when_label(value: datetime) -> str:
    """Day and time of a meeting: "martedì 8 giugno, 20:30"."""
    return f"{day_label(value)}, {timezone.localtime(value):%H:%M}"


def date_label(value: date | datetime) -> str:
    """A date without the weekday: "1 agosto 2027"."""
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    text = formats.date_format(value, "j F Y")
    return text.lower() if (get_language() or "it").startswith("it") else text
