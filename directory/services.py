"""Writes to the directory that touch several models."""

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from directory import recurrence
from directory.models import Group, Meeting, PartOfDay, Schedule, ScheduleException, Venue, slot_bit
from lib.text import fold

# Past meetings stay as rows for attendance and statistics; this is how far back a
# resync rewrites them when a rule changes.
RESYNC_PAST_DAYS = 7


def _planned_meetings(
    *, schedule: Schedule, today: date, exceptions: Iterable[ScheduleException] | None = None
) -> list[Meeting]:
    """The meetings the rule and its exceptions give inside the horizon, unsaved.

    The exceptions are the schedule's own unless given: bulk writers that know a
    schedule has none pass `exceptions=()` and save a query per schedule.
    """
    window_start = today - timedelta(days=RESYNC_PAST_DAYS)
    window_end = today + timedelta(days=settings.CERCHIO_MEETING_HORIZON_DAYS)
    if exceptions is None:
        exceptions = schedule.exceptions.all()
    by_date = {exception.original_date: exception for exception in exceptions}
    duration = timedelta(minutes=schedule.duration_minutes)
    meetings = []
    for original_start in recurrence.occurrences(
        rule=schedule.rrule,
        starts_on=schedule.starts_on,
        start_time=schedule.start_time,
        tz=schedule.timezone,
        window_start=window_start,
        window_end=window_end,
    ):
        meeting = Meeting(
            group_id=schedule.group_id,
            schedule=schedule,
            original_start=original_start,
            starts_at=original_start,
            ends_at=original_start + duration,
            venue_id=schedule.group.venue_id,
        )
        exception = by_date.get(original_start.date())
        if exception is not None:
            meeting.note = exception.public_note
            if exception.kind == ScheduleException.Kind.CANCELLED:
                meeting.is_cancelled = True
            else:
                new_start = datetime.combine(
                    exception.new_date or original_start.date(),
                    exception.new_start_time or original_start.timetz().replace(tzinfo=None),
                    tzinfo=original_start.tzinfo,
                )
                meeting.is_changed = True
                meeting.starts_at = new_start
                meeting.ends_at = new_start + duration
                meeting.venue_id = exception.new_venue_id or meeting.venue_id
        meetings.append(meeting)
    return meetings


def _window_start(today: date) -> datetime:
    return datetime.combine(
        today - timedelta(days=RESYNC_PAST_DAYS), datetime.min.time(), tzinfo=timezone.get_default_timezone()
    )


def _sync_rows(*, schedule: Schedule, today: date | None) -> None:
    """Make the schedule's meeting rows match its rule and exceptions.

    Safe to run any number of times: rows are matched on their original start,
    updated in place, and future rows the rule no longer gives are removed.
    """
    today = today or timezone.localdate()
    planned = _planned_meetings(schedule=schedule, today=today)
    existing = {m.original_start: m for m in schedule.meetings.filter(original_start__gte=_window_start(today))}
    fields = ["starts_at", "ends_at", "venue_id", "is_cancelled", "is_changed", "note"]
    to_create, to_update = [], []
    for meeting in planned:
        current = existing.pop(meeting.original_start, None)
        if current is None:
            to_create.append(meeting)
        elif any(getattr(current, name) != getattr(meeting, name) for name in fields):
            for name in fields:
                setattr(current, name, getattr(meeting, name))
            to_update.append(current)
    Meeting.objects.bulk_create(to_create)
    if to_update:
        Meeting.objects.bulk_update(to_update, [name.removesuffix("_id") for name in fields])
    if existing:
        Meeting.objects.filter(pk__in=[m.pk for m in existing.values()]).delete()


@transaction.atomic
def group_sync_meetings(*, group: Group, today: date | None = None) -> None:
    """Resync the meeting rows of every schedule of a group, then its search columns once."""
    for schedule in group.schedules.select_related("group").prefetch_related("exceptions"):
        _sync_rows(schedule=schedule, today=today)
    group_refresh_search_fields(group=group)


def meetings_refresh_all(*, today: date | None = None) -> int:
    """Move every group's horizon forward; run daily. Returns the groups refreshed."""
    count = 0
    for group in Group.objects.iterator(chunk_size=500):
        group_sync_meetings(group=group, today=today)
        count += 1
    return count


def search_fields_for(*, group: Group, upcoming: list[Meeting]) -> dict:
    """The derived search columns of a group, from its venue, themes and meetings."""
    weekdays = slots = 0
    for meeting in upcoming:
        if meeting.is_cancelled:
            continue
        local = meeting.starts_at.astimezone(ZoneInfo(meeting.schedule.timezone))
        weekdays |= recurrence.weekday_bit(local.isoweekday())
        slots |= slot_bit(local.isoweekday(), PartOfDay.of(local.hour))
    venue = group.venue
    words = [group.name, group.description, venue.comune if venue else "", venue.name if venue else ""]
    for theme in group.themes.all():
        words += [theme.name_it, theme.name_en]
    return {
        "latitude": venue.latitude if venue else None,
        "longitude": venue.longitude if venue else None,
        "meeting_weekdays": weekdays,
        "meeting_slots": slots,
        "search_text": fold(" ".join(word for word in words if word)),
    }


def group_refresh_search_fields(*, group: Group) -> None:
    group.refresh_from_db(fields=["venue", "name", "description"])
    upcoming = list(
        group.meetings.filter(starts_at__gte=timezone.now()).select_related("schedule").order_by("starts_at")
    )
    values = search_fields_for(group=group, upcoming=upcoming)
    Group.objects.filter(pk=group.pk).update(**values)
    for name, value in values.items():
        setattr(group, name, value)


def venue_refresh_groups(*, venue: Venue) -> None:
    """A venue moved or renamed: the groups meeting there get their search columns again."""
    for group in venue.groups.all():
        group_refresh_search_fields(group=group)
