"""Reminders benchmark: 100,000 followers of 10,000 groups, reminded by real worker processes.

    .venv/bin/python bench/reminders.py        (or: make bench)

Each group has ten followers known by e-mail (addresses encrypted, as in production), a
fifth of them in English, and a meeting whose reminder falls due at the next full minute,
as "the day before at 18:00" does for a whole network at once. Before that minute the
benchmark starts BENCH_WORKERS `manage.py run_worker --interval 1` processes (one per
core), as a deployment runs them, on the same database. The other periodic jobs have
already run, as they would have on a live site before 18:00. Then it waits.

At the minute, the first worker pass enqueues the periodic reminder job and one worker
runs it: following.reminders.queue_reminders, one transaction per 500 meetings. Meanwhile
the other workers send what each committed transaction added: they claim messages in
batches, re-check each one (still following, meeting still on), fill it into the shared
MIME skeleton with its text and HTML in the recipient's language, its links and the
meeting's calendar file, hand it to the e-mail backend and mark it sent.

The backend (bench/sink.py) builds every message's full bytes, as SMTP would send
them, and throws them away: what a hand-off costs Cerchio, without a mail server's own
time.

Figures: `seconds` runs from the moment the reminder job started to the moment the last
message was marked sent (queue plus send); `queue_seconds` is the job itself;
`from_the_minute_seconds` adds the wait for the next worker pass.

The database is a fresh data/bench-reminders.sqlite3, or BENCH_REMINDERS_DATABASE_URL
(a PostgreSQL database that is emptied first). BENCH_FOLLOWERS and BENCH_GROUPS change
the size. Results go to bench/results/reminders.json (one entry per database).
"""

import json
import os
import platform
import resource
import signal
import subprocess
import sys
import tempfile
import time
import warnings
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_FILE = ROOT / "data" / "bench-reminders.sqlite3"
os.environ["DJANGO_SETTINGS_MODULE"] = "cerchio.settings"
os.environ["DATABASE_URL"] = os.environ.get("BENCH_REMINDERS_DATABASE_URL") or f"sqlite:///{DB_FILE}"
os.environ.setdefault("DEBUG", "false")
os.environ["EMAIL_BACKEND"] = "bench.sink.SinkBackend"
if not os.environ.get("BENCH_REMINDERS_DATABASE_URL"):
    DB_FILE.parent.mkdir(exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DB_FILE}{suffix}").unlink(missing_ok=True)

import django  # noqa: E402

warnings.filterwarnings("ignore", message="No directory at")
django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402
from django.db.models import Max  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from following.models import Follow, Follower, ReminderPlan  # noqa: E402
from following.notices import baseline_for_groups  # noqa: E402
from network.models import Association, Group, Meeting, Schedule, Venue  # noqa: E402
from notifications.models import OutboxMessage, OutboxStatus, PeriodicRun  # noqa: E402
from notifications.periodic import PERIODIC  # noqa: E402
from privacy import crypto  # noqa: E402

FOLLOWERS = int(os.environ.get("BENCH_FOLLOWERS", "100000"))
GROUPS = int(os.environ.get("BENCH_GROUPS", "10000"))
RESULTS = ROOT / "bench" / "results" / "reminders.json"
WORKERS = int(os.environ.get("BENCH_WORKERS", str(os.cpu_count() or 1)))
HOURS_BEFORE = 2
REMINDER_TASK = "following.tasks.queue_reminders_task"


def prepare() -> None:
    """Groups, their followers, and meetings reminded HOURS_BEFORE hours before (moved into place later)."""
    call_command("migrate", verbosity=0)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE following_follow, following_follower, following_reminderrun, following_reminderplan, "
                "following_meetingannouncement, notifications_outboxmessage, notifications_periodicrun, "
                "django_tasks_database_dbtaskresult, network_meeting, network_schedule, network_group_themes, "
                "network_group, network_venue, network_association CASCADE"
            )
    association = Association.objects.create(name="Associazione di prova", slug="bench")
    venue = Venue.objects.create(
        association=association, name="Sala civica", address="Via Roma 1", comune="Trento", province="TN",
        latitude=46.07, longitude=11.12,
    )  # fmt: skip
    starts = timezone.now() + timedelta(days=3)
    with transaction.atomic():
        groups = Group.objects.bulk_create(
            [
                Group(association=association, name=f"Gruppo {n}", slug=f"gruppo-{n}", venue=venue, description="")
                for n in range(GROUPS)
            ],
            batch_size=1000,
        )
        ReminderPlan.objects.bulk_create(
            [ReminderPlan(group=g, day_before_at=None, hours_before=HOURS_BEFORE) for g in groups], batch_size=1000
        )
        schedules = Schedule.objects.bulk_create(
            [Schedule(group=g, rrule="FREQ=WEEKLY", starts_on=starts.date(), start_time=starts.time()) for g in groups],
            batch_size=1000,
        )
        Meeting.objects.bulk_create(
            [
                Meeting(
                    group=g,
                    schedule=s,
                    original_date=starts.date(),
                    original_start=starts,
                    starts_at=starts,
                    ends_at=starts + timedelta(hours=2),
                    venue=venue,
                )  # fmt: skip
                for g, s in zip(groups, schedules, strict=True)
            ],
            batch_size=1000,
        )
        followers = []
        for n in range(FOLLOWERS):
            address = f"persona{n}@example.org"
            followers.append(
                Follower(email=address, email_index=crypto.blind_index(address), language="en" if n % 5 == 0 else "it")
            )
        followers = Follower.objects.bulk_create(followers, batch_size=2000)
        now = timezone.now()
        Follow.objects.bulk_create(
            [Follow(follower=f, group=groups[n % GROUPS], confirmed_at=now) for n, f in enumerate(followers)],
            batch_size=2000,
        )


def due_at_next_minute() -> datetime:
    """Move every meeting so that its reminder falls due at the next full minute (at least 8 s ahead)."""
    minute = (timezone.now() + timedelta(seconds=8)).replace(second=0, microsecond=0) + timedelta(minutes=1)
    starts = (minute + timedelta(hours=HOURS_BEFORE)).astimezone(timezone.get_current_timezone())
    Meeting.objects.update(
        original_date=starts.date(), original_start=starts, starts_at=starts, ends_at=starts + timedelta(hours=2)
    )
    Schedule.objects.update(starts_on=starts.date(), start_time=starts.time())
    # What a live site has done before the minute: the nightly jobs, the state followers were
    # told, and (PostgreSQL) autovacuum's statistics of the tables just filled.
    baseline_for_groups(Group.objects.values("pk"))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    for job in PERIODIC.values():
        if job.at is not None:
            PeriodicRun.objects.get_or_create(name=job.name, slot=job.slot(minute))
    return minute


def start_workers(sink: str, log) -> list[subprocess.Popen]:
    env = {**os.environ, "BENCH_SINK_DIR": sink, "LOG_LEVEL": "WARNING"}
    return [
        subprocess.Popen(
            [sys.executable, "manage.py", "run_worker", "--interval", "1", "-v", "0"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=log,
        )
        for _ in range(WORKERS)
    ]


def stop_workers(workers: list[subprocess.Popen]) -> None:
    for process in workers:
        process.send_signal(signal.SIGTERM)
    for process in workers:
        process.wait(timeout=120)


def machine() -> dict:
    cpu = memory = ""
    try:
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
        memory = next(
            f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
    except (OSError, StopIteration):
        cpu = cpu or platform.processor()
    with connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_version()" if connection.vendor == "sqlite" else "SELECT version()")
        version = cursor.fetchone()[0]
    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "database": f"{connection.vendor} {version}",
    }


def main() -> None:
    print(f"Preparing {GROUPS} groups and {FOLLOWERS} followers ({connection.vendor})…")
    prepare()
    minute = due_at_next_minute()
    connections.close_all()
    sink = tempfile.mkdtemp(prefix="cerchio-bench-sink-")
    with open(Path(sink) / "workers.log", "w") as log:
        workers = start_workers(sink, log)
        try:
            wait = (minute - timezone.now()).total_seconds()
            print(f"{WORKERS} workers started; the reminders fall due at {minute:%H:%M:%S} UTC, in {wait:.0f} s…")
            time.sleep(wait)
            deadline = time.monotonic() + 3600
            while OutboxMessage.objects.filter(status=OutboxStatus.SENT).count() < FOLLOWERS:
                assert time.monotonic() < deadline, "not all reminders were sent within an hour"
                assert all(process.poll() is None for process in workers), "a worker stopped"
                # Counting is a scan of the outbox: look once a second, so as not to load the database the
                # workers use (the figure comes from the last sent_at, not from when the count saw it).
                time.sleep(1)
        finally:
            stop_workers(workers)
    # CPU time of the workers (waited-for children): a figure that other load on the machine barely moves.
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    handed = [json.loads(path.read_text()) for path in Path(sink).glob("*.json")]
    sent = OutboxMessage.objects.filter(kind="reminder", status=OutboxStatus.SENT)
    # The reminder job runs every minute: the run that queued them is the first one from the minute on.
    job = DBTaskResult.objects.filter(task_path=REMINDER_TASK, started_at__gte=minute).order_by("started_at").first()
    last_sent = sent.aggregate(last=Max("sent_at"))["last"]
    handed_off = sum(h["messages"] for h in handed)
    assert sent.count() == FOLLOWERS == handed_off, (sent.count(), handed_off)
    seconds = (last_sent - job.started_at).total_seconds()
    queue_seconds = (job.finished_at - job.started_at).total_seconds()
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "followers": FOLLOWERS,
        "groups": GROUPS,
        "messages": handed_off,
        "seconds": round(seconds, 2),
        "queue_seconds": round(queue_seconds, 2),
        "from_the_minute_seconds": round((last_sent - minute).total_seconds(), 2),
        "messages_per_second": round(handed_off / seconds, 1),
        "mean_message_bytes": round(sum(h["bytes"] for h in handed) / max(handed_off, 1)),
        "worker_cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
        "worker_processes": WORKERS,
        "worker_command": "manage.py run_worker --interval 1",
        "outbox_batch": settings.CERCHIO_OUTBOX_BATCH,
        "load_average_at_end": round(os.getloadavg()[0], 2),
        "database": connection.vendor,
        "machine": machine(),
    }
    print(json.dumps(result, indent=2))
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    if "runs" not in results:
        results = {"runs": {}}
    results["runs"][connection.vendor] = result
    # The figures the issue asks for, for the slowest database measured.
    slowest = max(results["runs"].values(), key=lambda run: run["seconds"])
    results.update({key: slowest[key] for key in ("followers", "groups", "messages", "seconds", "database", "machine")})
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
