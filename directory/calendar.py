"""RFC 5545 calendar feed of a group, built from the same rows the pages show."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vRecur

from lib.site import site_host
from network import recurrence
from network.models import Group, Meeting, Venue
from network.services import rule_dates


def _location(venue: Venue | None) -> str:
    if venue is None:
        return _("Online: il link arriva dall'associazione")
    return f"{venue.name}, {venue.address}, {venue.comune} ({venue.province})"


def group_calendar(group: Group, *, page_url: str) -> bytes:
    """One VEVENT per schedule with its RRULE; cancelled meetings become EXDATE and
    moved ones RECURRENCE-ID overrides, so every calendar shows what the page shows."""
    calendar = Calendar()
    calendar.add("prodid", "-//Cerchio//Gruppi di auto mutuo aiuto//IT")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", group.name)
    # Stable across deployments: reordering ALLOWED_HOSTS must never duplicate subscribers' events.
    domain = site_host()
    description = _("Gruppo di auto mutuo aiuto. Per partecipare contatta l'associazione: %(url)s") % {"url": page_url}
    pauses = list(group.pauses.all())
    for schedule in group.schedules.all():
        zone = ZoneInfo(schedule.timezone)
        first = recurrence.occurrences(
            rule=schedule.rrule,
            starts_on=schedule.starts_on,
            start_time=schedule.start_time,
            tz=schedule.timezone,
            window_start=schedule.starts_on,
            window_end=schedule.starts_on + timedelta(days=800),
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
        series.add("rrule", vRecur.from_ical(schedule.rrule))
        series.add("location", _location(group.venue))
        series.add("description", description)
        series.add("url", page_url)
        series.add("dtstamp", group.updated_at)
        overrides = []
        meetings = list(Meeting.objects.filter(schedule=schedule).select_related("venue").order_by("original_start"))
        # Meeting rows reach only a few months ahead; a pause decided further out must
        # still leave its dates out of the series the calendar apps repeat for ever.
        rows = {meeting.original_date for meeting in meetings}
        for pause in pauses:
            for start in rule_dates(schedule=schedule, start=pause.starts_on, end=pause.ends_on):
                if start.date() not in rows:
                    series.add("exdate", start.astimezone(zone))
        for meeting in meetings:
            original = meeting.original_start.astimezone(zone)
            if meeting.is_cancelled:
                series.add("exdate", original)
            elif meeting.is_changed:
                moved = Event()
                moved.add("uid", uid)
                moved.add("recurrence-id", original)
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
