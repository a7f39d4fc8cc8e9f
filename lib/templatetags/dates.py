from django import template

from lib import dates

register = template.Library()


@register.filter
def day(value, year: bool = False) -> str:
    """{{ meeting.starts_at|day }} → "martedì 8 giugno"."""
    return dates.day_label(value, year=bool(year)) if value else ""


@register.filter
def when(value) -> str:
    """{{ meeting.starts_at|when }} → "martedì 8 giugno, 20:30"."""
    return dates.when_label(value) if value else ""


@register.filter
def date_words(value) -> str:
    """{{ pause.starts_on|date_words }} → "1 agosto 2027"."""
    return dates.date_label(value) if value else ""
