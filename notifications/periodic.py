"""Jobs that run on a rhythm: each time slot enqueues its task once, however many workers run.

An app registers its jobs in its AppConfig.ready():

    register_periodic("refresh_meetings", task=refresh_meetings_task, at=time(2, 0))

`every=timedelta(hours=1)` runs once per hour-long slot (slots start at the Unix epoch);
`at=time(3, 30)` runs once a day, at that local time (TIME_ZONE) or at the first worker
pass after it. The worker's pass writes a PeriodicRun row for the current slot and enqueues
the task in the same transaction; the unique (name, slot) pair lets one worker win.
"""

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from notifications.models import PeriodicRun

logger = logging.getLogger(__name__)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Slot rows are only needed while their slot is current; older ones are removed.
KEEP_RUNS = timedelta(days=35)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    task: object  # a django-tasks Task; it takes no arguments and is idempotent
    every: timedelta | None = None
    at: time | None = None

    def slot(self, now: datetime) -> datetime:
        """The start of the slot `now` falls in."""
        if self.every:
            return EPOCH + ((now - EPOCH) // self.every) * self.every
        local = timezone.localtime(now)
        day = local.date() if local.time() >= self.at else local.date() - timedelta(days=1)
        return timezone.make_aware(datetime.combine(day, self.at))


PERIODIC: dict[str, PeriodicJob] = {}


def register_periodic(name: str, *, task, every: timedelta | None = None, at: time | None = None) -> PeriodicJob:
    if (every is None) == (at is None):
        raise ValueError("Give a periodic job either `every` or `at`")
    if every is not None and every <= timedelta(0):
        raise ValueError("`every` must be positive")
    job = PeriodicJob(name=name, task=task, every=every, at=at)
    if name in PERIODIC and PERIODIC[name] != job:
        raise ValueError(f"Periodic job {name!r} is already registered")
    PERIODIC[name] = job
    return job


def enqueue_due_periodic(*, now: datetime | None = None) -> list[str]:
    """Enqueue every job whose current slot has not been enqueued yet; returns their names."""
    now = now or timezone.now()
    enqueued = []
    for job in PERIODIC.values():
        slot = job.slot(now)
        if PeriodicRun.objects.filter(name=job.name, slot=slot).exists():
            continue
        try:
            with transaction.atomic():
                PeriodicRun.objects.create(name=job.name, slot=slot, enqueued_at=now)
                job.task.enqueue()
        except IntegrityError:
            continue  # another worker took this slot
        enqueued.append(job.name)
        logger.info("Enqueued periodic job %s for %s", job.name, slot.isoformat())
    PeriodicRun.objects.filter(slot__lt=now - KEEP_RUNS).delete()
    return enqueued
