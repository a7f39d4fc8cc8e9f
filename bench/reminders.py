"""Reminders benchmark: queue and send the reminders of 100,000 followers of 10,000 groups.

    .venv/bin/python bench/reminders.py        (or: make bench)

Each group has a meeting tomorrow at 20:30 and ten followers known by e-mail (the
address encrypted, as in production). The clock is set to 18:00 the day before, and
the benchmark times what the worker does then:

  queue  following.reminders.queue_reminders: one bulk insert into the outbox;
  send   notifications.delivery.deliver_due until the outbox is empty, in one
         process per core (BENCH_WORKERS) as several workers would: claims in
         batches, re-checks every message (still following, meeting still on),
         renders plain text and HTML in the recipient's language, attaches the
         meeting's calendar file, and hands each message to the e-mail backend,
         recording each as sent on its own.

The backend is a sink in this process that builds every message's full MIME bytes
(headers, both bodies, the attachment) and throws them away: what an SMTP hand-off
costs Cerchio, without a mail server's own time.

The database is a fresh data/bench-reminders.sqlite3, or BENCH_REMINDERS_DATABASE_URL
(a PostgreSQL database that is emptied first). BENCH_FOLLOWERS and BENCH_GROUPS change
the size. Results go to bench/results/reminders.json (one entry per database).
"""

import json
import os
import platform
import subprocess
import sys
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
os.environ["EMAIL_BACKEND"] = "__main__.SinkBackend"
if not os.environ.get("BENCH_REMINDERS_DATABASE_URL"):
    DB_FILE.parent.mkdir(exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DB_FILE}{suffix}").unlink(missing_ok=True)

import django  # noqa: E402

warnings.filterwarnings("ignore", message="No directory at")
django.setup()

from django.core.mail.backends.base import BaseEmailBackend  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from following.models import Follow, Follower  # noqa: E402
from following.reminders import queue_reminders, reminder_slots  # noqa: E402
from network.models import Association, Group, Meeting, Schedule, Venue  # noqa: E402
from notifications.delivery import deliver_due  # noqa: E402
from notifications.models import OutboxMessage  # noqa: E402
from privacy import crypto  # noqa: E402

FOLLOWERS = int(os.environ.get("BENCH_FOLLOWERS", "100000"))
GROUPS = int(os.environ.get("BENCH_GROUPS", "10000"))
RESULTS = ROOT / "bench" / "results" / "reminders.json"
# Worker processes sending at once, as several `run_worker` would (one per core by default).
WORKERS = int(os.environ.get("BENCH_WORKERS", str(os.cpu_count() or 1)))


class SinkBackend(BaseEmailBackend):
    """Builds each message's bytes as SMTP would send them, then forgets them."""

    sent = 0
    size = 0

    def send_messages(self, email_messages):
        for message in email_messages:
            SinkBackend.size += len(message.message().as_bytes(linesep="\r\n"))
            SinkBackend.sent += 1
        return len(email_messages)


def prepare() -> Meeting:
    call_command("migrate", verbosity=0)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE following_follow, following_follower, following_reminderrun, following_meetingannouncement, "
                "notifications_outboxmessage, network_meeting, network_schedule, network_group_themes, "
                "network_group, network_venue, network_association CASCADE"
            )
    association = Association.objects.create(name="Associazione di prova", slug="bench")
    venue = Venue.objects.create(
        association=association, name="Sala civica", address="Via Roma 1", comune="Trento", province="TN",
        latitude=46.07, longitude=11.12,
    )  # fmt: skip
    zone = timezone.get_current_timezone()
    tomorrow = timezone.localdate() + timedelta(days=1)
    starts = datetime.combine(tomorrow, datetime.min.time().replace(hour=20, minute=30), tzinfo=zone)
    with transaction.atomic():
        groups = Group.objects.bulk_create(
            [
                Group(association=association, name=f"Gruppo {n}", slug=f"gruppo-{n}", venue=venue, description="")
                for n in range(GROUPS)
            ],
            batch_size=1000,
        )
        schedules = Schedule.objects.bulk_create(
            [Schedule(group=g, rrule="FREQ=WEEKLY", starts_on=tomorrow, start_time=starts.time()) for g in groups],
            batch_size=1000,
        )
        Meeting.objects.bulk_create(
            [
                Meeting(
                    group=g,
                    schedule=s,
                    original_date=tomorrow,
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
    return Meeting.objects.select_related("schedule").first()


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


def send_until_empty(number: int) -> None:
    """One worker process: send until nothing is due; prints (messages handed off, bytes)."""
    # A pass that lost every claim to the other process returns 0: stop only when nothing is due.
    while deliver_due(worker_id=f"bench-{number}", limit=2000) or OutboxMessage.objects.due(timezone.now()).exists():
        pass
    print(json.dumps([SinkBackend.sent, SinkBackend.size]))


def send_in_processes() -> tuple[int, int]:
    """Start WORKERS fresh processes on the same database, as several `run_worker` would."""
    env = {**os.environ, "BENCH_REMINDERS_DATABASE_URL": os.environ["DATABASE_URL"]}
    workers = [
        subprocess.Popen([sys.executable, __file__, "--send", str(n)], env=env, stdout=subprocess.PIPE, text=True)
        for n in range(WORKERS)
    ]
    outcomes = []
    for process in workers:
        out, _ = process.communicate()
        assert process.returncode == 0, "a sending process failed"
        outcomes.append(json.loads(out.strip().splitlines()[-1]))
    return sum(sent for sent, _ in outcomes), sum(size for _, size in outcomes)


def main() -> None:
    print(f"Preparing {GROUPS} groups and {FOLLOWERS} followers ({os.environ['DATABASE_URL'].split(':')[0]})…")
    meeting = prepare()
    ((_, due_at),) = reminder_slots(meeting)
    now = due_at + timedelta(seconds=30)
    started = time.perf_counter()
    queued = queue_reminders(now=now)
    queued_in = time.perf_counter() - started
    connections.close_all()
    handed_off, SinkBackend.size = send_in_processes()
    seconds = time.perf_counter() - started
    sent = OutboxMessage.objects.filter(kind="reminder", status="sent").count()
    assert sent == queued == FOLLOWERS == handed_off, (sent, queued, handed_off)
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "followers": FOLLOWERS,
        "groups": GROUPS,
        "messages": sent,
        "seconds": round(seconds, 2),
        "queue_seconds": round(queued_in, 2),
        "send_seconds": round(seconds - queued_in, 2),
        "messages_per_second": round(sent / seconds, 1),
        "mean_message_bytes": round(SinkBackend.size / max(sent, 1)),
        "batch": int(os.environ.get("CERCHIO_OUTBOX_BATCH", "100")),
        "worker_processes": WORKERS,
        "load_average_at_end": os.getloadavg()[0],
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
    if sys.argv[1:2] == ["--send"]:
        send_until_empty(int(sys.argv[2]))
    else:
        main()
