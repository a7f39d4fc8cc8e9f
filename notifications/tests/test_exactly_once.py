"""Each message is sent once, with real worker processes racing and one killed mid-batch.

The workers share a database prepared by `migrate` in a temporary folder (SQLite), or a
scratch PostgreSQL database when DATABASE_URL is set. The test backend writes the mail
folder (one file per Message-ID) and appends every hand-off to a journal, so a message
sent twice shows twice in the journal even though its file is only replaced.
"""

import collections
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
N = 60
LEASE_SECONDS = 2

DATABASES = ["sqlite"] + (["postgresql"] if os.environ.get("DATABASE_URL", "").startswith("postgres") else [])


@pytest.fixture(params=DATABASES)
def shared_database(request, tmp_path):
    """Environment for subprocesses that all use one freshly migrated database."""
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="cerchio.settings",
        CERCHIO_DATA_DIR=str(tmp_path / "data"),
        EMAIL_BACKEND="notifications.tests.backends.JournalBackend",
        EMAIL_FILE_PATH=str(tmp_path / "mail"),
        CERCHIO_TEST_MAIL_JOURNAL=str(tmp_path / "journal"),
        CERCHIO_OUTBOX_LEASE_SECONDS=str(LEASE_SECONDS),
        LOG_LEVEL="WARNING",
    )
    scratch = None
    if request.param == "postgresql":
        import psycopg

        server = os.environ["DATABASE_URL"]
        scratch = f"cerchio_outbox_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{scratch}"')
        env["DATABASE_URL"] = urlunsplit(urlsplit(server)._replace(path=f"/{scratch}"))
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True, timeout=120)
    yield env
    if scratch:
        with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


def django(env, code: str):
    """Run Python with Django set up against the shared database; returns what it prints as JSON."""
    script = f"import django, json\ndjango.setup()\n{code}"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def enqueue(env, prefix: str) -> None:
    django(
        env,
        f"""
from django.db import transaction
from notifications.services import message_enqueue
with transaction.atomic():
    for number in range({N}):
        message_enqueue(kind="generic", key="{prefix}:" + str(number), to=f"p{{number}}@example.org",
                        language="it", context={{"body": "n. " + str(number)}})
print(json.dumps(True))
""",
    )


def outbox(env) -> dict:
    return django(
        env,
        """
from notifications.kinds import message_id
from notifications.models import OutboxMessage
print(json.dumps({message_id(m.kind, m.key): [m.status, m.attempts] for m in OutboxMessage.objects.all()}))
""",
    )


def worker(env, *args, **extra_env):
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", *args],
        cwd=ROOT,
        env={**env, **extra_env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def journal(env) -> collections.Counter:
    path = Path(env["CERCHIO_TEST_MAIL_JOURNAL"])
    return collections.Counter(path.read_text().split()) if path.exists() else collections.Counter()


def mail_files(env) -> set[str]:
    return {path.name for path in Path(env["EMAIL_FILE_PATH"]).glob("*.eml")}


def test_two_workers_at_once_send_each_message_once_and_each_periodic_slot_runs_once(shared_database):
    env = shared_database
    enqueue(env, "race")
    workers = [worker(env, "--once", "--limit", "7") for _ in range(2)]
    for process in workers:
        _, stderr = process.communicate(timeout=60)
        assert process.returncode == 0, stderr
    rows = outbox(env)
    assert len(rows) == N and all(status == "sent" for status, _ in rows.values())
    sends = journal(env)
    assert set(sends) == set(rows) and set(sends.values()) == {1}
    assert len(mail_files(env)) == N
    runs = django(
        env,
        """
from django_tasks_db.models import DBTaskResult
from notifications.models import PeriodicRun
tasks = sorted(DBTaskResult.objects.values_list("task_path", "status"))
print(json.dumps([PeriodicRun.objects.count(), tasks]))
""",
    )
    # Every registered periodic job ran exactly once (each app adds its own: see notifications/periodic.py).
    from notifications.periodic import PERIODIC

    assert {"network.tasks.refresh_meetings_task", "notifications.tasks.purge_expired_task"} <= {
        job.task.module_path for job in PERIODIC.values()
    }
    assert runs == [len(PERIODIC), sorted([job.task.module_path, "SUCCESSFUL"] for job in PERIODIC.values())]


def test_a_worker_killed_mid_batch_leaves_nothing_unsent_and_nothing_sent_twice(shared_database):
    env = shared_database
    enqueue(env, "kill")
    looping = worker(env, "--interval", "0.2", CERCHIO_TEST_MAIL_DELAY="0.1")
    deadline = time.monotonic() + 30
    while len(journal(env)) < N // 4 and time.monotonic() < deadline:
        time.sleep(0.05)
    looping.send_signal(signal.SIGKILL)
    looping.wait(timeout=10)
    before = outbox(env)
    assert 0 < sum(status == "sent" for status, _ in before.values()) < N, "the kill must land mid-batch"
    # The rest of the killed worker's claimed batch waits in `sending`; at most one was in hand.
    interrupted = {mid for mid, (status, _) in before.items() if status == "sending"}
    time.sleep(LEASE_SECONDS + 0.5)  # the killed worker's lease runs out
    for _ in range(2):
        finishing = worker(env, "--once")
        _, stderr = finishing.communicate(timeout=60)
        assert finishing.returncode == 0, stderr
    rows = outbox(env)
    assert all(status == "sent" for status, _ in rows.values())
    sends = journal(env)
    assert set(sends) == set(rows)
    twice = {mid for mid, count in sends.items() if count > 1}
    # The only possible resend: the message the kill interrupted after the hand-off, same Message-ID.
    assert twice <= interrupted and len(twice) <= 1 and all(sends[mid] == 2 for mid in twice)
    assert len(mail_files(env)) == N


def test_a_looping_worker_goes_on_at_once_while_its_passes_are_full(shared_database):
    env = shared_database
    enqueue(env, "busy")
    # Seven messages a pass and a minute between passes: waiting after full passes would send seven.
    looping = worker(env, "--interval", "60", "--limit", "7")
    deadline = time.monotonic() + 30
    while len(journal(env)) < N and time.monotonic() < deadline:
        time.sleep(0.05)
    looping.send_signal(signal.SIGTERM)
    looping.communicate(timeout=30)
    assert sum(journal(env).values()) == N
    assert all(status == "sent" for status, _ in outbox(env).values())


def test_a_worker_passes_over_rows_another_worker_is_claiming_and_sends_the_rest(shared_database, tmp_path):
    env = shared_database
    enqueue(env, "claim")
    release = tmp_path / "release-the-claim"
    # Another worker's claim, not yet committed: the ten oldest rows, held until `release` appears.
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"""
import django, json, os, time
from datetime import timedelta
django.setup()
from django.db import transaction
from django.utils import timezone
from notifications.models import OutboxMessage
with transaction.atomic():
    held = list(OutboxMessage.objects.order_by("pk").values_list("pk", flat=True)[:10])
    OutboxMessage.objects.filter(pk__in=held).update(
        status="sending", lease_owner="another-worker", lease_until=timezone.now() + timedelta(minutes=5)
    )
    print(json.dumps(held), flush=True)
    while not os.path.exists({str(release)!r}):
        time.sleep(0.05)
""",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert len(json.loads(holder.stdout.readline())) == 10
    sender = worker(env, "--once")
    try:
        if env.get("DATABASE_URL", "").startswith("postgres"):
            # The locked rows are skipped, not waited for: the pass ends while the claim is still open.
            _, stderr = sender.communicate(timeout=60)
            assert holder.poll() is None, "the other claim must still be open"
        else:
            # SQLite has one writer at a time: the worker waits for the other claim to commit.
            time.sleep(3)
            assert sender.poll() is None and not journal(env)
            release.touch()
            _, stderr = sender.communicate(timeout=60)
    finally:
        release.touch()
        if sender.poll() is None:  # a failed check above: do not leave the worker behind
            sender.kill()
            sender.wait(timeout=10)
    assert sender.returncode == 0, stderr
    holder.communicate(timeout=30)
    assert holder.returncode == 0

    rows = outbox(env)
    held = {mid for mid, (status, _) in rows.items() if status == "sending"}
    sent = {mid for mid, (status, _) in rows.items() if status == "sent"}
    assert len(held) == 10 and len(sent) == N - 10
    sends = journal(env)
    assert set(sends) == sent and set(sends.values()) == {1}
