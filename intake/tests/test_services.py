"""The request's state machine, its refusals, its e-mails, and what happens to personal data."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from intake import demand, services
from intake.models import CLOSE_FROM, DemandRecord, IntakeRequest, Introduction, Outcome, RequestState
from intake.selectors import newcomers_for_meeting
from network import services as network_services
from network.models import Activity, GroupStatus, Meeting
from network.services import Refused
from notifications.delivery import deliver_due
from notifications.models import OutboxMessage

ROME = ZoneInfo("Europe/Rome")


def _with_meetings(group):
    network_services.schedule_create(
        group=group, rrule="FREQ=WEEKLY;BYDAY=TU", start_time=time(20, 30), starts_on=date(2026, 1, 1), by=None
    )
    return group


def _to_introduced(request, group, by):
    services.request_contact(request=request, by=by)
    services.request_propose(request=request, group=group, by=by)
    services.request_introduce(request=request, by=by)
    return IntakeRequest.objects.get(pk=request.pk)


def test_a_request_is_stored_with_a_reference_a_deadline_and_the_consent(submit):
    request = submit()
    assert request.state == RequestState.NEW and request.outcome == ""
    assert request.reference.startswith("R-") and len(request.reference) == 8
    assert request.consent_version == "2026-11" and request.consent_at is not None
    assert request.deadline_at > request.created_at
    assert Activity.objects.filter(action="intake.submitted", object_id=str(request.pk)).exists()


def test_the_deadline_counts_working_days_of_the_association(submit, association_x):
    friday_evening = datetime(2026, 11, 27, 19, 0, tzinfo=ROME)
    request = submit(now=friday_evening)
    assert timezone.localtime(request.deadline_at).date() == date(2026, 12, 1)
    demand.intake_settings_update(association=association_x, response_working_days=5, by=None)
    # Five working days from Friday 4 December: Monday 7, Wednesday 9 (8 is a holiday), 10, 11, Monday 14.
    later = submit(now=datetime(2026, 12, 4, 10, 0, tzinfo=ROME), email="altra@example.org")
    assert timezone.localtime(later.deadline_at).date() == date(2026, 12, 14)


def test_the_queue_warns_at_three_quarters_of_the_time_and_flags_overdue(submit):
    start = datetime(2026, 11, 23, 9, 0, tzinfo=ROME)  # Monday: due Wednesday 25 at 23:59
    request = submit(now=start)
    span = request.deadline_at - request.created_at
    assert request.timing(start + span * 0.5) == "ok"
    assert request.timing(start + span * 0.8) == "warning"
    assert request.timing(request.deadline_at + timedelta(minutes=1)) == "overdue"
    assert list(IntakeRequest.objects.overdue(request.deadline_at + timedelta(minutes=1))) == [request]
    services.request_contact(request=request, by=None, now=request.deadline_at + timedelta(hours=1))
    request.refresh_from_db()
    assert request.timing() == "late"
    assert not IntakeRequest.objects.overdue(request.deadline_at + timedelta(days=1)).exists()


def test_the_full_path_to_joined(submit, group_a, intake_operator):
    _with_meetings(group_a)
    request = submit()
    services.request_contact(request=request, by=intake_operator)
    request.refresh_from_db()
    assert request.state == RequestState.CONTACTED and request.first_contact_at is not None
    assert request.assigned_to == intake_operator  # whoever calls first takes it
    services.request_propose(request=request, group=group_a, by=intake_operator)
    introduction = services.request_introduce(request=request, by=intake_operator)
    assert (
        introduction.meeting
        == Meeting.objects.filter(group=group_a, starts_at__gte=timezone.now()).order_by("starts_at").first()
    )
    services.request_close(request=request, outcome=Outcome.JOINED, by=intake_operator)
    request.refresh_from_db()
    assert (request.state, request.outcome) == (RequestState.CLOSED, Outcome.JOINED)
    assert request.closed_at is not None
    actions = list(
        Activity.objects.filter(object_id=str(request.pk), object_type="intake.intakerequest")
        .order_by("at", "pk")
        .values_list("action", flat=True)
    )
    assert actions == ["intake.submitted", "intake.contacted", "intake.proposed", "intake.introduced", "intake.closed"]


@pytest.mark.parametrize(
    ("steps", "refused"),
    [
        ([], "propose"),
        ([], "introduce"),
        ([], "wait"),
        (["contact"], "contact"),
        (["contact"], "introduce"),
        (["contact", "wait"], "introduce"),
        (["contact", "wait"], "contact"),
    ],
)
def test_invalid_moves_are_refused_with_a_reason(submit, group_a, intake_operator, steps, refused):
    request = submit()
    actions = {
        "contact": lambda: services.request_contact(request=request, by=intake_operator),
        "propose": lambda: services.request_propose(request=request, group=group_a, by=intake_operator),
        "introduce": lambda: services.request_introduce(request=request, by=intake_operator),
        "wait": lambda: services.request_wait(request=request, by=intake_operator),
    }
    for step in steps:
        actions[step]()
    before = IntakeRequest.objects.get(pk=request.pk).state
    with pytest.raises(Refused) as refusal:
        actions[refused]()
    assert refusal.value.messages and all(message.strip() for message in refusal.value.messages)
    assert IntakeRequest.objects.get(pk=request.pk).state == before


@pytest.mark.parametrize("outcome", [Outcome.JOINED, Outcome.NOT_INTERESTED, Outcome.REFERRED])
def test_a_new_request_cannot_be_closed_as_if_the_person_had_been_heard(submit, outcome):
    request = submit()
    with pytest.raises(Refused, match="non può chiudersi"):
        services.request_close(request=request, outcome=outcome, by=None)


def test_a_new_request_may_be_closed_as_unreachable_but_never_twice(submit):
    request = submit()
    services.request_close(request=request, outcome=Outcome.UNREACHABLE, by=None)
    with pytest.raises(Refused, match="già chiusa"):
        services.request_close(request=request, outcome=Outcome.NOT_INTERESTED, by=None)


def test_joined_needs_an_introduction_first(submit, group_a):
    request = submit()
    services.request_contact(request=request, by=None)
    services.request_propose(request=request, group=group_a, by=None)
    with pytest.raises(Refused):
        services.request_close(request=request, outcome=Outcome.JOINED, by=None)


def test_every_state_closes_only_with_the_outcomes_of_the_table(submit, group_a):
    _with_meetings(group_a)
    reachable = {
        RequestState.NEW: [],
        RequestState.CONTACTED: ["contact"],
        RequestState.PROPOSED: ["contact", "propose"],
        RequestState.INTRODUCED: ["contact", "propose", "introduce"],
        RequestState.WAITING: ["contact", "wait"],
    }
    for number, (state, steps) in enumerate(reachable.items()):
        for outcome in Outcome.values:
            request = submit(email=f"p{number}-{outcome}@example.org")
            for step in steps:
                {
                    "contact": lambda r=request: services.request_contact(request=r, by=None),
                    "propose": lambda r=request: services.request_propose(request=r, group=group_a, by=None),
                    "introduce": lambda r=request: services.request_introduce(request=r, by=None),
                    "wait": lambda r=request: services.request_wait(request=r, by=None),
                }[step]()
            assert IntakeRequest.objects.get(pk=request.pk).state == state
            if state in CLOSE_FROM[outcome]:
                services.request_close(request=request, outcome=outcome, by=None)
                assert IntakeRequest.objects.get(pk=request.pk).outcome == outcome
            else:
                with pytest.raises(Refused):
                    services.request_close(request=request, outcome=outcome, by=None)


def test_a_group_of_another_association_or_closed_cannot_be_proposed(submit, group_y, group_a):
    request = submit()
    services.request_contact(request=request, by=None)
    with pytest.raises(Refused, match="gruppi di questa associazione"):
        services.request_propose(request=request, group=group_y, by=None)
    group_a.status = GroupStatus.CLOSED
    group_a.save()
    with pytest.raises(Refused):
        services.request_propose(request=request, group=group_a, by=None)


def test_waiting_keeps_an_anonymous_demand_record_that_outlives_the_personal_data(submit, theme):
    request = submit(theme=theme, relationship="family", call_times=4, town="Trento")
    services.request_contact(request=request, by=None)
    record = services.request_wait(request=request, by=None)
    assert (record.theme, record.area, record.audience, record.availability) == (theme, "Trento", "family", 4)
    assert record.month == timezone.localtime(request.created_at).date().replace(day=1)
    assert record.latitude is not None  # the town's centre, from the gazetteer
    # Waiting, a group is proposed, then waiting again: still one record.
    services.request_withdraw(request=request)
    record.refresh_from_db()
    assert record.request is None and record.theme == theme
    assert DemandRecord.objects.count() == 1


def test_withdrawal_erases_the_personal_data_at_once_and_keeps_the_figures(submit, theme):
    request = submit(theme=theme, phone="333 123 4567", message="Vorrei parlare", call_note="dopo le 18")
    services.request_withdraw(request=request)
    request.refresh_from_db()
    assert (request.state, request.outcome) == (RequestState.CLOSED, Outcome.WITHDRAWN)
    assert request.redacted_at is not None
    for name in ("first_name", "email", "email_index", "phone", "call_note", "message", "town"):
        assert getattr(request, name) == "", name
    assert request.theme == theme and request.created_at is not None
    # The confirmation still waiting in the outbox held the address: it is gone too.
    assert not OutboxMessage.objects.filter(kind=services.KIND_CONFIRMATION).exists()
    with pytest.raises(Refused, match="già stata ritirata"):
        services.request_withdraw(request=request)


def test_withdrawing_a_closed_request_erases_it_and_keeps_its_outcome(submit, group_a):
    _with_meetings(group_a)
    request = submit()
    _to_introduced(request, group_a, None)
    services.request_close(request=request, outcome=Outcome.JOINED, by=None)
    services.request_withdraw(request=request)
    request.refresh_from_db()
    assert request.outcome == Outcome.JOINED and request.first_name == "" and request.redacted_at


def test_contact_details_are_encrypted_at_rest(submit):
    request = submit(first_name="Lucia", email="lucia.segreta@example.org", phone="333 765 4321", message="ciao")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT first_name, email, phone, message, email_index FROM intake_intakerequest WHERE id = %s",
            [request.pk],
        )
        row = cursor.fetchone()
    stored = " ".join(str(value) for value in row)
    for secret in ("Lucia", "lucia.segreta", "765", "ciao"):
        assert secret not in stored
    assert row[4] == services.contact_index("lucia.segreta@example.org")
    reloaded = IntakeRequest.objects.get(pk=request.pk)
    assert (reloaded.first_name, reloaded.email) == ("Lucia", "lucia.segreta@example.org")


def test_closed_requests_lose_their_personal_data_after_the_retention_period(submit, settings):
    settings.CERCHIO_RETENTION_DAYS = {**settings.CERCHIO_RETENTION_DAYS, "intake_closed_request": 180}
    old = submit(email="vecchia@example.org")
    services.request_close(request=old, outcome=Outcome.UNREACHABLE, by=None, now=timezone.now() - timedelta(days=181))
    recent = submit(email="recente@example.org")
    services.request_close(
        request=recent, outcome=Outcome.UNREACHABLE, by=None, now=timezone.now() - timedelta(days=10)
    )
    still_open = submit(email="aperta@example.org", now=timezone.now() - timedelta(days=400))
    assert services.intake_purge() == 1
    assert services.intake_purge() == 0  # running it again does nothing more
    old.refresh_from_db()
    recent.refresh_from_db()
    still_open.refresh_from_db()
    assert old.redacted_at and old.email == "" and old.outcome == Outcome.UNREACHABLE
    assert recent.email == "recente@example.org" and still_open.email == "aperta@example.org"


def test_the_purge_is_a_registered_periodic_job():
    from notifications.periodic import PERIODIC

    assert "intake_purge" in PERIODIC


def test_the_request_is_stored_before_any_email_and_emails_carry_no_theme_nor_name(
    submit, theme, intake_operator, coordinator_x, coordinator_y
):
    request = submit(theme=theme, first_name="Lucia", town="Rovereto")
    kinds = sorted(OutboxMessage.objects.values_list("kind", flat=True))
    # The newcomer's confirmation; one notice to each of X's intake operator and coordinator (never Y's).
    assert kinds == ["intake_confirmation", "intake_new", "intake_new"]
    deliver_due(worker_id="test")
    assert len(mail.outbox) == 3
    for message in mail.outbox:
        for secret in ("Lutto", "lutto", "Lucia", "Rovereto", "lucia@example.org", "AMA X"):
            assert secret not in message.subject
    notices = [message for message in mail.outbox if message.subject == "Cerchio: una nuova richiesta da guardare"]
    assert len(notices) == 2
    for notice in notices:
        for secret in ("Lutto", "Lucia", "Rovereto", "lucia@example.org"):
            assert secret not in notice.body
        assert f"/it/workspace/intake/{request.pk}/" in notice.body
    confirmation = next(message for message in mail.outbox if message.to == ["lucia@example.org"])
    assert request.reference in confirmation.body and "/it/richiesta/link/" in confirmation.body
    assert "1 dicembre" in confirmation.body or "entro il" in confirmation.body


def test_a_failed_email_does_not_lose_the_request_and_is_retried(submit, settings):
    settings.EMAIL_BACKEND = "notifications.tests.backends.FailingBackend"
    request = submit()
    deliver_due(worker_id="test")
    assert IntakeRequest.objects.filter(pk=request.pk, redacted_at=None).exists()
    confirmation = OutboxMessage.objects.get(kind=services.KIND_CONFIRMATION)
    assert confirmation.status == "pending" and confirmation.attempts == 1 and confirmation.last_error
    assert "@" not in confirmation.last_error


def test_the_facilitator_is_told_only_a_first_name_for_the_meeting(submit, group_a, facilitator_a, facilitator_b):
    _with_meetings(group_a)
    request = submit(first_name="Lucia", phone="333 111 2222")
    introduction = _to_introduced(request, group_a, None).introductions.get()
    assert newcomers_for_meeting(meeting=introduction.meeting) == ["Lucia"]
    notices = OutboxMessage.objects.filter(kind=services.KIND_INTRODUCTION)
    assert [message.recipient_user for message in notices] == [facilitator_a]
    deliver_due(worker_id="test")
    (notice,) = [message for message in mail.outbox if message.to != ["lucia@example.org"]]
    assert notice.subject == "Cerchio: una persona nuova potrebbe venire al prossimo incontro"
    assert "Lucia" not in notice.subject + notice.body and "333" not in notice.body
    # Withdrawn: the name is gone from the meeting too.
    services.request_withdraw(request=request)
    assert newcomers_for_meeting(meeting=introduction.meeting) == []
    assert Introduction.objects.filter(pk=introduction.pk).exists()


def test_a_referrer_files_only_with_the_persons_agreement(association_x, association_y, referrer_x):
    from intake.consent import CURRENT_CONSENT_VERSION

    fields = {"first_name": "Mario", "phone": "0461 123456", "consent_version": CURRENT_CONSENT_VERSION}
    with pytest.raises(Refused, match="accordo"):
        services.request_submit(association=association_x, by=referrer_x, **fields)
    with pytest.raises(Refused):
        services.request_submit(association=association_y, by=referrer_x, person_agreed=True, **fields)
    request, created = services.request_submit(association=association_x, by=referrer_x, person_agreed=True, **fields)
    assert created and request.source == "referrer" and request.referred_by == referrer_x
    assert request.person_agreed_at is not None


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"email": "", "phone": ""}, "almeno un modo"),
        ({"email": "non-una-mail"}, "e-mail non sembra"),
        ({"phone": "chiamami"}, "telefono non sembra"),
        ({"first_name": ""}, "nome o un soprannome"),
        ({"first_name": "Maria Grazia Rossi"}, "senza cognome"),
        ({"consent_version": ""}, "consenso"),
        ({"message": "x" * 1001}, "troppo lungo"),
        ({"town": "x" * 101}, "troppo lungo"),
    ],
)
def test_bad_input_is_refused_with_a_reason(submit, overrides, reason):
    with pytest.raises(Refused, match=reason):
        submit(**overrides)
    assert not IntakeRequest.objects.exists()


def test_the_same_submission_token_creates_one_request(submit):
    first = submit(submission_token="abc")
    second = submit(submission_token="abc", first_name="Altro")
    assert first.pk == second.pk and IntakeRequest.objects.count() == 1


def test_a_newcomer_introduced_elsewhere_leaves_the_first_groups_list(submit, group_a, group_b):
    _with_meetings(group_a)
    _with_meetings(group_b)
    request = submit(first_name="Lucia")
    first = _to_introduced(request, group_a, None).introductions.get()
    services.request_propose(request=request, group=group_b, by=None)
    assert newcomers_for_meeting(meeting=first.meeting) == []
    second = services.request_introduce(request=request, by=None)
    assert newcomers_for_meeting(meeting=second.meeting) == ["Lucia"]
    assert newcomers_for_meeting(meeting=first.meeting) == []
    services.request_wait(request=request, by=None)
    assert newcomers_for_meeting(meeting=second.meeting) == []
