"""Closing a meeting and the private reflection, through the services: what they keep and what they refuse."""

from datetime import date, time

import pytest

from companion import services
from companion.models import Agreement, Attendance, Reflection
from companion.services import AgreementItem
from network.models import Activity
from network.services import Refused, meeting_cancel

pytestmark = pytest.mark.django_db


def close(meeting, by, **overrides):
    values = {"participants": 8, "newcomers": 2, "agreements": [AgreementItem("opens", "Apre Giulia")]}
    values.update(overrides)
    return services.meeting_close(meeting=meeting, by=by, **values)


def test_closing_a_meeting_keeps_counts_and_agreements_and_logs_no_words(last_a, facilitator_a):
    close(last_a, facilitator_a)
    attendance = Attendance.objects.get(meeting=last_a)
    assert (attendance.participants, attendance.newcomers) == (8, 2)
    assert [a.text for a in Agreement.objects.filter(meeting=last_a)] == ["Apre Giulia"]
    entry = Activity.objects.get(action="meeting.close")
    assert entry.group_id == last_a.group_id and entry.actor == facilitator_a
    assert entry.payload["participants"] == 8 and entry.payload["agreements"] == 1
    assert "Giulia" not in str(entry.payload)


def test_closing_again_replaces_what_was_recorded(last_a, facilitator_a):
    close(last_a, facilitator_a)
    close(
        last_a,
        facilitator_a,
        participants=9,
        newcomers=0,
        agreements=[AgreementItem("practical", "Sedie"), AgreementItem("commitment", "Passare parola")],
    )
    assert Attendance.objects.get(meeting=last_a).participants == 9
    assert list(Agreement.objects.filter(meeting=last_a).values_list("text", flat=True)) == ["Sedie", "Passare parola"]


@pytest.mark.parametrize(
    ("participants", "newcomers", "words"),
    [(-1, 0, "negativi"), (5, -2, "negativi"), (500, 0, "troppe"), (3, 4, "più dei partecipanti")],
)
def test_absurd_counts_are_refused_with_a_reason(last_a, facilitator_a, participants, newcomers, words):
    with pytest.raises(Refused) as refused:
        close(last_a, facilitator_a, participants=participants, newcomers=newcomers)
    assert words in " ".join(refused.value.messages)
    assert not Attendance.objects.exists()


def test_an_over_long_agreement_or_too_many_are_refused(last_a, facilitator_a):
    with pytest.raises(Refused, match="140 caratteri"):
        close(last_a, facilitator_a, agreements=[AgreementItem("opens", "x" * 141)])
    with pytest.raises(Refused, match="Al massimo 3"):
        close(last_a, facilitator_a, agreements=[AgreementItem("opens", f"a{n}") for n in range(4)])
    with pytest.raises(Refused, match="tipo"):
        close(last_a, facilitator_a, agreements=[AgreementItem("minutes", "what she said")])
    assert not Attendance.objects.exists() and not Agreement.objects.exists()


def test_a_future_or_cancelled_meeting_cannot_be_closed(meetings_a, next_a, facilitator_a):
    with pytest.raises(Refused, match="non è ancora cominciato"):
        close(next_a, facilitator_a)
    cancelled = meetings_a[1][1]
    meeting_cancel(meeting=cancelled, by=facilitator_a)
    cancelled.refresh_from_db()
    with pytest.raises(Refused, match="non si è tenuto"):
        close(cancelled, facilitator_a)


def test_the_next_date_is_confirmed_or_moved_through_the_meeting_services(last_a, next_a, facilitator_a):
    close(last_a, facilitator_a, next_meeting=next_a, next_date=date(2027, 7, 27), next_time=time(20, 30))
    assert not Activity.objects.filter(action="meeting.move").exists()  # confirmed as it was
    close(last_a, facilitator_a, next_meeting=next_a, next_date=date(2027, 7, 28), next_time=time(18, 0))
    next_a.refresh_from_db()
    assert next_a.is_changed and next_a.starts_at.date() == date(2027, 7, 28)
    assert Activity.objects.filter(action="meeting.move").count() == 1


@pytest.mark.parametrize(
    ("day", "words"),
    [(date(2027, 7, 25), "future"), (date(2027, 8, 3), "già un altro incontro")],
)
def test_a_next_date_in_the_past_or_onto_another_meeting_saves_nothing(last_a, next_a, facilitator_a, day, words):
    with pytest.raises(Refused) as refused:
        close(last_a, facilitator_a, next_meeting=next_a, next_date=day, next_time=time(20, 30))
    assert "next_date" in refused.value.message_dict
    assert words in " ".join(refused.value.message_dict["next_date"])
    assert not Attendance.objects.exists()  # one transaction: the counts were not kept either
    next_a.refresh_from_db()
    assert not next_a.is_changed


def test_a_reflection_is_its_authors_and_its_note_is_encrypted(last_a, facilitator_a):
    from django.db import connection

    reflection = services.reflection_save(
        meeting=last_a, went_well=["do7", "dont9"], hard=["dont7"], note="Ho parlato troppo.", by=facilitator_a
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM companion_reflection WHERE id = %s", [reflection.pk])
        stored = cursor.fetchone()[0]
    assert "troppo" not in stored and stored
    assert Reflection.objects.get().note == "Ho parlato troppo."
    # Nothing about it reaches the activity log a coordinator reads.
    assert not Activity.objects.filter(object_type="companion.reflection").exists()
    assert not Activity.objects.filter(action__startswith="reflection").exists()


def test_a_reflection_is_refused_to_anyone_but_the_groups_facilitators(last_a, facilitator_b, coordinator_x):
    for person in (facilitator_b, coordinator_x, None):
        with pytest.raises(Refused):
            services.reflection_save(meeting=last_a, went_well=[], hard=[], by=person)


def test_a_reflection_refuses_unknown_points_contradictions_and_long_notes(last_a, facilitator_a):
    with pytest.raises(Refused, match="punti"):
        services.reflection_save(meeting=last_a, went_well=["something"], hard=[], by=facilitator_a)
    with pytest.raises(Refused, match="insieme"):
        services.reflection_save(meeting=last_a, went_well=["do1"], hard=["do1"], by=facilitator_a)
    with pytest.raises(Refused, match="500"):
        services.reflection_save(meeting=last_a, went_well=[], hard=[], note="x" * 501, by=facilitator_a)
    assert not Reflection.objects.exists()


def test_only_the_author_deletes_their_reflection(last_a, facilitator_a, coordinator_x):
    reflection = services.reflection_save(meeting=last_a, went_well=["do1"], hard=[], by=facilitator_a)
    with pytest.raises(Refused):
        services.reflection_delete(reflection=reflection, by=coordinator_x)
    services.reflection_delete(reflection=reflection, by=facilitator_a)
    assert not Reflection.objects.exists()


def test_an_occurrence_something_hangs_on_is_kept_unscheduled_when_the_rhythm_drops_it(
    meetings_a, facilitator_a, group_a
):
    from network.models import Meeting
    from network.services import schedule_change

    upcoming = meetings_a[1]
    kept, dropped = upcoming[2], upcoming[3]
    # As if counts had been kept on it by hand (the service only closes meetings that have started).
    Attendance.objects.create(meeting=kept, participants=0, newcomers=0)
    schedule_change(
        schedule=group_a.schedules.get(),
        rrule="FREQ=WEEKLY;BYDAY=TH",
        start_time=time(20, 30),
        duration_minutes=120,
        by=facilitator_a,
    )
    kept.refresh_from_db()
    assert kept.is_scheduled is False  # still there, with what hangs on it
    assert not Meeting.objects.filter(pk=dropped.pk).exists()
