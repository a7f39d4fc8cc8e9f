"""The outbox: rows written with the change that causes them, once per key, addresses encrypted."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from notifications.models import OutboxMessage, OutboxStatus
from notifications.services import (
    BULK_COLUMNS,
    failed_messages,
    message_enqueue,
    message_retry,
    messages_enqueue_prepared,
    messages_prepare_bulk,
)
from privacy.crypto import blind_index

pytestmark = pytest.mark.django_db


def enqueue(key="k:1", **extra):
    values = {"kind": "generic", "key": key, "to": "persona@example.org", "language": "it", "context": {"body": "x"}}
    return message_enqueue(**{**values, **extra})


def test_a_message_enqueued_in_a_rolled_back_transaction_leaves_no_row():
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue()
        raise RuntimeError("the change that caused the message fails")
    assert not OutboxMessage.objects.exists()


def test_enqueueing_the_same_key_twice_creates_one_row():
    first = enqueue()
    second = enqueue(to="altro@example.org")
    assert first.pk == second.pk
    assert OutboxMessage.objects.count() == 1
    assert enqueue(key="k:2").pk != first.pk


def test_a_duplicate_key_does_not_break_the_callers_transaction():
    with transaction.atomic():
        enqueue()
        assert enqueue().pk == OutboxMessage.objects.get().pk
        get_user_model().objects.create(username="ancora-utilizzabile")
    assert get_user_model().objects.filter(username="ancora-utilizzabile").exists()


def test_the_recipient_address_is_not_in_the_database_in_clear():
    enqueue(to="segreto.indirizzo@example.org")
    with connection.cursor() as cursor:
        cursor.execute("SELECT recipient FROM notifications_outboxmessage")
        (stored,) = cursor.fetchone()
    assert "segreto" not in stored and "example.org" not in stored
    assert OutboxMessage.objects.get().recipient == "segreto.indirizzo@example.org"


def test_bulk_rows_are_encrypted_before_they_are_written_and_read_back_like_any_other():
    items = [
        {"key": f"b:{n}", "to": f"segreto{n}@example.org", "language": "it", "context": {"body": "x", "n": n}}
        for n in range(3)
    ]
    rows = messages_prepare_bulk(kind="generic", messages=items)
    assert not any("segreto" in str(value) for row in rows for value in row)  # sealed before any transaction
    assert messages_enqueue_prepared(rows=rows) == 3
    assert messages_enqueue_prepared(rows=rows) == 3  # given again: the unique key skips them
    with connection.cursor() as cursor:
        cursor.execute("SELECT recipient FROM notifications_outboxmessage ORDER BY id")
        stored = [value for (value,) in cursor.fetchall()]
    assert len(stored) == 3 and not any("segreto" in value for value in stored)
    single = message_enqueue(kind="generic", key="one", to="segreto9@example.org", language="it", context={"n": 9})
    bulk = OutboxMessage.objects.get(key="b:2")
    assert (bulk.recipient, bulk.context, bulk.recipient_index) == (
        "segreto2@example.org",
        {"body": "x", "n": 2},
        blind_index("segreto2@example.org"),
    )
    # Every column has the value a row saved one at a time gets.
    for field in OutboxMessage._meta.concrete_fields:
        if field.name not in ("id", "key", "recipient", "recipient_index", "context", "created_at", "next_attempt_at"):
            assert getattr(bulk, field.attname) == getattr(single, field.attname), field.name
    assert abs(bulk.created_at - single.created_at).total_seconds() < 60
    assert bulk in OutboxMessage.objects.due(timezone.now())


def test_the_bulk_insert_writes_every_column():
    columns = {field.column for field in OutboxMessage._meta.concrete_fields} - {"id"}
    assert set(BULK_COLUMNS) == columns and len(BULK_COLUMNS) == len(columns)


def test_an_unknown_kind_or_language_is_refused_at_once():
    with pytest.raises(LookupError):
        enqueue(kind="nessuno")
    with pytest.raises(ValueError):
        enqueue(language="de")
    assert not OutboxMessage.objects.exists()


def test_a_failed_message_can_be_put_back_in_line_and_is_listed_for_its_association_only():
    mine = enqueue(key="a", association_id=1)
    other = enqueue(key="b", association_id=2)
    OutboxMessage.objects.update(status=OutboxStatus.FAILED, attempts=6, last_error="SMTPServerDisconnected")
    assert list(failed_messages(association_ids=[1])) == [mine]
    assert message_retry(message=mine)
    assert mine.status == OutboxStatus.PENDING and mine.attempts == 0 and mine.last_error == ""
    assert list(failed_messages(association_ids=[1, 2])) == [other]
    assert not message_retry(message=mine)  # only a failed message goes back in line


def test_a_persons_messages_are_exported_and_erased_with_them():
    from privacy.services import user_erase, user_export

    person = get_user_model().objects.create(username="persona", email="persona@example.org")
    enqueue(user=person)
    exported = user_export(user=person, by=person)["data"]["notifications.outboxmessage"]
    assert [row["kind"] for row in exported] == ["generic"]
    user_erase(user=person)
    assert not OutboxMessage.objects.exists()
