"""RFC 5545 calendar feed of a group, built from the same rows the pages show."""

import functools
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone, vRecur

from lib.site import site_host
from network import recurrence
from network.models import Group, Meeting, Schedule, Venue
from network.services import rule_dates


def _location(venue: Venue | None) -> str:
    if venue is None:
        return _("Online: il link arriva dall'associazione")
    return f"{venue.name}, {venue.address}, {venue.comune} ({venue.province})"


def _rule(schedule: Schedule, zone: ZoneInfo) -> vRecur:
    """The schedule's RRULE; an ended schedule stops with UNTIL (UTC, end of its last local day)."""
    rule = vRecur.from_ical(schedule.rrule)
    if schedule.ends_on is None:
        return rule
    until = datetime.combine(schedule.ends_on, time(23, 59, 59), tzinfo=zone).astimezone(UTC)
    if "COUNT" in rule:
        # RFC 5545 allows COUNT or UNTIL, not both: stop at the last instance the count gives.
        given = recurrence.occurrences(
            rule=schedule.rrule,
            starts_on=schedule.starts_on,
            start_time=schedule.start_time,
            tz=schedule.timezone,
            window_start=schedule.starts_on,
            window_end=schedule.ends_on,
        )
        del rule["COUNT"]
        if given:
            until = min(until, given[-1].astimezone(UTC))
    for existing in rule.get("UNTIL", []):
        if isinstance(existing, datetime):
            until = min(until, existing.astimezone(UTC))
    rule["UNTIL"] = [until]
    return rule


def group_calendar(group: Group, *, page_url: str) -> bytes:
    """One VEVENT per schedule with its RRULE, and every meeting row that differs from it:
    cancelled ones as EXDATE, the others as RECURRENCE-ID overrides carrying their real
    times, venue and note, so every calendar shows what the page shows.

    The series says what the schedule gives now (its current time and duration at the
    group's venue); a meeting held at 20:30 before the time became 21:00 is an override
    of the rule's 21:00 instance on that date.
    """
    calendar = Calendar()
    calendar.add("prodid", "-//Cerchio//Gruppi di auto mutuo aiuto//IT")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", group.name)
    # Stable across deployments: reordering ALLOWED_HOSTS must never duplicate subscribers' events.
    domain = site_host()
    description = _("Gruppo di auto mutuo aiuto. Per partecipare contatta l'associazione: %(url)s") % {"url": page_url}
    pauses = list(group.pauses.all())
    for schedule in group.schedules.order_by("starts_on", "pk"):
        zone = ZoneInfo(schedule.timezone)
        first = recurrence.occurrences(
            rule=schedule.rrule,
            starts_on=schedule.starts_on,
            start_time=schedule.start_time,
            tz=schedule.timezone,
            window_start=schedule.starts_on,
            window_end=min(schedule.starts_on + timedelta(days=800), schedule.ends_on or datetime.max.date()),
        )
        if not first:
            continue
        uid = f"schedule-{schedule.pk}@{domain}"
        duration = timedelta(minutes=schedule.duration_minutes)
        series = Event()
        series.add("uid", uid)
        series.add("summary", group.name)
        series.add("dtstart", first[0])
        series.add("dtend", first[0] + duration)
        series.add("rrule", _rule(schedule, zone))
        series.add("location", _location(group.venue))
        series.add("description", description)
        series.add("url", page_url)
        series.add("dtstamp", group.updated_at)
        overrides = []
        meetings = list(
            Meeting.objects.filter(schedule=schedule, is_scheduled=True)
            .select_related("venue")
            .order_by("original_date")
        )
        # Meeting rows reach only a few months ahead; a pause decided further out must
        # still leave its dates out of the series the calendar apps repeat for ever.
        rows = {meeting.original_date for meeting in meetings}
        for pause in pauses:
            for start in rule_dates(schedule=schedule, start=pause.starts_on, end=pause.ends_on):
                if start.date() not in rows:
                    series.add("exdate", start.astimezone(zone))
        for meeting in meetings:
            # The instance the series gives on this date now, at the schedule's current time.
            instance = datetime.combine(meeting.original_date, schedule.start_time, tzinfo=zone)
            if meeting.is_cancelled:
                series.add("exdate", instance)
                continue
            if (
                meeting.starts_at == instance
                and meeting.ends_at == instance + duration
                and meeting.venue_id == group.venue_id
                and not meeting.note
            ):
                continue  # exactly what the series says
            moved = Event()
            moved.add("uid", uid)
            moved.add("recurrence-id", instance)
            moved.add("summary", group.name)
            moved.add("dtstart", meeting.starts_at.astimezone(zone))
            moved.add("dtend", meeting.ends_at.astimezone(zone))
            moved.add("location", _location(meeting.venue))
            moved.add("description", meeting.note or description)
            moved.add("url", page_url)
            moved.add("dtstamp", group.updated_at)
            overrides.append(moved)
        calendar.add_component(series)
        for moved in overrides:
            calendar.add_component(moved)
    calendar.add_missing_timezones()
    return calendar.to_ical()


@functools.lru_cache(maxsize=16)
def _vtimezone(tzid: str) -> bytes:
    """The VTIMEZONE of a zone as calendar text (the same whatever the date): built once, it is
    most of the cost of a meeting's file, which reminders attach by the thousand."""
    probe = Calendar()
    event = Event()
    event.add("dtstart", datetime(2026, 1, 1, tzinfo=ZoneInfo(tzid)))
    probe.add_component(event)
    probe.add_missing_timezones()
    zone: Timezone = next(iter(probe.walk("VTIMEZONE")))
    return zone.to_ical()


def meeting_calendar(meeting: Meeting, *, page_url: str, sequence: int = 0, summary: str | None = None) -> bytes:
    """One meeting as a calendar file to attach to an e-mail (a reminder or a change notice).

    The event has its own UID per meeting and a SEQUENCE that grows with each notice, so a
    calendar application updates the entry it already has; a cancelled meeting is sent
    with METHOD:CANCEL and STATUS:CANCELLED, which removes it.
    """
    zone = ZoneInfo(meeting.schedule.timezone)
    calendar = Calendar()
    calendar.add("prodid", "-//Cerchio//Gruppi di auto mutuo aiuto//IT")
    calendar.add("version", "2.0")
    cancelled = meeting.is_cancelled or not meeting.is_scheduled
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@{site_host()}")
    event.add("sequence", sequence)
    event.add("summary", summary if summary is not None else meeting.group.name)
    event.add("dtstart", meeting.starts_at.astimezone(zone))
    event.add("dtend", meeting.ends_at.astimezone(zone))
    event.add("location", _location(meeting.venue))
    event.add("url", page_url)
    event.add("dtstamp", meeting.updated_at)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    calendar.add_component(event)
    # The zone goes before the event that refers to it, as add_missing_timezones would put it.
    head, event_text = calendar.to_ical().split(b"BEGIN:VEVENT\r\n", 1)
    return head + _vtimezone(meeting.schedule.timezone) + b"BEGIN:VEVENT\r\n" + event_text


def one_event_calendar(
    *, uid: str, summary: str, starts: datetime, ends: datetime, venue: Venue | None, url: str
) -> bytes:
    """A calendar with a single event (a new group's first meeting), located like the feed's events."""
    calendar = Calendar()
    calendar.add("prodid", "-//Cerchio//Gruppi di auto mutuo aiuto//IT")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"{uid}@{site_host()}")
    event.add("summary", summary)
    event.add("dtstart", starts)
    event.add("dtend", ends)
    event.add("dtstamp", datetime.now(UTC))
    event.add("location", _location(venue))
    event.add(
        "description", _("Gruppo di auto mutuo aiuto. Per partecipare contatta l'associazione: %(url)s") % {"url": url}
    )
    event.add("url", url)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
