"""The calendar feed and the meeting rows agree on every meeting."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
import time_machine

from network import services
from network.models import ScheduleException
from network.services import group_sync_meetings
from network.tests.factories import VenueFactory, make_group

ROME = ZoneInfo("Europe/Rome")
TODAY = date(2026, 2, 2)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(datetime(2026, 2, 2, 9, 0, tzinfo=ROME), tick=False):
        yield


def feed(client, group):
    response = client.get(f"/groups/{group.slug}/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def expanded_starts(calendar, start, end):
    return sorted(event["DTSTART"].dt for event in recurring_ical_events.of(calendar).between(start, end))


def meeting_starts(group, start, end, *, cancelled=False):
    meetings = group.meetings.filter(starts_at__gte=start, starts_at__lt=end, is_cancelled=cancelled)
    return sorted(meetings.values_list("starts_at", flat=True))


def test_feed_occurrences_equal_the_meetings_with_cancellations_and_moves(client):
    group = make_group(rule="FREQ=MONTHLY;BYDAY=2TU,4TU", at=time(20, 30), today=TODAY)
    schedule = group.schedules.get()
    other_venue = VenueFactory(association=group.association, name="Sala nuova")
    ScheduleException.objects.create(schedule=schedule, original_date=date(2026, 3, 10), kind="cancelled")
    ScheduleException.objects.create(
        schedule=schedule,
        original_date=date(2026, 3, 24),
        kind="changed",
        new_date=date(2026, 3, 25),
        new_start_time=time(18, 0),
        new_venue=other_venue,
    )
    group_sync_meetings(group=group, today=TODAY)
    start, end = datetime(2026, 2, 2, tzinfo=ROME), datetime(2026, 8, 1, tzinfo=ROME)

    calendar = feed(client, group)

    assert expanded_starts(calendar, start, end) == meeting_starts(group, start, end)
    starts = expanded_starts(calendar, start, end)
    assert datetime(2026, 3, 10, 20, 30, tzinfo=ROME) not in starts
    assert datetime(2026, 3, 25, 18, 0, tzinfo=ROME) in starts
    assert datetime(2026, 3, 24, 20, 30, tzinfo=ROME) not in starts
    series = [c for c in calendar.walk("VEVENT") if "RRULE" in c]
    overrides = [c for c in calendar.walk("VEVENT") if "RECURRENCE-ID" in c]
    assert len(series) == 1 and len(overrides) == 1
    assert series[0]["RRULE"]["FREQ"] == ["MONTHLY"]
    assert overrides[0]["RECURRENCE-ID"].dt == datetime(2026, 3, 24, 20, 30, tzinfo=ROME)
    assert "Sala nuova" in str(overrides[0]["LOCATION"])
    assert calendar.walk("VTIMEZONE"), "the feed carries its time zone"


def test_feed_keeps_local_time_across_daylight_saving(client):
    group = make_group(rule="FREQ=WEEKLY;BYDAY=TU", at=time(20, 30), today=TODAY)
    start, end = datetime(2026, 3, 20, tzinfo=ROME), datetime(2026, 4, 10, tzinfo=ROME)
    starts = expanded_starts(feed(client, group), start, end)
    assert starts == meeting_starts(group, start, end)
    assert {s.astimezone(ROME).time() for s in starts} == {time(20, 30)}
    assert {s.utcoffset() for s in starts} == {timedelta(hours=1), timedelta(hours=2)}


def test_feed_page_and_api_agree(client):
    group = make_group(rule="FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", at=time(18, 0), today=TODAY)
    api = client.get(f"/api/v1/groups/{group.slug}").json()
    api_starts = [datetime.fromisoformat(m["start"]) for m in api["next_meetings"] if not m["cancelled"]]
    page = client.get(f"/it/groups/{group.slug}/").content.decode()
    for start in api_starts:
        assert start.isoformat() in page
    calendar_starts = expanded_starts(feed(client, group), api_starts[0], api_starts[-1] + timedelta(minutes=1))
    assert calendar_starts == api_starts


def test_unknown_group_calendar_is_404(client):
    assert client.get("/groups/nessuno/calendar.ics").status_code == 404


def test_calendar_uids_come_from_the_site_address_not_the_host_list(client, settings):
    group = make_group(slug="uid-stabile")
    settings.CERCHIO_SITE_URL = "https://gruppi.example.org"
    settings.ALLOWED_HOSTS = ["testserver", "altro.example.org"]
    first = client.get(f"/groups/{group.slug}/calendar.ics").content.decode()
    settings.ALLOWED_HOSTS = ["altro.example.org", "testserver"]
    second = client.get(f"/groups/{group.slug}/calendar.ics").content.decode()
    uids = [line for line in first.splitlines() if line.startswith("UID:")]
    assert uids and all(line.endswith("@gruppi.example.org") for line in uids)
    assert uids == [line for line in second.splitlines() if line.startswith("UID:")]


# --- The feed after the schedule changed: it still equals the rows -----------------------------


def scheduled_starts(group, start, end):
    """The meetings that are held: scheduled and not cancelled, moved ones where they go."""
    meetings = group.meetings.filter(starts_at__gte=start, starts_at__lt=end, is_scheduled=True, is_cancelled=False)
    return sorted(meetings.values_list("starts_at", flat=True))


# Within the horizon of meeting rows made on TODAY.
FROM, UNTIL = datetime(2026, 2, 2, tzinfo=ROME), datetime(2026, 8, 20, tzinfo=ROME)


def test_after_a_time_change_past_meetings_keep_their_old_time_in_the_feed(client):
    group = make_group(rule="FREQ=WEEKLY;BYDAY=TU", at=time(20, 30), today=TODAY)
    schedule = group.schedules.get()
    with time_machine.travel(datetime(2026, 3, 1, 9, 0, tzinfo=ROME), tick=False):
        services.schedule_change(
            schedule=schedule, rrule=schedule.rrule, start_time=time(21, 0), duration_minutes=90, by=None
        )
        calendar = feed(client, group)

    starts = expanded_starts(calendar, FROM, UNTIL)
    assert starts == scheduled_starts(group, FROM, UNTIL)
    assert datetime(2026, 2, 24, 20, 30, tzinfo=ROME) in starts, "held at 20:30, before the change"
    assert datetime(2026, 3, 3, 21, 0, tzinfo=ROME) in starts
    series = [c for c in calendar.walk("VEVENT") if "RRULE" in c]
    assert len(series) == 1
    held = [c for c in calendar.walk("VEVENT") if "RECURRENCE-ID" in c]
    assert [c["RECURRENCE-ID"].dt for c in held][0] == datetime(2026, 2, 3, 21, 0, tzinfo=ROME)
    assert held[0]["DTSTART"].dt == datetime(2026, 2, 3, 20, 30, tzinfo=ROME)
    ends = {e["DTEND"].dt - e["DTSTART"].dt for e in recurring_ical_events.of(calendar).between(FROM, UNTIL)}
    assert ends == {timedelta(minutes=120), timedelta(minutes=90)}


def test_after_a_rhythm_change_the_ended_schedule_stops_and_its_successor_goes_on(client):
    group = make_group(rule="FREQ=WEEKLY;BYDAY=TU", at=time(20, 30), today=TODAY)
    old = group.schedules.get()
    with time_machine.travel(datetime(2026, 3, 1, 9, 0, tzinfo=ROME), tick=False):
        services.meeting_cancel(meeting=group.meetings.get(original_date=date(2026, 3, 10)), by=None)
        successor = services.schedule_change(
            schedule=old, rrule="FREQ=MONTHLY;BYDAY=2TU,4TU", start_time=time(18, 0), duration_minutes=120, by=None
        )
        services.meeting_move(
            meeting=successor.meetings.get(original_date=date(2026, 4, 14)),
            new_date=date(2026, 4, 15),
            new_time=time(18, 0),
            by=None,
        )
        calendar = feed(client, group)

    starts = expanded_starts(calendar, FROM, UNTIL)
    assert starts == scheduled_starts(group, FROM, UNTIL)
    assert datetime(2026, 3, 3, 20, 30, tzinfo=ROME) not in starts, "the old rhythm stopped"
    assert datetime(2026, 3, 10, 18, 0, tzinfo=ROME) not in starts, "the cancellation carried over"
    assert datetime(2026, 4, 15, 18, 0, tzinfo=ROME) in starts
    series = {c["UID"]: c for c in calendar.walk("VEVENT") if "RRULE" in c}
    assert set(series) == {f"schedule-{old.pk}@127.0.0.1", f"schedule-{successor.pk}@127.0.0.1"}
    until = series[f"schedule-{old.pk}@127.0.0.1"]["RRULE"]["UNTIL"]
    assert until == [datetime(2026, 2, 28, 22, 59, 59, tzinfo=UTC)]
    assert "UNTIL" not in series[f"schedule-{successor.pk}@127.0.0.1"]["RRULE"]


def test_after_a_pause_the_feed_leaves_out_the_paused_meetings(client):
    group = make_group(rule="FREQ=WEEKLY;BYDAY=TU", at=time(20, 30), today=TODAY)
    services.group_pause(group=group, starts_on=date(2026, 8, 1), ends_on=date(2026, 8, 31), note="Estate", by=None)
    other = VenueFactory(association=group.association, name="Sala nuova")
    services.meeting_change_venue(meeting=group.meetings.get(original_date=date(2026, 3, 3)), venue=other, by=None)

    calendar = feed(client, group)

    starts = expanded_starts(calendar, FROM, UNTIL)
    assert starts == scheduled_starts(group, FROM, UNTIL)
    assert not [s for s in starts if s.month == 8]
    assert "EXDATE" in next(c for c in calendar.walk("VEVENT") if "RRULE" in c)
    elsewhere = [c for c in calendar.walk("VEVENT") if "RECURRENCE-ID" in c]
    assert len(elsewhere) == 1 and "Sala nuova" in str(elsewhere[0]["LOCATION"])


def test_an_ended_schedule_with_a_count_stops_at_the_earlier_of_the_two(client):
    group = make_group(rule="FREQ=WEEKLY;BYDAY=TU;COUNT=60", at=time(20, 30), starts_on=date(2026, 1, 6), today=TODAY)
    schedule = group.schedules.get()
    services.schedule_end(schedule=schedule, ends_on=date(2026, 4, 30), by=None)
    calendar = feed(client, group)
    rule = next(c for c in calendar.walk("VEVENT") if "RRULE" in c)["RRULE"]
    assert "COUNT" not in rule
    assert rule["UNTIL"] == [datetime(2026, 4, 28, 18, 30, tzinfo=UTC)]
    assert expanded_starts(calendar, FROM, UNTIL) == scheduled_starts(group, FROM, UNTIL)
