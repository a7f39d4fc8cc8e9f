"""Reminders and change notices go out once each, with real workers killed, racing and rerun.

Real `manage.py run_worker` processes share one freshly migrated database (SQLite, and
PostgreSQL when DATABASE_URL points at one), as in notifications/tests/test_exactly_once.py,
whose fixture and helpers this reuses. The backend journals every hand-off.
"""

import signal
import time

from notifications.tests.test_exactly_once import (  # noqa: F401  (shared_database is a fixture)
    LEASE_SECONDS,
    django,
    journal,
    mail_files,
    outbox,
    shared_database,
    worker,
)

FOLLOWERS = 15


def prepare(env) -> int:
    """A followed group, its next meeting's reminders queued and a change to the meeting after it noticed."""
    return django(
        env,
        f"""
from datetime import timedelta
from django.conf import settings
from django.utils import timezone
from following.models import Follow, Follower
from following.notices import announce_changes
from following.reminders import queue_reminders, reminder_slots
from network.models import Venue
from network.services import meeting_change_venue
from network.tests.factories import make_group
from privacy.crypto import blind_index

group = make_group(name="Gruppo riservato", slug="riservato")
for n in range({FOLLOWERS}):
    address = f"persona{{n}}@example.org"
    language = "it" if n % 2 else "en"
    follower = Follower.objects.create(email=address, email_index=blind_index(address), language=language)
    Follow.objects.create(follower=follower, group=group, confirmed_at=timezone.now())
announce_changes()
first, second = group.meetings.filter(starts_at__gt=timezone.now()).order_by("starts_at")[:2]
(slot,) = reminder_slots(first)
queued = queue_reminders(now=max(slot[1], timezone.now()) + timedelta(seconds=1))
other = Venue.objects.create(association=group.association, name="Sala B", address="Via B 2", comune="Trento",
                             province="TN", latitude=46.0, longitude=11.1)
meeting_change_venue(meeting=second, venue=other, by=None)
result = announce_changes(now=timezone.now() + timedelta(seconds=settings.CERCHIO_FOLLOWING_QUIET_SECONDS + 1))
print(json.dumps(queued + result["notices"]))
""",
    )


def kinds(env) -> dict:
    return django(
        env,
        """
from collections import Counter
from notifications.models import OutboxMessage
print(json.dumps(Counter(f"{m.kind}:{m.status}" for m in OutboxMessage.objects.all())))
""",
    )


def finish(process):
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr


def assert_each_sent_once(env, *, allowed_twice: set[str] = frozenset()):
    rows = outbox(env)
    assert len(rows) == 2 * FOLLOWERS
    assert all(status == "sent" for status, _ in rows.values()), rows
    sends = journal(env)
    assert set(sends) == set(rows)
    twice = {mid for mid, count in sends.items() if count > 1}
    assert twice <= allowed_twice and len(twice) <= 1
    assert len(mail_files(env)) == 2 * FOLLOWERS
    assert kinds(env) == {"reminder:sent": FOLLOWERS, "change_notice:sent": FOLLOWERS}


def test_a_worker_killed_mid_batch_then_rerun_sends_each_reminder_and_notice_once(shared_database):  # noqa: F811
    env = shared_database
    assert prepare(env) == 2 * FOLLOWERS
    looping = worker(env, "--interval", "0.2", CERCHIO_TEST_MAIL_DELAY="0.1", CERCHIO_OUTBOX_BATCH="7")
    deadline = time.monotonic() + 60
    while len(journal(env)) < FOLLOWERS // 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    looping.send_signal(signal.SIGKILL)
    looping.wait(timeout=10)
    before = outbox(env)
    assert 0 < sum(status == "sent" for status, _ in before.values()) < 2 * FOLLOWERS, "the kill must land mid-batch"
    interrupted = {mid for mid, (status, _) in before.items() if status == "sending"}
    time.sleep(LEASE_SECONDS + 0.5)
    finish(worker(env, "--once"))
    finish(worker(env, "--once"))
    assert_each_sent_once(env, allowed_twice=interrupted)


def test_two_workers_at_once_send_each_reminder_and_notice_once(shared_database):  # noqa: F811
    env = shared_database
    prepare(env)
    racing = [worker(env, "--once", "--limit", "1000", CERCHIO_OUTBOX_BATCH="4") for _ in range(2)]
    for process in racing:
        finish(process)
    assert_each_sent_once(env)


def test_once_twice_sends_nothing_more_the_second_time(shared_database):  # noqa: F811
    env = shared_database
    prepare(env)
    finish(worker(env, "--once", "--limit", "1000"))
    first = journal(env)
    finish(worker(env, "--once", "--limit", "1000"))
    assert journal(env) == first
    assert_each_sent_once(env)
