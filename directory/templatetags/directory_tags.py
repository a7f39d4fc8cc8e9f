"""Template helpers for the directory's busiest page, the search results."""

from zoneinfo import ZoneInfo

from django import template
from django.utils import dateformat
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def next_meeting(meeting) -> SafeString:
    """The same words as directory/_meeting_time.html, in Python: the results page says it for
    every card, and an include with its own time-zone block costs more than the search."""
    local = meeting.starts_at.astimezone(ZoneInfo(meeting.schedule.timezone))
    day = dateformat.format(local, "l j F Y")
    if (get_language() or "it").startswith("it"):
        day = day.lower()
    html = format_html(
        '<time datetime="{}"{}>{}, {}</time>',
        dateformat.format(local, "c"),
        SafeString(' class="cancelled"') if meeting.is_cancelled else "",
        day,
        dateformat.time_format(local, "H:i"),
    )
    if meeting.is_cancelled:
        html += format_html(' <strong class="status cancelled-label">{}</strong>', _("annullato"))
    elif meeting.is_changed:
        html += format_html(' <strong class="status changed-label">{}</strong>', _("data, ora o luogo cambiati"))
    if meeting.note:
        html += format_html(" – {}", meeting.note)
    return html
