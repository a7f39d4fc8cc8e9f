"""Template helpers for the directory's busiest page, the search results.

They write out in Python what a template would say, for parts repeated many times on
every results page, where the template engine's own work cost more than the search.
"""

from zoneinfo import ZoneInfo

from django import template
from django.utils.dates import MONTHS, WEEKDAYS
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from directory.rows import MeetingRow

register = template.Library()


@register.simple_tag
def next_meeting(meeting: MeetingRow) -> SafeString:
    """The same words as directory/_meeting_time.html, in Python: the results page says it for
    every card, and an include with its own time-zone block costs more than the search."""
    local = meeting.starts_at.astimezone(ZoneInfo(meeting.timezone))
    # dateformat's "l j F Y", "c" and "H:i", written out: it parses its format on every call.
    day = f"{WEEKDAYS[local.weekday()]} {local.day} {MONTHS[local.month]} {local.year:04d}"
    if (get_language() or "it").startswith("it"):
        day = day.lower()
    html = format_html(
        '<time datetime="{}"{}>{}, {}</time>',
        local.isoformat(),
        SafeString(' class="cancelled"') if meeting.is_cancelled else "",
        day,
        f"{local:%H:%M}",
    )
    if meeting.is_cancelled:
        html += format_html(' <strong class="status cancelled-label">{}</strong>', _("annullato"))
    elif meeting.is_changed:
        html += format_html(' <strong class="status changed-label">{}</strong>', _("data, ora o luogo cambiati"))
    if meeting.note:
        html += format_html(" – {}", meeting.note)
    return html


_SELECTED = SafeString(" selected")
_CHECKED = SafeString(" checked")


@register.simple_tag
def options(choices: list[tuple[str, str, bool]]) -> SafeString:
    """The <option>s of a select, from (value, label, chosen)."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, _SELECTED if chosen else "", label) for value, label, chosen in choices),
    )


@register.simple_tag
def checkboxes(name: str, choices: list[tuple[str, str, bool]]) -> SafeString:
    """One labelled checkbox per choice, from (value, label, chosen); ids id_<name>_0, id_<name>_1…"""
    return format_html_join(
        "",
        '<label class="choice" for="id_{}_{}"><input type="checkbox" name="{}" value="{}" id="id_{}_{}"{}> {}</label>',
        (
            (name, index, name, value, name, index, _CHECKED if chosen else "", label)
            for index, (value, label, chosen) in enumerate(choices)
        ),
    )
