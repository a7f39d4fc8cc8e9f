"""`manage.py backup` and `manage.py restore` on real SQLite files, in separate processes as on a server."""

import hashlib
import os
import sqlite3
import subprocess
import sys
import threading
from contextlib import closing
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connections

ROOT = Path(__file__).resolve().parents[2]
DATABASE = "cerchio.sqlite3"


def cerchio_env(data_dir: Path) -> dict:
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "CERCHIO_ENV"}}
    env.update(DJANGO_SETTINGS_MODULE="cerchio.settings", CERCHIO_DATA_DIR=str(data_dir), DEBUG="false")
    return env


def manage(data_dir: Path, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *map(str, args)],
        cwd=ROOT,
        env=cerchio_env(data_dir),
        capture_output=True,
        text=True,
        timeout=180,
    )


def ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


def refused(result: subprocess.CompletedProcess) -> str:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("CommandError: ")
    return result.stderr


def query(path: Path, sql: str) -> list:
    with closing(sqlite3.connect(path)) as db:
        return db.execute(sql).fetchall()


def row_counts(path: Path) -> dict[str, int]:
    tables = [name for (name,) in query(path, "SELECT name FROM sqlite_master WHERE type = 'table'")]
    return {table: query(path, f'SELECT count(*) FROM "{table}"')[0][0] for table in tables}


def snapshot(folder: Path) -> dict[str, str]:
    """Every file in a folder with a hash of its bytes: to show that nothing changed."""
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """A data folder with a migrated database and the demo association in it."""
    data_dir = tmp_path_factory.mktemp("site")
    ok(manage(data_dir, "migrate", "--no-input", "-v", "0"))
    ok(manage(data_dir, "seed_demo"))
    return data_dir


@pytest.fixture(scope="module")
def good_copy(site, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("copies") / "good.sqlite3"
    ok(manage(site, "backup", path))
    return path


def test_backup_while_another_connection_writes_then_restore_into_a_fresh_data_dir(site, tmp_path):
    live = site / DATABASE
    themes_before = query(live, "SELECT count(*) FROM network_theme")[0][0]
    stop, written = threading.Event(), []

    def write_themes():
        with closing(sqlite3.connect(live, timeout=20)) as db:
            while not stop.is_set():
                slug = f"tema-{len(written)}"
                db.execute("INSERT INTO network_theme (slug, name_it, name_en) VALUES (?, ?, ?)", (slug, slug, slug))
                db.commit()
                written.append(slug)

    writer = threading.Thread(target=write_themes)
    writer.start()
    try:
        copy = tmp_path / "copy.sqlite3"
        assert "Backup written" in ok(manage(site, "backup", copy))
    finally:
        stop.set()
        writer.join()
    assert written, "the writer never ran"
    themes_in_copy = query(copy, "SELECT count(*) FROM network_theme")[0][0]
    assert themes_before <= themes_in_copy <= themes_before + len(written)
    assert query(copy, "PRAGMA integrity_check") == [("ok",)]
    assert query(copy, "PRAGMA journal_mode") == [("delete",)]
    assert oct(copy.stat().st_mode & 0o777) == "0o600"

    fresh = tmp_path / "fresh"
    fresh.mkdir()
    assert "Database restored" in ok(manage(fresh, "restore", copy, "--yes"))
    restored = fresh / DATABASE
    assert row_counts(restored) == row_counts(copy)
    assert row_counts(restored)["network_group"] > 0
    groups = "SELECT slug, name, association_id, status FROM network_group ORDER BY id LIMIT 5"
    assert query(restored, groups) == query(live, groups)
    assert query(restored, "SELECT slug FROM network_theme ORDER BY id") == query(
        live, f"SELECT slug FROM network_theme ORDER BY id LIMIT {themes_in_copy}"
    )
    # The restored site works: Django sees every migration applied.
    assert "[ ]" not in ok(manage(fresh, "showmigrations"))


def _random_bytes(good: Path, path: Path) -> None:
    path.write_bytes(os.urandom(64 * 1024))


def _truncated(good: Path, path: Path) -> None:
    path.write_bytes(good.read_bytes()[: good.stat().st_size // 2])


def _corrupted_page(good: Path, path: Path) -> None:
    data = bytearray(good.read_bytes())
    data[8192 : 8192 + 4096] = os.urandom(4096)
    path.write_bytes(bytes(data))


def _other_sqlite(good: Path, path: Path) -> None:
    with closing(sqlite3.connect(path)) as db:
        db.execute("CREATE TABLE notes (text)")
        db.commit()


def _foreign_django(good: Path, path: Path) -> None:
    with closing(sqlite3.connect(path)) as db:
        db.execute("CREATE TABLE django_migrations (id integer primary key, app, name, applied)")
        db.execute("INSERT INTO django_migrations (app, name, applied) VALUES ('blog', '0001_initial', '')")
        db.commit()


def _from_the_future(good: Path, path: Path) -> None:
    path.write_bytes(good.read_bytes())
    with closing(sqlite3.connect(path)) as db:
        db.execute("INSERT INTO django_migrations (app, name, applied) VALUES ('network', '9999_future', '')")
        db.execute("PRAGMA journal_mode=DELETE")
        db.commit()


def _missing_table(good: Path, path: Path) -> None:
    path.write_bytes(good.read_bytes())
    with closing(sqlite3.connect(path)) as db:
        db.execute("DROP TABLE network_meeting")
        db.commit()


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (_random_bytes, "not an SQLite database"),
        (_truncated, "cannot be read as a database"),
        (_corrupted_page, ""),
        (_other_sqlite, "not a Cerchio database"),
        (_foreign_django, "newer or different version"),
        (_from_the_future, "newer or different version"),
        (_missing_table, "network_meeting"),
    ],
    ids=lambda value: getattr(value, "__name__", "")[1:] or None,
)
def test_a_broken_file_is_refused_and_changes_nothing(site, good_copy, tmp_path, make, reason):
    broken = tmp_path / "broken.sqlite3"
    make(good_copy, broken)
    before = snapshot(site)
    message = refused(manage(site, "restore", broken, "--yes"))
    assert reason in message
    assert snapshot(site) == before


def test_restore_without_yes_only_checks(site, good_copy):
    before = snapshot(site)
    message = refused(manage(site, "restore", good_copy))
    assert "sound copy" in message and "--yes" in message
    assert snapshot(site) == before


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        (lambda tmp: tmp, "is a directory"),
        (lambda tmp: tmp / "missing" / "copy.sqlite3", "does not exist"),
        (lambda tmp: tmp / "taken.sqlite3", "already exists"),
    ],
    ids=["directory", "missing-folder", "existing-file"],
)
def test_hostile_backup_paths_get_a_clear_error(site, tmp_path, target, reason):
    (tmp_path / "taken.sqlite3").write_bytes(b"keep me")
    assert reason in refused(manage(site, "backup", target(tmp_path)))
    assert (tmp_path / "taken.sqlite3").read_bytes() == b"keep me"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["taken.sqlite3"]


@pytest.mark.parametrize(
    ("source", "reason"),
    [(lambda tmp: tmp, "is a directory"), (lambda tmp: tmp / "nope.sqlite3", "does not exist")],
    ids=["directory", "missing-file"],
)
def test_hostile_restore_paths_get_a_clear_error(site, tmp_path, source, reason):
    before = snapshot(site)
    assert reason in refused(manage(site, "restore", source(tmp_path), "--yes"))
    assert snapshot(site) == before


def test_force_overwrites_an_existing_file_with_a_sound_copy(site, tmp_path):
    target = tmp_path / "taken.sqlite3"
    target.write_bytes(b"old")
    ok(manage(site, "backup", target, "--force"))
    assert "sound copy" in refused(manage(site, "restore", target))


def test_a_backup_inside_a_transaction_is_refused_rather_than_waiting_for_ever(db, tmp_path, monkeypatch):
    # The check comes before any SQLite call, so it holds under the PostgreSQL run of the suite too.
    monkeypatch.setattr(connections["default"], "vendor", "sqlite")
    with pytest.raises(CommandError, match="inside a transaction"):
        call_command("backup", tmp_path / "copy.sqlite3")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("command", "tool"), [("backup", "pg_dump"), ("restore", "pg_restore")])
def test_on_postgresql_the_commands_point_to_its_own_tools(db, tmp_path, monkeypatch, command, tool):
    monkeypatch.setattr(connections["default"], "vendor", "postgresql")
    with pytest.raises(CommandError, match=tool):
        call_command(command, tmp_path / "copy", "--yes" if command == "restore" else "--force")
    assert list(tmp_path.iterdir()) == []
