"""Writes to the outbox: enqueue a message, put a failed one back in line."""

import json
from collections.abc import Iterable

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from lib.bulkwrites import prepared_cursor
from notifications.kinds import get_kind
from notifications.models import OutboxMessage, OutboxStatus
from privacy import crypto
from privacy.crypto import blind_index


def message_enqueue(
    *,
    kind: str,
    key: str,
    to: str,
    language: str,
    context: dict,
    user=None,
    association_id: int | None = None,
) -> OutboxMessage:
    """Put an e-mail in the outbox. Call it inside the transaction of the change that causes it.

    The row commits or rolls back with that change. (kind, key) names the message: enqueueing
    the same pair again returns the row already there and sends nothing more.
    """
    get_kind(kind)  # an unknown kind fails here, in the request, not later in the worker
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"Unknown language {language!r}")
    if not to or "@" not in to:
        raise ValueError("An outbox message needs an e-mail address")
    existing = OutboxMessage.objects.filter(kind=kind, key=key).first()
    if existing:
        return existing
    try:
        # A savepoint, so a concurrent insert of the same key does not break the caller's transaction.
        with transaction.atomic():
            return OutboxMessage.objects.create(
                kind=kind,
                key=key,
                recipient=to,
                recipient_index=blind_index(to),
                recipient_user=user,
                language=language,
                context=context,
                association_id=association_id,
            )
    except IntegrityError:
        return OutboxMessage.objects.get(kind=kind, key=key)


def message_retry(*, message: OutboxMessage) -> bool:
    """Put a failed message back in line, with its attempts counted afresh. False if it had not failed."""
    updated = OutboxMessage.objects.filter(pk=message.pk, status=OutboxStatus.FAILED).update(
        status=OutboxStatus.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error=""
    )
    message.refresh_from_db()
    return updated == 1


def failed_messages(*, association_ids: Iterable[int]) -> QuerySet[OutboxMessage]:
    """Messages that could not be sent, for the coordinators of these associations."""
    return OutboxMessage.objects.filter(status=OutboxStatus.FAILED, association_id__in=list(association_ids)).order_by(
        "-created_at"
    )


# The outbox's columns in the order the bulk insert writes them; a test checks they are all of them.
BULK_COLUMNS = (
    "kind", "key", "recipient", "recipient_index", "recipient_user_id", "language", "context", "association_id",
    "status", "attempts", "next_attempt_at", "lease_owner", "lease_until", "last_error", "created_at", "sent_at",
)  # fmt: skip


def messages_prepare_bulk(*, kind: str, messages: Iterable[dict]) -> list[tuple]:
    """The outbox rows for many e-mails as database values, addresses encrypted; nothing is written.

    Each item has `key`, `to`, `language`, `context` and optionally `user_id`,
    `association_id` and `recipient_index` (the address's blind index, when the caller
    has it already). Instead of `to`, an item may give `sealed_to` with `recipient_index`:
    an address already encrypted by privacy.crypto (a follower's, copied as it is stored,
    so it is never decrypted to be queued). All the work is done here, outside any transaction:
    `messages_enqueue_prepared` then only writes, so the database is held briefly.
    """
    get_kind(kind)
    languages = dict(settings.LANGUAGES)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    rows = []
    for item in messages:
        if item.get("sealed_to"):
            if not item.get("recipient_index"):
                raise ValueError("A sealed address comes with its blind index")
            sealed, index = item["sealed_to"], item["recipient_index"]
        else:
            to = item["to"]
            if not to or "@" not in to:
                raise ValueError("An outbox message needs an e-mail address")
            sealed, index = crypto.encrypt(to), item.get("recipient_index") or blind_index(to)
        if item["language"] not in languages:
            raise ValueError(f"Unknown language {item['language']!r}")
        rows.append(
            (
                kind,
                item["key"],
                sealed,
                index,
                item.get("user_id"),
                item["language"],
                json.dumps(item["context"]),
                item.get("association_id"),
                OutboxStatus.PENDING.value,
                0,
                now,
                "",
                None,
                "",
                now,
                None,
            )
        )
    return rows


def messages_enqueue_prepared(*, rows: list[tuple]) -> int:
    """Insert rows from messages_prepare_bulk in one statement; returns how many were given.

    A (kind, key) already in the outbox is skipped by the unique constraint, so running the
    same enqueue twice, or in two workers at once, adds nothing. Plain SQL: Django's
    bulk_create would prepare each of the 16 values of every row again, inside the transaction.
    """
    if not rows:
        return 0
    quote = connection.ops.quote_name
    context = "%s::jsonb" if connection.vendor == "postgresql" else "%s"
    values = ", ".join(context if column == "context" else "%s" for column in BULK_COLUMNS)
    with prepared_cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {quote(OutboxMessage._meta.db_table)} ({', '.join(map(quote, BULK_COLUMNS))}) "  # noqa: S608
            f"VALUES ({values}) ON CONFLICT ({quote('kind')}, {quote('key')}) DO NOTHING",
            rows,
        )
    return len(rows)


def messages_enqueue_bulk(*, kind: str, messages: Iterable[dict]) -> int:
    """Put many e-mails in the outbox at once (change notices to a group's followers); returns how many."""
    return messages_enqueue_prepared(rows=messages_prepare_bulk(kind=kind, messages=messages))
