"""Sending the outbox, each message once, with any number of workers.

One message at a time: a worker claims it with a conditional UPDATE that only one worker
can win, commits the claim, asks the message's kind whether it is still wanted, sends,
and records the result only while it still holds the claim. A worker killed mid-send
leaves the row in `sending`; when its lease runs out another worker takes it over and
sends it again with the same Message-ID. That window (between the mail server accepting
the message and the row being marked sent) is the only way a message goes out twice.
"""

import logging
import smtplib
import threading
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from notifications.kinds import get_kind, render_message
from notifications.models import OutboxMessage, OutboxStatus

logger = logging.getLogger(__name__)

# Wait before the 1st, 2nd, … retry; the last value repeats.
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2), timedelta(hours=12))


def backoff(attempts: int) -> timedelta:
    return BACKOFF[min(attempts, len(BACKOFF)) - 1]


def _short_error(error: BaseException) -> str:
    """What went wrong, without the addresses SMTP errors tend to carry."""
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{type(error).__name__} {error.smtp_code}"
    return type(error).__name__[:200]


def _claim(pk: int, *, worker_id: str, now: datetime) -> bool:
    lease = timedelta(seconds=settings.CERCHIO_OUTBOX_LEASE_SECONDS)
    with transaction.atomic():
        claimed = (
            OutboxMessage.objects.due(now)
            .filter(pk=pk, attempts__lt=settings.CERCHIO_OUTBOX_MAX_ATTEMPTS)
            .update(
                status=OutboxStatus.SENDING,
                lease_owner=worker_id,
                lease_until=now + lease,
                attempts=F("attempts") + 1,
            )
        )
    return claimed == 1


def _finish(pk: int, *, worker_id: str, **values) -> bool:
    """Record the outcome, only if this worker still holds the message."""
    values.update(lease_owner="", lease_until=None)
    with transaction.atomic():
        done = OutboxMessage.objects.filter(pk=pk, status=OutboxStatus.SENDING, lease_owner=worker_id).update(**values)
    if not done:
        logger.warning("Outbox message %s: the lease ran out before the worker finished", pk)
    return done == 1


def _fail_abandoned(now: datetime) -> int:
    """Rows abandoned mid-send on their last allowed attempt (e.g. a message that crashes the worker)."""
    return OutboxMessage.objects.filter(
        status=OutboxStatus.SENDING, lease_until__lt=now, attempts__gte=settings.CERCHIO_OUTBOX_MAX_ATTEMPTS
    ).update(status=OutboxStatus.FAILED, lease_owner="", lease_until=None, last_error="abandoned")


def deliver_one(pk: int, *, worker_id: str, now: datetime | None = None) -> str | None:
    """Claim and send one message. Returns its new status, or None if another worker had it."""
    now = now or timezone.now()
    if not _claim(pk, worker_id=worker_id, now=now):
        return None
    message = OutboxMessage.objects.get(pk=pk)
    try:
        kind = get_kind(message.kind)
        if kind.still_wanted and not kind.still_wanted(message):
            _finish(pk, worker_id=worker_id, status=OutboxStatus.CANCELLED)
            return OutboxStatus.CANCELLED
        email = render_message(message)
        email.send(fail_silently=False)
    except Exception as error:
        if message.attempts >= settings.CERCHIO_OUTBOX_MAX_ATTEMPTS:
            status = OutboxStatus.FAILED
            _finish(pk, worker_id=worker_id, status=status, last_error=_short_error(error))
        else:
            status = OutboxStatus.PENDING
            _finish(
                pk,
                worker_id=worker_id,
                status=status,
                next_attempt_at=now + backoff(message.attempts),
                last_error=_short_error(error),
            )
        logger.warning("Outbox message %s (%s) not sent: %s", pk, message.kind, _short_error(error))
        return status
    forget = {"context": {}} if kind.forget_when_sent else {}
    _finish(pk, worker_id=worker_id, status=OutboxStatus.SENT, sent_at=timezone.now(), last_error="", **forget)
    return OutboxStatus.SENT


def deliver_due(
    *, worker_id: str, limit: int = 50, now: datetime | None = None, stop: threading.Event | None = None
) -> int:
    """Send up to `limit` due messages; returns how many this worker handled.

    `stop` (set on SIGTERM) ends the batch after the current message.
    """
    fixed_now = now
    _fail_abandoned(fixed_now or timezone.now())
    handled = 0
    while handled < limit and not (stop and stop.is_set()):
        current = fixed_now or timezone.now()
        candidates = list(
            OutboxMessage.objects.due(current)
            .filter(attempts__lt=settings.CERCHIO_OUTBOX_MAX_ATTEMPTS)
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)[: limit - handled]
        )
        if not candidates:
            break
        claimed_any = False
        for pk in candidates:
            if stop and stop.is_set():
                break
            if deliver_one(pk, worker_id=worker_id, now=fixed_now) is not None:
                handled += 1
                claimed_any = True
        if not claimed_any:
            break
    return handled
