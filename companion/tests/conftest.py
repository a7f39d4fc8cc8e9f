"""The companion's world: a frozen Monday, group A meeting on Tuesdays at 20:30 for the last ten weeks."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation

from network.models import Meeting, Schedule
from network.services import group_sync_meetings

ROME = ZoneInfo("Europe/Rome")
# Monday 26 July 2027: the last Tuesday was 20 July, the next is 27 July.
NOW = datetime(2027, 7, 26, 9, 0, tzinfo=ROME)
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def _italian():
    """The services' reasons are checked in Italian, whatever language an earlier test left active."""
    with translation.override("it"):
        yield


@pytest.fixture
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


def meeting_weekly(group, *, rule: str = "FREQ=WEEKLY;BYDAY=TU", at: time = time(20, 30), since_days: int = 70):
    """A rhythm running since January, with the rows of the last weeks as if they had been kept all along."""
    schedule = Schedule.objects.create(group=group, rrule=rule, starts_on=date(2027, 1, 1), start_time=at)
    group_sync_meetings(group=group, today=TODAY - timedelta(days=since_days))
    group_sync_meetings(group=group, today=TODAY)
    return schedule


def past_and_upcoming(group) -> tuple[list[Meeting], list[Meeting]]:
    meetings = list(Meeting.objects.filter(group=group).order_by("starts_at"))
    return [m for m in meetings if m.starts_at <= NOW], [m for m in meetings if m.starts_at > NOW]


@pytest.fixture
def meetings_a(frozen_now, group_a):
    meeting_weekly(group_a)
    return past_and_upcoming(group_a)


@pytest.fixture
def last_a(meetings_a) -> Meeting:
    """Tuesday 20 July, the meeting just held."""
    return meetings_a[0][-1]


@pytest.fixture
def next_a(meetings_a) -> Meeting:
    """Tuesday 27 July, the next one."""
    return meetings_a[1][0]
