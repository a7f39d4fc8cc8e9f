"""Database helpers for writes by the thousand (reminders): a write turn on SQLite, and
statements PostgreSQL prepares once.

The write turn: one writer at a time on SQLite, handed over the moment the other is done.
SQLite lets one connection write at a time. A connection that finds the database locked
sleeps in growing steps (1, 2, 5, 10 ms and more) before it tries again, so two
workers that each write after every one of thousands of messages spend more time asleep
than working: two of them sent fewer reminders a second than one. Taking an exclusive
lock on a file beside the database first makes them wait in the kernel instead, which
wakes the next one as soon as the lock is released.

PostgreSQL locks rows, not the database: there the write turn does nothing. Nor for a
database in memory (tests), which no other process can open.
"""

import fcntl
import os
import threading
from contextlib import contextmanager
from pathlib import Path

import psycopg
from django.db import connection, connections

_local = threading.local()
_files: dict[str, int] = {}
_files_lock = threading.Lock()


def _lock_file(name: str) -> int | None:
    if not name or name == ":memory:" or str(name).startswith("file:"):
        return None
    path = f"{Path(name).resolve()}.write-lock"
    with _files_lock:
        if path not in _files:
            _files[path] = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        return _files[path]


@contextmanager
def write_turn(using: str = "default"):
    """Hold the database's write turn for the writes inside (nested uses take it once)."""
    connection = connections[using]
    descriptor = _lock_file(connection.settings_dict["NAME"]) if connection.vendor == "sqlite" else None
    depth = getattr(_local, "depth", 0)
    if descriptor is None or depth:
        _local.depth = depth + 1
        try:
            yield
        finally:
            _local.depth = depth
        return
    fcntl.flock(descriptor, fcntl.LOCK_EX)
    _local.depth = 1
    try:
        yield
    finally:
        _local.depth = 0
        fcntl.flock(descriptor, fcntl.LOCK_UN)


def prepared_cursor():
    """A cursor whose statements the database prepares once and reuses.

    On PostgreSQL, Django's cursors bind parameters on the client, so the server parses and
    plans the same statement for every message; psycopg's own cursor sends them apart,
    prepares a statement run repeatedly, and pipelines executemany. Elsewhere, Django's cursor.
    """
    if connection.vendor != "postgresql":
        return connection.cursor()
    connection.ensure_connection()
    return psycopg.Cursor(connection.connection)
