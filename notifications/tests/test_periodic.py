"""Periodic jobs: one enqueue per slot, however often the worker passes."""

from datetime import UTC, datetime, time, timedelta

import pytest
from django_tasks_db.models import DBTaskResult

from notifications.models import PeriodicRun
from notifications.periodic import PERIODIC, PeriodicJob, enqueue_due_periodic, register_periodic
from notifications.tasks import purge_expired_task

pytestmark = pytest.mark.django_db


def test_each_slot_of_a_periodic_job_is_enqueued_once(monkeypatch):
    monkeypatch.setattr("notifications.periodic.PERIODIC", {})
    register_periodic("purge_hourly", task=purge_expired_task, every=timedelta(hours=1))
    start = datetime(2026, 3, 2, 10, 5, tzinfo=UTC)
    assert enqueue_due_periodic(now=start) == ["purge_hourly"]
    assert enqueue_due_periodic(now=start + timedelta(minutes=50)) == []
    assert enqueue_due_periodic(now=start + timedelta(minutes=56)) == ["purge_hourly"]
    assert PeriodicRun.objects.count() == 2
    assert DBTaskResult.objects.filter(task_path=purge_expired_task.module_path).count() == 2


def test_a_daily_job_runs_once_a_day_after_its_local_time(settings):
    settings.TIME_ZONE = "Europe/Rome"
    job = PeriodicJob(name="daily", task=purge_expired_task, at=time(3, 30))
    before = datetime(2026, 7, 1, 1, 0, tzinfo=UTC)  # 03:00 in Rome
    after = datetime(2026, 7, 1, 1, 45, tzinfo=UTC)  # 03:45 in Rome
    assert job.slot(before) == datetime(2026, 6, 30, 1, 30, tzinfo=UTC)
    assert job.slot(after) == datetime(2026, 7, 1, 1, 30, tzinfo=UTC)
    assert job.slot(after + timedelta(hours=20)) == job.slot(after)


def test_the_retention_purge_is_registered_daily():
    assert PERIODIC["purge_expired"].at is not None
    assert PERIODIC["purge_expired"].task is purge_expired_task
