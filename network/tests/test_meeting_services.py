"""Meetings through the services: rows keep their identity, the past stays as it was."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.forms.models import model_to_dict
from django.utils import timezone

from accounts.services import account_create
from network import services
from network.models import Meeting, Schedule, ScheduleException
from network.services import Refused
from network.tests.factories import VenueFactory, make_group

ROME = ZoneInfo("Europe/Rome")
pytestmark = pytest.mark.django_db


def rome(*args) -> datetime:
    return datetime(*args, tzinfo=ROME)


@pytest.fixture
def clock():
    """Monday 2 February 2026, 9:00 in Rome; `clock.move_to(...)` moves "now"."""
    with time_machine.travel(rome(2026, 2, 2, 9, 0), tick=False) as traveller:
        yield traveller


@pytest.fixture
def facilitator(db):
    return account_create(email="facilitatrice@example.org", password="pw-for-tests")


@pytest.fixture
def group(clock):
    """Meets every Tuesday at 20:30 since January 2026."""
    return make_group(rule="FREQ=WEEKLY;BYDAY=TU", at=time(20, 30), starts_on=date(2026, 1, 6))


def rows(group) -> dict[tuple[int, date], dict]:
    """Every meeting row of a group, by its identity, with all its values."""
    return {
        (m.schedule_id, m.original_date): model_to_dict(m) | {"id": m.pk} for m in Meeting.objects.filter(group=group)
    }


def meeting_on(group, day: date) -> Meeting:
    return Meeting.objects.get(group=group, original_date=day)


def local(moment: datetime) -> datetime:
    return moment.astimezone(ROME)


def refusal(excinfo) -> str:
    return " ".join(excinfo.value.messages)


# --- Identity ------------------------------------------------------------------------


def test_changing_the_start_time_updates_the_future_rows_in_place(group, facilitator):
    schedule = group.schedules.get()
    before = {m.original_date: m.pk for m in group.meetings.all()}

    services.schedule_change(
        schedule=schedule, rrule=schedule.rrule, start_time=time(21, 0), duration_minutes=120, by=facilitator
    )

    after = {m.original_date: m for m in group.meetings.all()}
    assert {day: m.pk for day, m in after.items()} == before
    assert {local(m.starts_at).time() for m in after.values()} == {time(21, 0)}
    assert all(m.ends_at - m.starts_at == timedelta(minutes=120) for m in after.values())
    assert group.schedules.count() == 1, "a time change is not a new rhythm"


def test_changing_the_duration_moves_the_end_of_the_same_rows(group, facilitator):
    schedule = group.schedules.get()
    before = {m.original_date: (m.pk, m.starts_at) for m in group.meetings.all()}

    services.schedule_change(
        schedule=schedule, rrule=schedule.rrule, start_time=schedule.start_time, duration_minutes=90, by=facilitator
    )

    after = group.meetings.all()
    assert {m.original_date: (m.pk, m.starts_at) for m in after} == before
    assert {m.ends_at - m.starts_at for m in after} == {timedelta(minutes=90)}


def test_past_meetings_are_never_rewritten_or_deleted_by_a_schedule_change(group, facilitator, clock):
    clock.move_to(rome(2026, 3, 1, 9, 0))
    past_before = {key: row for key, row in rows(group).items() if row["starts_at"] < rome(2026, 3, 1, 9, 0)}
    assert len(past_before) == 4  # 3, 10, 17 and 24 February

    schedule = group.schedules.get()
    services.schedule_change(
        schedule=schedule, rrule=schedule.rrule, start_time=time(18, 0), duration_minutes=60, by=facilitator
    )

    after = rows(group)
    assert {key: after[key] for key in past_before} == past_before
    assert local(meeting_on(group, date(2026, 2, 24)).starts_at).time() == time(20, 30)
    assert local(meeting_on(group, date(2026, 3, 3)).starts_at).time() == time(18, 0)


def test_a_new_rhythm_after_the_group_has_met_ends_the_schedule_and_starts_a_successor(group, facilitator, clock):
    clock.move_to(rome(2026, 3, 1, 9, 0))
    old = group.schedules.get()
    past_before = {key: row for key, row in rows(group).items() if row["original_date"] < date(2026, 3, 1)}
    future_old_ids = list(old.meetings.filter(original_date__gte=date(2026, 3, 1)).values_list("pk", flat=True))
    # The second Tuesday of March is cancelled before the change, for a reason that stays true.
    services.meeting_cancel(meeting=meeting_on(group, date(2026, 3, 10)), note="Sala chiusa", by=facilitator)

    successor = services.schedule_change(
        schedule=old, rrule="FREQ=MONTHLY;BYDAY=2TU,4TU", start_time=time(20, 30), duration_minutes=120, by=facilitator
    )

    old.refresh_from_db()
    assert successor.pk != old.pk
    assert old.ends_on == date(2026, 2, 28), "the old rhythm ends yesterday"
    assert successor.starts_on == date(2026, 3, 1) and successor.ends_on is None
    assert {key: row for key, row in rows(group).items() if key[0] == old.pk} == past_before
    assert not Meeting.objects.filter(pk__in=future_old_ids).exists(), "nothing hangs on them: they go"
    carried = ScheduleException.objects.get(original_date=date(2026, 3, 10))
    assert carried.schedule_id == successor.pk
    march = successor.meetings.filter(original_date__lt=date(2026, 4, 1)).order_by("original_date")
    assert [(m.original_date, m.is_cancelled, m.note) for m in march] == [
        (date(2026, 3, 10), True, "Sala chiusa"),
        (date(2026, 3, 24), False, ""),
    ]


def test_a_new_rhythm_before_the_first_meeting_changes_the_schedule_itself(clock, facilitator):
    group = make_group(rule="FREQ=WEEKLY;BYDAY=TU", at=time(20, 30), starts_on=date(2026, 3, 1))
    schedule = group.schedules.get()
    tuesdays = list(group.meetings.values_list("pk", flat=True))

    services.schedule_change(
        schedule=schedule, rrule="FREQ=WEEKLY;BYDAY=TH", start_time=time(20, 30), duration_minutes=120, by=facilitator
    )

    assert list(group.schedules.values_list("pk", flat=True)) == [schedule.pk]
    assert not Meeting.objects.filter(pk__in=tuesdays).exists(), "occurrences the rule no longer gives are deleted"
    assert {local(m.starts_at).isoweekday() for m in group.meetings.all()} == {4}


def test_every_model_hanging_on_meetings_is_known_so_dropped_occurrences_it_points_at_are_kept():
    # Each model pointing at Meeting has a test, in its own app, that an occurrence the rule no
    # longer gives is kept with is_scheduled=False while it hangs on it: intake/tests/test_meetings_kept.py,
    # following/tests/test_notices.py, companion/tests/test_services.py. A new one needs its test.
    hanging = {
        r.related_model._meta.label_lower for r in Meeting._meta.related_objects if r.one_to_many or r.one_to_one
    }
    assert hanging == {
        "intake.introduction",
        "following.meetingannouncement",
        "companion.attendance",
        "companion.agreement",
        "companion.reflection",
    }


# --- The 22 December case ----------------------------------------------------------------


def test_the_22_december_case_a_meeting_at_another_venue_keeps_it_through_every_later_edit(facilitator):
    with time_machine.travel(rome(2025, 12, 1, 9, 0), tick=False):
        group = make_group(rule="FREQ=WEEKLY;BYDAY=MO", at=time(20, 30), starts_on=date(2025, 9, 1))
        schedule = group.schedules.get()
        parish = VenueFactory(association=group.association, name="Sala parrocchiale")
        moved = services.meeting_change_venue(
            meeting=meeting_on(group, date(2025, 12, 22)), venue=parish, note="Solo questa volta", by=facilitator
        )
        exception_before = model_to_dict(
            ScheduleException.objects.get(schedule=schedule, original_date=moved.original_date)
        )
        updated_at_before = ScheduleException.objects.get(pk=exception_before["id"]).updated_at

        services.meeting_cancel(meeting=meeting_on(group, date(2025, 12, 29)), by=facilitator)
        services.meeting_move(
            meeting=meeting_on(group, date(2026, 1, 5)), new_date=date(2026, 1, 7), new_time=time(18, 0), by=facilitator
        )
        services.schedule_change(
            schedule=schedule, rrule=schedule.rrule, start_time=time(21, 0), duration_minutes=120, by=facilitator
        )
        services.group_pause(
            group=group, starts_on=date(2026, 8, 1), ends_on=date(2026, 8, 31), note="Pausa estiva", by=facilitator
        )
        services.group_update(group=group, description="Ci incontriamo il lunedì sera.", by=facilitator)

        again = Meeting.objects.get(pk=moved.pk)
        assert again.venue == parish
        assert again.is_changed and not again.is_cancelled
        assert again.note == "Solo questa volta"
        assert local(again.starts_at) == rome(2025, 12, 22, 21, 0), "it follows the new time, at its own venue"
        exception = ScheduleException.objects.get(pk=exception_before["id"])
        assert model_to_dict(exception) == exception_before
        assert exception.updated_at == updated_at_before, "nobody rewrote the exception"
        assert meeting_on(group, date(2025, 12, 29)).is_cancelled
        assert local(meeting_on(group, date(2026, 1, 5)).starts_at) == rome(2026, 1, 7, 18, 0)
        assert meeting_on(group, date(2025, 12, 15)).venue == group.venue


# --- Refusals --------------------------------------------------------------------------


def test_a_meeting_cannot_be_moved_into_the_past(group, facilitator):
    meeting = meeting_on(group, date(2026, 2, 10))
    with pytest.raises(Refused) as excinfo:
        services.meeting_move(meeting=meeting, new_date=date(2026, 2, 1), new_time=time(20, 30), by=facilitator)
    assert "future" in refusal(excinfo)
    assert not ScheduleException.objects.exists()


def test_a_meeting_cannot_be_moved_onto_a_day_the_group_already_meets(group, facilitator):
    meeting = meeting_on(group, date(2026, 2, 10))
    with pytest.raises(Refused) as excinfo:
        services.meeting_move(meeting=meeting, new_date=date(2026, 2, 17), new_time=time(18, 0), by=facilitator)
    assert "già un altro incontro" in refusal(excinfo)
    assert local(Meeting.objects.get(pk=meeting.pk).starts_at) == rome(2026, 2, 10, 20, 30)


def test_a_pause_that_ends_before_it_starts_is_refused(group, facilitator):
    with pytest.raises(Refused) as excinfo:
        services.group_pause(group=group, starts_on=date(2026, 8, 31), ends_on=date(2026, 8, 1), by=facilitator)
    assert "finire dopo l'inizio" in refusal(excinfo)
    assert not group.pauses.exists()


@pytest.mark.parametrize("rule", ["FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=31"])
def test_a_rhythm_that_gives_no_date_is_refused(group, facilitator, rule):
    with pytest.raises(Refused) as excinfo:
        services.schedule_create(group=group, rrule=rule, start_time=time(20, 30), by=facilitator)
    assert "nessuna data" in refusal(excinfo)
    assert group.schedules.count() == 1


def test_a_rhythm_change_to_a_rule_that_gives_no_date_is_refused(group, facilitator):
    schedule = group.schedules.get()
    before = rows(group)
    with pytest.raises(Refused):
        services.schedule_change(
            schedule=schedule,
            rrule="FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
            start_time=time(20, 30),
            duration_minutes=120,
            by=facilitator,
        )
    assert rows(group) == before


def test_a_past_meeting_cannot_be_cancelled(group, facilitator, clock):
    clock.move_to(rome(2026, 2, 20, 9, 0))
    meeting = meeting_on(group, date(2026, 2, 17))
    with pytest.raises(Refused) as excinfo:
        services.meeting_cancel(meeting=meeting, by=facilitator)
    assert "già passato" in refusal(excinfo)
    assert not Meeting.objects.get(pk=meeting.pk).is_cancelled


# --- Undoing ----------------------------------------------------------------------------


def test_a_cancelled_meeting_can_be_restored(group, facilitator):
    meeting = meeting_on(group, date(2026, 2, 17))
    services.meeting_cancel(meeting=meeting, note="Influenza", by=facilitator)
    assert Meeting.objects.get(pk=meeting.pk).is_cancelled

    restored = services.meeting_restore(meeting=meeting, by=facilitator)

    assert restored.pk == meeting.pk
    assert not restored.is_cancelled and not restored.is_changed and restored.note == ""
    assert not ScheduleException.objects.exists()


def test_restoring_a_moved_then_cancelled_meeting_brings_it_back_moved(group, facilitator):
    meeting = meeting_on(group, date(2026, 2, 17))
    services.meeting_move(meeting=meeting, new_date=date(2026, 2, 18), new_time=time(18, 0), by=facilitator)
    services.meeting_cancel(meeting=meeting, by=facilitator)

    restored = services.meeting_restore(meeting=meeting, by=facilitator)

    assert not restored.is_cancelled and restored.is_changed
    assert local(restored.starts_at) == rome(2026, 2, 18, 18, 0)


def test_moving_a_meeting_back_to_its_usual_time_deletes_the_exception(group, facilitator):
    meeting = meeting_on(group, date(2026, 2, 17))
    services.meeting_move(meeting=meeting, new_date=date(2026, 2, 17), new_time=time(18, 0), by=facilitator)
    assert ScheduleException.objects.count() == 1

    back = services.meeting_move(meeting=meeting, new_date=date(2026, 2, 17), new_time=time(20, 30), by=facilitator)

    assert not ScheduleException.objects.exists()
    assert back.pk == meeting.pk and not back.is_changed
    assert back.starts_at == back.original_start == rome(2026, 2, 17, 20, 30)


def test_changing_the_venue_back_to_the_usual_one_deletes_the_exception(group, facilitator):
    meeting = meeting_on(group, date(2026, 2, 17))
    other = VenueFactory(association=group.association, name="Biblioteca")
    assert services.meeting_change_venue(meeting=meeting, venue=other, by=facilitator).venue == other

    back = services.meeting_change_venue(meeting=meeting, venue=group.venue, by=facilitator)

    assert back.venue == group.venue and not back.is_changed
    assert not ScheduleException.objects.exists()


def test_a_venue_of_another_association_is_refused(group, facilitator):
    meeting = meeting_on(group, date(2026, 2, 17))
    with pytest.raises(Refused) as excinfo:
        services.meeting_change_venue(meeting=meeting, venue=VenueFactory(), by=facilitator)
    assert "un'altra associazione" in refusal(excinfo)


def test_a_pause_shows_its_meetings_cancelled_with_its_note_and_removing_it_brings_them_back(group, facilitator):
    before = rows(group)
    pause = services.group_pause(
        group=group, starts_on=date(2026, 3, 1), ends_on=date(2026, 3, 31), note="Pausa di Pasqua", by=facilitator
    )

    march = group.meetings.filter(original_date__month=3)
    assert march.count() == 5
    assert {(m.is_cancelled, m.note) for m in march} == {(True, "Pausa di Pasqua")}
    assert not group.meetings.filter(original_date__month=2, is_cancelled=True).exists()
    assert {key: row["id"] for key, row in rows(group).items()} == {key: row["id"] for key, row in before.items()}

    services.pause_remove(pause=pause, by=facilitator)

    after = rows(group)
    assert {key: {k: v for k, v in row.items() if k != "updated_at"} for key, row in after.items()} == {
        key: {k: v for k, v in row.items() if k != "updated_at"} for key, row in before.items()
    }


def test_a_pause_keeps_the_note_of_a_meeting_cancelled_for_its_own_reason(group, facilitator):
    services.meeting_cancel(meeting=meeting_on(group, date(2026, 3, 3)), note="Elezioni", by=facilitator)
    services.group_pause(
        group=group, starts_on=date(2026, 3, 1), ends_on=date(2026, 3, 10), note="Pausa", by=facilitator
    )
    assert meeting_on(group, date(2026, 3, 3)).note == "Elezioni"
    assert meeting_on(group, date(2026, 3, 10)).note == "Pausa"


def test_every_meeting_service_keeps_one_row_per_occurrence(group, facilitator):
    other = VenueFactory(association=group.association)
    services.meeting_change_venue(meeting=meeting_on(group, date(2026, 2, 10)), venue=other, by=facilitator)
    services.meeting_move(
        meeting=meeting_on(group, date(2026, 2, 17)), new_date=date(2026, 2, 19), new_time=time(18, 0), by=facilitator
    )
    services.meeting_cancel(meeting=meeting_on(group, date(2026, 2, 24)), by=facilitator)
    services.group_sync_meetings(group=group)
    services.group_sync_meetings(group=group)
    keys = list(Meeting.objects.values_list("schedule_id", "original_date"))
    assert len(keys) == len(set(keys))
    assert Schedule.objects.count() == 1


def test_holding_a_meeting_at_another_venue_does_not_cancel_it(group, facilitator):
    # A new exception used to start with the model's default kind, "cancelled".
    other = VenueFactory(association=group.association, name="Biblioteca")
    changed = services.meeting_change_venue(meeting=meeting_on(group, date(2026, 2, 17)), venue=other, by=facilitator)
    assert changed.venue == other
    assert changed.is_changed and not changed.is_cancelled
    assert ScheduleException.objects.get().kind == ScheduleException.Kind.CHANGED


def test_a_meeting_moved_past_its_own_date_can_still_be_changed_after_that_date(facilitator_a, group_a):
    """Moved from Tuesday to the next Monday: on Saturday it is still to come and still editable."""
    services.schedule_create(group=group_a, rrule="FREQ=WEEKLY;BYDAY=TU", start_time=time(20, 30), by=None)
    meeting = Meeting.objects.filter(group=group_a, starts_at__gt=timezone.now()).order_by("starts_at")[1]
    later = meeting.original_date + timedelta(days=6)
    services.meeting_move(meeting=meeting, new_date=later, new_time=time(20, 30), by=facilitator_a)
    with time_machine.travel(meeting.original_start + timedelta(days=4), tick=False):
        meeting.refresh_from_db()
        services.meeting_change_venue(meeting=meeting, venue=None, note="Stessa sede di sempre", by=facilitator_a)
        meeting.refresh_from_db()
        assert meeting.note == "Stessa sede di sempre"
        assert timezone.localtime(meeting.starts_at).date() == later


# --- Rhythms that start later, pauses and moves (found in review) ------------------------------


@pytest.fixture
def weekly(group_a):
    services.schedule_create(
        group=group_a, rrule="FREQ=WEEKLY;BYDAY=TU", start_time=time(20, 30), starts_on=date(2026, 1, 1), by=None
    )
    return group_a


def _upcoming(group):
    return list(
        Meeting.objects.filter(group=group, is_scheduled=True, starts_at__gt=timezone.now()).order_by("starts_at")
    )


def test_a_new_rhythm_from_a_later_date_keeps_the_meetings_before_that_date(weekly):
    before = _upcoming(weekly)[:4]
    later = timezone.localdate() + timedelta(days=28)
    services.schedule_change(
        schedule=weekly.schedules.get(),
        rrule="FREQ=WEEKLY;BYDAY=WE",
        start_time=time(20, 30),
        duration_minutes=120,
        starts_on=later,
        by=None,
    )
    kept = [m for m in _upcoming(weekly) if m.original_date < later]
    assert [m.pk for m in kept] == [m.pk for m in before if m.original_date < later]
    assert all(m.original_date.isoweekday() == 2 for m in kept)
    assert all(m.original_date.isoweekday() == 3 for m in _upcoming(weekly) if m.original_date >= later)


def test_a_new_time_from_a_later_date_leaves_the_nearer_meetings_at_their_time(weekly):
    later = timezone.localdate() + timedelta(days=28)
    services.schedule_change(
        schedule=weekly.schedules.get(),
        rrule="FREQ=WEEKLY;BYDAY=TU",
        start_time=time(18, 0),
        duration_minutes=120,
        starts_on=later,
        by=None,
    )
    for meeting in _upcoming(weekly):
        expected = time(18, 0) if meeting.original_date >= later else time(20, 30)
        assert timezone.localtime(meeting.starts_at).time() == expected


def test_a_change_the_new_rhythm_has_no_date_for_is_dropped_and_logged(weekly):
    from network.models import Activity

    meeting = _upcoming(weekly)[3]
    services.meeting_cancel(meeting=meeting, by=None)
    services.schedule_change(
        schedule=weekly.schedules.get(),
        rrule="FREQ=WEEKLY;BYDAY=WE",
        start_time=time(20, 30),
        duration_minutes=120,
        starts_on=timezone.localdate(),
        by=None,
    )
    assert not ScheduleException.objects.filter(original_date=meeting.original_date).exists()
    entry = Activity.objects.filter(action="schedule.change").latest("at")
    assert entry.payload["dropped_changes"] == [meeting.original_date.isoformat()]


def test_a_rhythm_starting_in_the_far_future_is_refused_with_a_reason(weekly):
    with pytest.raises(Refused, match="due anni"):
        services.schedule_change(
            schedule=weekly.schedules.get(),
            rrule="FREQ=WEEKLY;BYDAY=WE",
            start_time=time(20, 30),
            duration_minutes=120,
            starts_on=date(9999, 12, 1),
            by=None,
        )


def test_a_meeting_cannot_be_moved_out_of_or_into_a_pause(weekly):
    meetings = _upcoming(weekly)
    paused = meetings[2]
    services.group_pause(group=weekly, starts_on=paused.original_date, ends_on=paused.original_date, by=None)
    paused.refresh_from_db()
    with pytest.raises(Refused, match="pausa"):
        services.meeting_move(
            meeting=paused, new_date=paused.original_date + timedelta(days=1), new_time=time(20, 30), by=None
        )
    with pytest.raises(Refused, match="pausa"):
        services.meeting_move(meeting=meetings[1], new_date=paused.original_date, new_time=time(18, 0), by=None)


def test_moving_a_cancelled_meeting_is_refused_rather_than_silently_holding_it(weekly):
    meeting = _upcoming(weekly)[1]
    services.meeting_cancel(meeting=meeting, by=None)
    meeting.refresh_from_db()
    with pytest.raises(Refused, match="annullato"):
        services.meeting_move(meeting=meeting, new_date=meeting.original_date, new_time=time(18, 0), by=None)
    meeting.refresh_from_db()
    assert meeting.is_cancelled


def test_a_pause_that_is_over_stays_in_the_history(weekly):
    with time_machine.travel(timezone.now() - timedelta(days=30)):
        today = timezone.localdate()
        pause = services.group_pause(group=weekly, starts_on=today, ends_on=today + timedelta(days=3), by=None)
    with pytest.raises(Refused, match="già finita"):
        services.pause_remove(pause=pause, by=None)
