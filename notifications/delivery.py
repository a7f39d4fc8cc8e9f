"""Sending the outbox, each message once, with any number of workers.

A batch at a time: a worker finds and claims due messages in one transaction that no other
worker can share rows with (locked rows are skipped on PostgreSQL; SQLite lets one writer
in at a time), commits the claim, asks each message's kind whether it is
still wanted (kinds with `prepare` answer for the whole batch in a few queries), sends
them one by one over one connection, and records each result right after its hand-off,
only while it still holds the claim. A worker killed mid-send
leaves the row in `sending`; when its lease runs out another worker takes it over and
sends it again with the same Message-ID. That window (between the mail server accepting
the message and the row being marked sent) is the only way a message goes out twice.
"""

import logging
import smtplib
import threading
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import get_random_string

from lib.bulkwrites import prepared_cursor, write_turn
from notifications.kinds import Extras, get_kind, render_message
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
    with write_turn(), transaction.atomic():
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
    with write_turn(), transaction.atomic():
        done = OutboxMessage.objects.filter(pk=pk, status=OutboxStatus.SENDING, lease_owner=worker_id).update(**values)
    if not done:
        logger.warning("Outbox message %s: the lease ran out before the worker finished", pk)
    return done == 1


def _mark_sent(pk: int, *, claim: str) -> None:
    """`_finish` for a message just handed off, as one plain statement: it runs once per message
    sent, and the ORM's query building would cost more than the statement itself.

    The claim name alone says the row is still this worker's: it is set with `sending` and
    cleared when the row leaves it, so the statement does not name the status (which would
    invite PostgreSQL to look the row up in the partial lease index instead of by id)."""
    table = connection.ops.quote_name(OutboxMessage._meta.db_table)
    sql = (
        f"UPDATE {table} SET status = %s, sent_at = %s, last_error = '', lease_owner = '', lease_until = NULL "  # noqa: S608
        "WHERE id = %s AND lease_owner = %s"
    )
    sent_at = connection.ops.adapt_datetimefield_value(timezone.now())
    with write_turn(), prepared_cursor() as cursor:
        cursor.execute(sql, [OutboxStatus.SENT.value, sent_at, pk, claim])
        if cursor.rowcount != 1:
            logger.warning("Outbox message %s: the lease ran out before the worker finished", pk)


@contextmanager
def _commits_without_waiting_for_the_disk():
    """While sending, PostgreSQL commits the outbox's bookkeeping without waiting for the disk.

    A worker killed right after a commit still leaves it with the server; only a crash of
    the database server itself could lose the last fraction of a second of commits, and
    then those messages go out again (same Message-ID), never that one is lost. Waiting for
    the disk after each of 100,000 reminders would take minutes. SQLite in WAL mode with
    synchronous=NORMAL makes the same trade for every commit.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO DEFAULT")


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


def _release(pks: list[int], *, claim: str) -> None:
    """Give back claimed messages not yet tried (the worker is stopping): they were never sent."""
    if pks:
        OutboxMessage.objects.filter(pk__in=pks, status=OutboxStatus.SENDING, lease_owner=claim).update(
            status=OutboxStatus.PENDING, lease_owner="", lease_until=None, attempts=F("attempts") - 1
        )


def _claim_next(count: int, *, claim: str, now: datetime) -> list[OutboxMessage]:
    """Take up to `count` due messages, oldest first: abandoned ones, then pending ones.

    Finding and claiming happen in one transaction, so two workers never reach for the same
    rows: on PostgreSQL the rows found are locked and other workers skip them; on SQLite the
    write turn lets one worker at a time in. Each look walks a small partial index in order
    and stops after `count` rows.
    """
    lease = timedelta(seconds=settings.CERCHIO_OUTBOX_LEASE_SECONDS)
    allowed = OutboxMessage.objects.select_for_update(skip_locked=True).filter(
        attempts__lt=settings.CERCHIO_OUTBOX_MAX_ATTEMPTS
    )
    with write_turn(), transaction.atomic():
        if connection.vendor == "postgresql":
            # The planner's statistics of the outbox date from a quiet moment (few rows pending):
            # believing the look will match a handful of rows, it gathers every pending row into a
            # bitmap and sorts them all, 30 ms per batch with 60,000 reminders waiting. Walking the
            # index in order and stopping after `count` rows costs a fraction of a millisecond.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_bitmapscan = off")
        abandoned = list(
            allowed.filter(status=OutboxStatus.SENDING, lease_until__lt=now)
            .order_by("lease_until", "pk")
            .values_list("pk", flat=True)[:count]
        )
        pending = allowed.filter(status=OutboxStatus.PENDING, next_attempt_at__lte=now).order_by(
            "next_attempt_at", "pk"
        )
        pks = abandoned + list(pending.values_list("pk", flat=True)[: count - len(abandoned)])
        if not pks:
            return []
        OutboxMessage.objects.filter(pk__in=pks).update(
            status=OutboxStatus.SENDING, lease_owner=claim, lease_until=now + lease, attempts=F("attempts") + 1
        )
    return list(OutboxMessage.objects.filter(pk__in=pks, lease_owner=claim).order_by("next_attempt_at", "pk"))


def _prepared(messages: list[OutboxMessage]) -> dict[int, Extras | None | Exception]:
    """For each message: its Extras, None when no longer wanted, or the error that stopped it."""
    result: dict[int, Extras | None | Exception] = {}
    by_kind: dict[str, list[OutboxMessage]] = {}
    for message in messages:
        by_kind.setdefault(message.kind, []).append(message)
    for name, group in by_kind.items():
        try:
            kind = get_kind(name)
            if kind.prepare is not None:
                extras = kind.prepare(group)
                for message in group:
                    result[message.pk] = extras.get(message.pk)
                continue
        except Exception as error:
            for message in group:
                result[message.pk] = error
            continue
        for message in group:
            try:
                wanted = not kind.still_wanted or kind.still_wanted(message)
                result[message.pk] = Extras() if wanted else None
            except Exception as error:
                result[message.pk] = error
    return result


def _failed(message: OutboxMessage, error: BaseException, *, claim: str, now: datetime) -> str:
    if message.attempts >= settings.CERCHIO_OUTBOX_MAX_ATTEMPTS:
        status = OutboxStatus.FAILED
        _finish(message.pk, worker_id=claim, status=status, last_error=_short_error(error))
    else:
        status = OutboxStatus.PENDING
        _finish(
            message.pk,
            worker_id=claim,
            status=status,
            next_attempt_at=now + backoff(message.attempts),
            last_error=_short_error(error),
        )
    logger.warning("Outbox message %s (%s) not sent: %s", message.pk, message.kind, _short_error(error))
    return status


def _deliver_claimed(
    messages: list[OutboxMessage], *, claim: str, now: datetime | None, stop: threading.Event | None
) -> int:
    """Send claimed messages over one connection; each is recorded as sent right after its hand-off,
    so a worker killed mid-batch can only ever resend the one message in hand."""
    prepared = _prepared(messages)
    cancelled = [message.pk for message in messages if prepared[message.pk] is None]
    if cancelled:
        OutboxMessage.objects.filter(pk__in=cancelled, status=OutboxStatus.SENDING, lease_owner=claim).update(
            status=OutboxStatus.CANCELLED, lease_owner="", lease_until=None
        )
    handled = len(cancelled)
    connection = get_connection(fail_silently=False)
    try:
        for position, message in enumerate(messages):
            extras = prepared[message.pk]
            if extras is None:
                continue
            current = now or timezone.now()
            if stop and stop.is_set():
                _release([m.pk for m in messages[position:] if prepared[m.pk] is not None], claim=claim)
                break
            if message.lease_until <= current:
                break  # the lease ran out: another worker may hold these now
            if isinstance(extras, Exception):
                _failed(message, extras, claim=claim, now=current)
                handled += 1
                continue
            try:
                email = render_message(message, extras)
                email.connection = connection
                email.send(fail_silently=False)
            except Exception as error:
                _failed(message, error, claim=claim, now=current)
                handled += 1
                connection.close()  # a broken session must not carry over to the next message
                continue
            if get_kind(message.kind).forget_when_sent:
                _finish(message.pk, worker_id=claim, status=OutboxStatus.SENT, sent_at=timezone.now(), context={})
            else:
                _mark_sent(message.pk, claim=claim)
            handled += 1
    finally:
        connection.close()
    return handled


def deliver_due(
    *,
    worker_id: str,
    limit: int = 50,
    now: datetime | None = None,
    stop: threading.Event | None = None,
    batch: int | None = None,
) -> int:
    """Send up to `limit` due messages, claimed `batch` at a time; returns how many this worker handled.

    `stop` (set on SIGTERM) ends the batch after the current message and gives the rest back.
    """
    batch = batch or settings.CERCHIO_OUTBOX_BATCH
    fixed_now = now
    _fail_abandoned(fixed_now or timezone.now())
    with _commits_without_waiting_for_the_disk():
        return _deliver_batches(worker_id=worker_id, limit=limit, fixed_now=fixed_now, stop=stop, batch=batch)


def _deliver_batches(
    *, worker_id: str, limit: int, fixed_now: datetime | None, stop: threading.Event | None, batch: int
) -> int:
    handled = 0
    while handled < limit and not (stop and stop.is_set()):
        current = fixed_now or timezone.now()
        # One claim name per batch, so the rows it won are told apart from any other claim.
        claim = f"{worker_id[:56]}.{get_random_string(6)}"
        messages = _claim_next(min(batch, limit - handled), claim=claim, now=current)
        if not messages:
            break
        handled += _deliver_claimed(messages, claim=claim, now=fixed_now, stop=stop)
    return handled
