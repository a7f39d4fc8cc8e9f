"""Reminders: when they go out, what they say and in which language, how they leave."""

import email
from datetime import UTC, date, datetime, time, timedelta
from email import policy
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from icalendar import Calendar

from following.models import ReminderPlan
from following.reminders import queue_reminders, reminder_slots
from following.tests.conftest import add_follower, link, send_all
from network.models import Meeting, Schedule
from notifications.models import OutboxMessage
from notifications.wire import WiredEmail

ROME = ZoneInfo("Europe/Rome")


def _meeting(day: date, at: time) -> Meeting:
    schedule = Schedule(rrule="FREQ=WEEKLY", starts_on=day, start_time=at, timezone="Europe/Rome")
    starts = datetime.combine(day, at, tzinfo=ROME)
    return Meeting(schedule=schedule, starts_at=starts, ends_at=starts + timedelta(hours=2))


@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [
        # Summer time starts on Sunday 29 March 2026: Saturday 18:00 is 17:00 UTC, Sunday 18:00 is 16:00 UTC.
        (date(2026, 3, 29), 17),  # meeting on the day of the change, reminder the evening before (winter)
        (date(2026, 3, 30), 16),  # meeting the day after, reminder on the day of the change (summer)
        # Summer time ends on Sunday 25 October 2026.
        (date(2026, 10, 25), 16),  # reminder on Saturday 24, still summer time
        (date(2026, 10, 26), 17),  # reminder on Sunday 25, winter time again
    ],
)
def test_the_day_before_reminder_is_at_18_local_time_across_summer_time_changes(day, utc_hour):
    meeting = _meeting(day, time(20, 30))
    ((name, at),) = reminder_slots(meeting)
    assert name == "d1"
    assert at.astimezone(ROME).time() == time(18, 0)
    assert at.astimezone(ROME).date() == day - timedelta(days=1)
    assert at.astimezone(UTC).hour == utc_hour


def test_a_group_may_also_remind_two_hours_before_and_a_meeting_at_dawn_keeps_only_reminders_before_it():
    meeting = _meeting(date(2026, 3, 29), time(10, 0))  # summer time began at 02:00 that night
    plan = ReminderPlan(day_before_at=time(18, 0), hours_before=2)
    slots = dict(reminder_slots(meeting, plan))
    assert slots["d1"] == datetime(2026, 3, 28, 18, 0, tzinfo=ROME)
    assert slots["h2"] == datetime(2026, 3, 29, 8, 0, tzinfo=ROME)
    assert slots["h2"].astimezone(UTC).hour == 6
    only_hours = ReminderPlan(day_before_at=None, hours_before=2)
    assert [name for name, _ in reminder_slots(meeting, only_hours)] == ["h2"]


def _next(group) -> Meeting:
    return group.meetings.filter(starts_at__gt=timezone.now() + timedelta(days=1)).order_by("starts_at").first()


def _evening_before(meeting: Meeting) -> datetime:
    local = meeting.starts_at.astimezone(ROME)
    return datetime.combine(local.date() - timedelta(days=1), time(18, 1), tzinfo=ROME)


def test_one_reminder_per_follower_with_a_neutral_subject_the_language_the_calendar_and_rfc_8058(group, outbox_mail):
    add_follower(group, "uno@example.org", language="it")
    add_follower(group, "two@example.org", language="en")
    add_follower(group, "niente@example.org", reminders=False)
    meeting = _next(group)
    before = _evening_before(meeting) - timedelta(minutes=2)
    assert queue_reminders(now=before) == 0
    at = _evening_before(meeting)
    assert queue_reminders(now=at) == 2
    assert queue_reminders(now=at + timedelta(minutes=1)) == 0  # the next pass adds nothing
    assert send_all() == 2
    assert send_all() == 0
    by_address = {message.to[0]: message for message in outbox_mail}
    assert set(by_address) == {"uno@example.org", "two@example.org"}
    local = meeting.starts_at.astimezone(ROME)
    italian, english = by_address["uno@example.org"], by_address["two@example.org"]
    weekday_it = ["lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica"][local.weekday()]
    assert italian.subject == f"Cerchio: prossimo incontro {weekday_it} {local.day} alle 20:30"
    assert english.subject == f"Cerchio: next meeting {local:%A} {local.day} at 20:30"
    for message in (italian, english):
        first_line = message.body.strip().splitlines()[0]
        for secret in ("Azzardo", "azzardo", "Gioco", "Gambling", group.name):
            assert secret not in message.subject and secret not in first_line
        assert group.name in message.body  # further down, so the person knows which group
        assert message.alternatives[0][1] == "text/html"
        leave = message.extra_headers["List-Unsubscribe"]
        assert leave.startswith("<http") and "/following/leave/" in leave
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        ((name, ics, mimetype),) = message.attachments
        assert name == "incontro.ics" and mimetype == "text/calendar"
        text = ics.decode() if isinstance(ics, bytes) else ics
        assert "BEGIN:VEVENT" in text and f"DTSTART;TZID=Europe/Rome:{local:%Y%m%dT%H%M}00" in text
        assert group.name not in text.split("BEGIN:VEVENT")[1].split("URL")[0]  # the entry's title is neutral
        # What goes over the wire: filled into the shared skeleton, and saying the same.
        assert isinstance(message, WiredEmail)
        wire = email.message_from_bytes(message.message().as_bytes(linesep="\r\n"), policy=policy.default)
        assert wire["Subject"] == message.subject and wire["To"] == message.to[0]
        assert wire["List-Unsubscribe"].strip() == leave  # folded onto its own line, as the email package does
        assert wire.get_body(("plain",)).get_content().replace("\r\n", "\n") == message.body
        (attached,) = [part for part in wire.walk() if part.get_filename() == "incontro.ics"]
        calendar = Calendar.from_ical(attached.get_payload(decode=True))
        assert [c.name for c in calendar.subcomponents] == ["VTIMEZONE", "VEVENT"]
        assert calendar.walk("VEVENT")[0]["DTSTART"].dt == meeting.starts_at
    assert "Dove:" in italian.body and "Where:" in english.body


def test_a_cancelled_meeting_or_a_follower_who_left_gets_no_reminder_at_send_time(group, outbox_mail):
    from network.services import meeting_cancel

    stays = add_follower(group, "resta@example.org")
    leaves = add_follower(group, "esce@example.org")
    meeting = _next(group)
    queue_reminders(now=_evening_before(meeting))
    leaves.delete()
    assert send_all() == 2
    assert [m.to[0] for m in outbox_mail] == ["resta@example.org"]
    statuses = dict(OutboxMessage.objects.values_list("recipient_index", "status"))
    assert sorted(statuses.values()) == ["cancelled", "sent"]
    # Another meeting, cancelled after its reminders were queued: nobody is reminded of it.
    later = group.meetings.filter(starts_at__gt=meeting.starts_at).order_by("starts_at").first()
    queue_reminders(now=_evening_before(later))
    meeting_cancel(meeting=later, by=None)
    outbox_mail.clear()
    send_all()
    assert outbox_mail == []
    assert stays.follows.count() == 1


def test_reminders_off_keeps_change_notices(group, outbox_mail, settings):
    from following.notices import announce_changes
    from network.services import meeting_cancel

    settings.CERCHIO_FOLLOWING_QUIET_SECONDS = 0
    add_follower(group, "solo.avvisi@example.org", reminders=False)
    meeting = _next(group)
    announce_changes()
    assert queue_reminders(now=_evening_before(meeting)) == 0
    meeting_cancel(meeting=meeting, by=None)
    announce_changes()
    send_all()
    assert [m.to[0] for m in outbox_mail] == ["solo.avvisi@example.org"]
    assert "non si tiene" in outbox_mail[0].subject


def test_unsubscribe_by_one_click_post_and_by_the_confirmation_page(group, outbox_mail, client):
    add_follower(group, "uno@example.org")
    add_follower(group, "due@example.org")
    queue_reminders(now=_evening_before(_next(group)))
    send_all()
    by_address = {message.to[0]: message for message in outbox_mail}
    # The mail program's button: a POST to the List-Unsubscribe address, no page, no CSRF token.
    one_click = by_address["uno@example.org"].extra_headers["List-Unsubscribe"].strip("<>")
    path = link(one_click, "/following/leave/")
    client.get(path)  # a scanner opening the link changes nothing
    assert group.follows.count() == 2
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert group.follows.count() == 1
    assert client.post(path).status_code == 200  # again: harmless
    # The visible link in the body: a page with a button.
    path = link(by_address["due@example.org"].body, "/following/leave/")
    page = client.get(path)
    assert page.status_code == 200 and "Non seguire più il gruppo" in page.content.decode()
    assert group.follows.count() == 1
    client.post(path)
    assert group.follows.count() == 0


def test_a_failing_reminder_is_retried_with_backoff_then_shown_to_the_coordinators(group, settings):
    from notifications.services import failed_messages

    settings.EMAIL_BACKEND = "notifications.tests.backends.FailingBackend"
    settings.CERCHIO_OUTBOX_MAX_ATTEMPTS = 2
    add_follower(group, "rifiuta@example.org")
    queue_reminders(now=_evening_before(_next(group)))
    assert send_all() == 1
    message = OutboxMessage.objects.get(kind="reminder")
    assert message.status == "pending" and message.next_attempt_at > timezone.now() + timedelta(seconds=50)
    assert list(failed_messages(association_ids=[group.association_id])) == []
    assert send_all(now=timezone.now() + timedelta(minutes=2)) == 1
    message.refresh_from_db()
    assert message.status == "failed" and message.last_error.startswith("SMTPRecipientsRefused")
    assert list(failed_messages(association_ids=[group.association_id])) == [message]


def test_a_group_chooses_its_reminder_times_and_bad_choices_are_refused(group):
    from following.services import reminder_plan_set
    from network.models import Activity
    from network.services import Refused

    plan = reminder_plan_set(group=group, day_before_at=time(19, 0), hours_before=2, by=None)
    assert [name for name, _ in reminder_slots(_next(group), plan)] == ["d1", "h2"]
    assert Activity.objects.filter(action="reminders.plan", group=group).exists()
    with pytest.raises(Refused, match="almeno un promemoria"):
        reminder_plan_set(group=group, day_before_at=None, hours_before=None, by=None)
    with pytest.raises(Refused, match="da 1 a 24"):
        reminder_plan_set(group=group, day_before_at=None, hours_before=72, by=None)


def test_the_address_goes_to_the_outbox_still_sealed_and_account_followers_are_reminded_too(group, outbox_mail):
    from django.contrib.auth import get_user_model
    from django.db import connection

    by_email = add_follower(group, "sigillato@example.org")
    account = get_user_model().objects.create_user(username="socia", email="socia@example.org", password="x" * 12)
    add_follower(group, user=account, language="en")
    meeting = _next(group)
    assert queue_reminders(now=_evening_before(meeting)) == 2
    with connection.cursor() as cursor:
        cursor.execute("SELECT email FROM following_follower WHERE id = %s", [by_email.pk])
        (sealed,) = cursor.fetchone()
        cursor.execute(
            "SELECT recipient FROM notifications_outboxmessage WHERE key LIKE %s", [f"reminder:{by_email.pk}:%"]
        )
        (queued,) = cursor.fetchone()
    assert queued == sealed and "sigillato" not in queued  # copied as stored, never decrypted to be queued
    assert send_all() == 2
    assert sorted(message.to[0] for message in outbox_mail) == ["sigillato@example.org", "socia@example.org"]
