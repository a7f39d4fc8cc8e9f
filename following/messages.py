"""The e-mails of following: the confirmation link, reminders and change notices.

Reminders and notices are sent by the thousand, so their kind prepares a whole batch
in a few queries: it re-checks that each person still follows and the meeting still
holds (otherwise the message is cancelled), and adds the links, the RFC 8058
unsubscribe headers and the meeting's calendar file. Links are built at sending time:
nothing usable waits in the outbox.
"""

import functools
import re
from collections import OrderedDict
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone, translation

from directory.calendar import meeting_calendar
from following import tokens
from following.models import Follow, Follower, MeetingAnnouncement
from lib.site import absolute_url
from network.models import Meeting, Venue
from notifications.kinds import Extras


def _url(name: str, language: str, **kwargs) -> str:
    with translation.override(language):
        return absolute_url(reverse(name, kwargs=kwargs))


_TOKEN_CHARACTERS = re.compile(r"[A-Za-z0-9_:-]+")  # signed tokens: what reverse() puts in a path as is


@functools.lru_cache(maxsize=64)
def _token_url_parts(name: str, language: str, site_url: str) -> tuple[str, str]:
    before, _slot, after = _url(name, language, token="T0KEN").partition("T0KEN")
    return before, after


def _token_url(name: str, language: str, token: str) -> str:
    """`_url(name, language, token=token)`, for the two links of every reminder: reversed once."""
    if not _TOKEN_CHARACTERS.fullmatch(token):
        return _url(name, language, token=token)
    before, after = _token_url_parts(name, language, settings.CERCHIO_SITE_URL)
    return f"{before}{token}{after}"


def short_day(value: datetime, zone: ZoneInfo) -> str:
    """ "martedì 14" in Italian, "Tuesday 14" in English (in the active language)."""
    text = formats.date_format(value.astimezone(zone), "l j")
    return text.lower() if (translation.get_language() or "it").startswith("it") else text


def long_day(value: datetime, zone: ZoneInfo) -> str:
    text = formats.date_format(value.astimezone(zone), "l j F")
    return text.lower() if (translation.get_language() or "it").startswith("it") else text


def _venue_text(venue: Venue | None) -> str:
    if venue is None:
        return ""
    return f"{venue.name}, {venue.address}, {venue.comune} ({venue.province})"


# --- Confirmation ----------------------------------------------------------------


def follow_is_pending(message) -> bool:
    return Follow.objects.filter(pk=message.context.get("follow"), confirmed_at__isnull=True).exists()


def follow_confirm_context(message) -> dict:
    # Like an invitation's salt: the link needs the site's secret key too, and is forgotten once sent.
    token = tokens.confirm_token(follow_id=message.context["follow"], secret=message.context["secret"])
    return {"confirm_url": _url("following:confirm", message.language, token=token)}


FOLLOW_CONFIRM_SAMPLE = {"follow": 1, "secret": "0" * 16}


# --- Reminders and notices, a batch at a time ------------------------------------


def _meeting_facts(meeting: Meeting, language: str) -> dict:
    zone = ZoneInfo(meeting.schedule.timezone)
    local = meeting.starts_at.astimezone(zone)
    with translation.override(language):
        return {
            "day": short_day(meeting.starts_at, zone),
            "long_day": long_day(meeting.starts_at, zone),
            "time": f"{local:%H:%M}",
            "end_time": f"{meeting.ends_at.astimezone(zone):%H:%M}",
            "venue": _venue_text(meeting.venue),
            "online": meeting.venue_id is None,
            "group_name": meeting.group.name,
            "group_url": _url("directory:group", language, slug=meeting.group.slug),
            "cancelled": meeting.is_cancelled or not meeting.is_scheduled,
            "note": meeting.note,
        }


def _previous_facts(before: dict, meeting: Meeting, language: str) -> dict:
    zone = ZoneInfo(meeting.schedule.timezone)
    starts = datetime.fromisoformat(before["starts_at"])
    with translation.override(language):
        return {"day": short_day(starts, zone), "time": f"{starts.astimezone(zone):%H:%M}"}


_CALENDARS: "OrderedDict[tuple, bytes]" = OrderedDict()


def _calendar(meeting: Meeting, *, language: str, page_url: str, sequence: int) -> bytes:
    """The meeting's calendar file, built once per meeting state, notice and language."""
    key = (meeting.pk, meeting.updated_at, meeting.venue.updated_at if meeting.venue else None, sequence, language)
    found = _CALENDARS.get(key)
    if found is None:
        with translation.override(language):
            # Calendars show on a locked phone: the entry does not name the group either.
            found = meeting_calendar(
                meeting, page_url=page_url, sequence=sequence, summary=translation.gettext("Incontro (Cerchio)")
            )
        _CALENDARS[key] = found
        if len(_CALENDARS) > 1024:
            _CALENDARS.popitem(last=False)
    return found


def _prepare(messages, *, is_wanted) -> dict[int, Extras | None]:
    """Shared by reminders and notices: one query per table for the whole batch."""
    follower_ids = {m.context.get("follower") for m in messages}
    meeting_ids = {m.context.get("meeting") for m in messages}
    followers = {f.pk: f for f in Follower.objects.filter(pk__in=follower_ids).only("pk", "secret", "reminders")}
    meetings = {
        m.pk: m for m in Meeting.objects.filter(pk__in=meeting_ids).select_related("group", "venue", "schedule")
    }
    following = set(
        Follow.objects.active()
        .filter(follower_id__in=follower_ids, group_id__in={m.group_id for m in meetings.values()})
        .values_list("follower_id", "group_id")
    )
    versions = dict(MeetingAnnouncement.objects.filter(meeting_id__in=meeting_ids).values_list("meeting_id", "version"))
    now = timezone.now()
    facts: dict[tuple[int, str], dict] = {}
    calendars: dict[tuple[int, str], bytes] = {}
    result: dict[int, Extras | None] = {}
    for message in messages:
        follower = followers.get(message.context.get("follower"))
        meeting = meetings.get(message.context.get("meeting"))
        if (
            follower is None
            or meeting is None
            or (follower.pk, meeting.group_id) not in following
            or not is_wanted(message, follower, meeting, versions.get(meeting.pk), now)
        ):
            result[message.pk] = None
            continue
        language = message.language
        cache_key = (meeting.pk, language)
        if cache_key not in facts:
            facts[cache_key] = _meeting_facts(meeting, language)
            page_url = facts[cache_key]["group_url"]
            sequence = versions.get(meeting.pk) or 0
            calendars[cache_key] = _calendar(meeting, language=language, page_url=page_url, sequence=sequence)
        leave = _token_url(
            "following:leave",
            language,
            tokens.leave_token(follower_id=follower.pk, group_id=meeting.group_id, secret=follower.secret),
        )
        manage_token = tokens.manage_token(follower_id=follower.pk, secret=follower.secret)
        manage = _token_url("following:manage", language, manage_token)
        context = dict(facts[cache_key])
        if "before" in message.context:
            context["before"] = _previous_facts(message.context["before"], meeting, language)
            context["moved"] = message.context["before"]["starts_at"] != meeting.starts_at.isoformat()
            context["venue_changed"] = message.context["before"].get("venue") != meeting.venue_id
        result[message.pk] = Extras(
            context=context,
            # Only the links differ from one follower to the next: the text is rendered once.
            personal={"leave_url": leave, "manage_url": manage},
            # RFC 8058: mail programs show an "unsubscribe" button that POSTs to this address.
            headers={"List-Unsubscribe": f"<{leave}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
            attachments=(("incontro.ics", calendars[cache_key], "text/calendar"),),
        )
    return result


def _reminder_wanted(message, follower, meeting, version, now) -> bool:
    return (
        follower.reminders
        and meeting.is_scheduled
        and not meeting.is_cancelled
        and meeting.starts_at > now
        and meeting.starts_at.isoformat() == message.context.get("starts_at")
    )


def _notice_wanted(message, follower, meeting, version, now) -> bool:
    # A newer notice for the same meeting replaces an older one still waiting.
    return version == message.context.get("version") and meeting.ends_at > now


def prepare_reminders(messages) -> dict[int, Extras | None]:
    return _prepare(messages, is_wanted=_reminder_wanted)


def prepare_notices(messages) -> dict[int, Extras | None]:
    return _prepare(messages, is_wanted=_notice_wanted)


REMINDER_SAMPLE = {
    "follower": 1,
    "meeting": 1,
    "starts_at": "2026-04-14T20:30:00+02:00",
    "day": "martedì 14",
    "long_day": "martedì 14 aprile",
    "time": "20:30",
    "end_time": "22:30",
    "venue": "Sala civica, via Roma 1, Trento (TN)",
    "group_name": "Gruppo di prova",
    "group_url": "http://127.0.0.1:8000/it/groups/prova/",
    "leave_url": "http://127.0.0.1:8000/it/following/leave/x/",
    "manage_url": "http://127.0.0.1:8000/it/following/x/",
}
NOTICE_SAMPLE = {
    **REMINDER_SAMPLE,
    "version": 1,
    "before": {"day": "lunedì 13", "time": "20:30"},
    "moved": True,
    "venue_changed": False,
    "cancelled": False,
}
