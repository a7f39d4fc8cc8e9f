"""Consistent copies of the SQLite database, and their checked return (docs/deploy.md).

PostgreSQL has its own tools (pg_dump, pg_restore); these functions serve SQLite only.
"""

import os
import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader

SQLITE_HEADER = b"SQLite format 3\x00"


class BackupError(Exception):
    """A refusal with a message for the operator; nothing was changed."""


def require_sqlite(alias: str = "default", *, tool: str) -> None:
    vendor = connections[alias].vendor
    if vendor != "sqlite":
        raise BackupError(
            f"This database is {vendor}: this command handles SQLite only. "
            f"Use PostgreSQL's own tools ({tool}), as docs/deploy.md explains."
        )


def live_database_path(alias: str = "default") -> Path:
    return Path(settings.DATABASES[alias]["NAME"])


def _check_destination(destination: Path, *, force: bool) -> None:
    if destination.is_dir():
        raise BackupError(f"{destination} is a directory: give the name of the file to write.")
    if not destination.parent.is_dir():
        raise BackupError(f"The folder {destination.parent} does not exist.")
    if destination.exists() and not force:
        raise BackupError(f"{destination} already exists: choose another name, or add --force to overwrite it.")
    if destination.exists() and destination.resolve() == live_database_path().resolve():
        raise BackupError(f"{destination} is the live database itself.")


def _temporary_next_to(path: Path) -> Path:
    descriptor, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    os.close(descriptor)
    os.chmod(name, 0o600)  # the copy holds personal data, like the database itself
    return Path(name)


def backup_write(*, destination: Path, force: bool = False, alias: str = "default") -> Path:
    """Write a consistent single-file copy of the live database while the site keeps running.

    SQLite's online backup API copies every page inside one read transaction, so the copy
    is the database at one instant even while others write (WAL lets them continue).
    """
    require_sqlite(alias, tool="pg_dump")
    destination = Path(destination)
    _check_destination(destination, force=force)
    connection = connections[alias]
    if connection.in_atomic_block:
        # Our own open write transaction would keep the backup waiting on itself for ever.
        raise BackupError("A backup cannot be taken inside a transaction.")
    connection.ensure_connection()
    partial = _temporary_next_to(destination)
    try:
        with closing(sqlite3.connect(partial)) as target:
            connection.connection.backup(target, pages=-1)
            # One self-contained file: no -wal beside it when it is opened later.
            target.execute("PRAGMA journal_mode=DELETE")
            if target.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError("The copy failed its integrity check; nothing was written.")
        _fsync(partial)
        if destination.exists() and not force:
            raise BackupError(f"{destination} appeared while the copy was written; nothing was overwritten.")
        os.replace(partial, destination)
    finally:
        partial.unlink(missing_ok=True)
    return destination


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _expected_tables(loader: MigrationLoader, applied: set[tuple[str, str]]) -> set[str]:
    """The tables the migrations applied in the copy create, as this code knows them."""
    state = loader.project_state(nodes=sorted(applied), at_end=True)
    tables = set()
    for model in state.apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            tables.add(model._meta.db_table)
    return tables


def backup_check(path: Path) -> dict:
    """Check that a file is a sound Cerchio database that this code can migrate; raise BackupError if not."""
    path = Path(path)
    if path.is_dir():
        raise BackupError(f"{path} is a directory, not a backup file.")
    if not path.is_file():
        raise BackupError(f"{path} does not exist.")
    with open(path, "rb") as handle:
        if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise BackupError(f"{path} is not an SQLite database.")
    try:
        # Read-only and immutable: checking a copy never writes to it, nor next to it.
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)) as copy:
            problems = [row[0] for row in copy.execute("PRAGMA integrity_check").fetchall()]
            if problems != ["ok"]:
                raise BackupError(f"{path} is damaged: {'; '.join(problems[:3])}")
            tables = {row[0] for row in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "django_migrations" not in tables:
                raise BackupError(f"{path} is not a Cerchio database (it has no migration history).")
            applied = {(app, name) for app, name in copy.execute("SELECT app, name FROM django_migrations")}
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} cannot be read as a database: {error}") from None
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.graph.nodes)
    unknown = applied - known
    if unknown:
        names = ", ".join(f"{app}.{name}" for app, name in sorted(unknown)[:5])
        raise BackupError(f"{path} comes from a newer or different version of Cerchio (migrations {names}).")
    if not any(app == "network" for app, _name in applied):
        raise BackupError(f"{path} is not a Cerchio database (no Cerchio migrations).")
    missing = _expected_tables(loader, applied) - tables
    if missing:
        names = ", ".join(sorted(missing)[:5])
        raise BackupError(f"{path} is not a complete Cerchio database: tables {names} missing.")
    return {"tables": len(tables), "migrations": len(applied), "pending": len(known - applied)}


def backup_restore(*, source: Path, alias: str = "default") -> dict:
    """Replace the live database with a checked copy, atomically; nothing changes if the copy is refused."""
    require_sqlite(alias, tool="pg_restore")
    source = Path(source)
    report = backup_check(source)
    target = live_database_path(alias)
    if target.exists() and source.resolve() == target.resolve():
        raise BackupError(f"{source} is the live database itself.")
    if not target.parent.is_dir():
        raise BackupError(f"The folder of the database, {target.parent}, does not exist.")
    partial = _temporary_next_to(target)
    try:
        with open(source, "rb") as reading, open(partial, "wb") as writing:
            while chunk := reading.read(1 << 20):
                writing.write(chunk)
            writing.flush()
            os.fsync(writing.fileno())
        if target.exists():
            os.chmod(partial, target.stat().st_mode & 0o777)  # whoever could open it still can
        connection = connections[alias]
        if target.exists():
            # Fold the old write-ahead log into the old file, so no stale log meets the new one.
            connection.ensure_connection()
            connection.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.close()
        os.replace(partial, target)
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
    finally:
        partial.unlink(missing_ok=True)
    return report
