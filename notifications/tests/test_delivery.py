"""Delivery: the right e-mail in the right language, re-checked before sending, retried, then failed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.delivery import BACKOFF, deliver_due
from notifications.kinds import message_id
from notifications.models import OutboxMessage, OutboxStatus
from notifications.services import message_enqueue

pytestmark = pytest.mark.django_db


def greeting(key="g:1", language="en"):
    return message_enqueue(
        kind="test_greeting",
        key=key,
        to="persona@example.org",
        language=language,
        context={"thing_id": 7, "link": "https://gruppi.example.org/it/"},
    )


def test_a_message_goes_out_as_text_and_html_in_the_recipients_language(greeting_kind, mailoutbox, settings):
    settings.CERCHIO_SITE_URL = "https://gruppi.example.org"
    greeting(key="en", language="en")
    greeting(key="it", language="it")
    assert deliver_due(worker_id="w1") == 2
    sent = {email.extra_headers["Message-ID"]: email for email in mailoutbox}
    english, italian = sent[message_id("test_greeting", "en")], sent[message_id("test_greeting", "it")]
    assert english.subject == "Monday" and italian.subject.lower() == "lunedì"
    assert english.to == ["persona@example.org"]
    assert "Monday en https://gruppi.example.org/it/ fresh-7" in english.body
    html, mimetype = english.alternatives[0]
    assert mimetype == "text/html" and '<p lang="en">' in html and "fresh-7" in html
    assert english.extra_headers["Message-ID"].endswith("@gruppi.example.org>")
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}
    assert deliver_due(worker_id="w1") == 0
    assert len(mailoutbox) == 2


def test_a_message_no_longer_wanted_is_cancelled_not_sent(greeting_kind, mailoutbox):
    message = greeting()
    greeting_kind["wanted"] = False
    assert deliver_due(worker_id="w1") == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.CANCELLED
    assert mailoutbox == []


def test_a_failing_message_is_retried_with_growing_waits_then_shown_as_failed(greeting_kind, settings):
    settings.EMAIL_BACKEND = "notifications.tests.backends.FailingBackend"
    settings.CERCHIO_OUTBOX_MAX_ATTEMPTS = 4
    message = greeting()
    now = timezone.now()
    for attempt in range(1, 4):
        assert deliver_due(worker_id="w1", now=now) == 1
        message.refresh_from_db()
        assert (message.status, message.attempts) == (OutboxStatus.PENDING, attempt)
        assert message.next_attempt_at == now + BACKOFF[attempt - 1]
        assert message.last_error == "SMTPRecipientsRefused"  # no address in the error
        assert deliver_due(worker_id="w1", now=now + BACKOFF[attempt - 1] - timedelta(seconds=1)) == 0
        now = message.next_attempt_at
    assert deliver_due(worker_id="w1", now=now) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.FAILED, 4)
    assert deliver_due(worker_id="w1", now=now + timedelta(days=1)) == 0


def test_a_message_abandoned_mid_send_is_taken_over_when_its_lease_runs_out(greeting_kind, mailoutbox, settings):
    message = greeting()
    now = timezone.now()
    lease_until = now + timedelta(seconds=settings.CERCHIO_OUTBOX_LEASE_SECONDS)
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.SENDING, lease_owner="dead-worker", lease_until=lease_until, attempts=1
    )
    assert deliver_due(worker_id="w2", now=now) == 0  # still held
    assert deliver_due(worker_id="w2", now=lease_until + timedelta(seconds=1)) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, message.lease_owner) == (OutboxStatus.SENT, 2, "")
    assert len(mailoutbox) == 1


def test_a_worker_that_lost_its_lease_does_not_overwrite_the_new_owners_result(greeting_kind):
    from notifications.delivery import _claim, _finish

    message = greeting()
    now = timezone.now()
    assert _claim(message.pk, worker_id="slow", now=now)
    assert not _claim(message.pk, worker_id="other", now=now)
    later = now + timedelta(hours=1)
    assert _claim(message.pk, worker_id="other", now=later)
    assert not _finish(message.pk, worker_id="slow", status=OutboxStatus.SENT)
    message.refresh_from_db()
    assert (message.status, message.lease_owner) == (OutboxStatus.SENDING, "other")


def test_a_message_that_keeps_killing_the_worker_ends_as_failed(greeting_kind, settings):
    message = greeting()
    now = timezone.now()
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.SENDING,
        lease_owner="dead",
        lease_until=now,
        attempts=settings.CERCHIO_OUTBOX_MAX_ATTEMPTS,
    )
    assert deliver_due(worker_id="w", now=now + timedelta(seconds=1)) == 0
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
