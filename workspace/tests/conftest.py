"""The workspace tests' world: a frozen summer Monday, and groups A and B meeting every Tuesday at 20:30."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation

from network.models import Meeting, Schedule
from network.services import group_sync_meetings

ROME = ZoneInfo("Europe/Rome")
# Monday 26 July 2027: the next Tuesdays are 27 July, then 3, 10, 17, 24 and 31 August.
NOW = datetime(2027, 7, 26, 9, 0, tzinfo=ROME)
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request to an /en/ page leaves English active in the thread: give the next test Italian back."""
    yield
    translation.deactivate()


@pytest.fixture
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


def weekly(group, *, rule: str = "FREQ=WEEKLY;BYDAY=TU", at: time = time(20, 30)) -> Schedule:
    schedule = Schedule.objects.create(group=group, rrule=rule, starts_on=date(2027, 1, 1), start_time=at)
    group_sync_meetings(group=group, today=TODAY)
    return schedule


@pytest.fixture
def meetings_a(frozen_now, group_a):
    weekly(group_a)
    return list(Meeting.objects.filter(group=group_a, starts_at__gte=NOW).order_by("starts_at"))


@pytest.fixture
def meetings_b(frozen_now, group_b):
    weekly(group_b, rule="FREQ=WEEKLY;BYDAY=TH", at=time(18, 0))
    return list(Meeting.objects.filter(group=group_b, starts_at__gte=NOW).order_by("starts_at"))


@pytest.fixture
def fac_client(frozen_now, client, facilitator_a):
    client.force_login(facilitator_a)
    return client


def on(day: date, hour: int = 20, minute: int = 30) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ROME)
