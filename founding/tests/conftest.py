"""The founding tests' helpers: a frozen day, a person acting, and a group whose agreements are all made."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation

from accounts.services import account_create
from network.agreements import group_agreements_set
from network.models import Entry, Joining
from network.services import schedule_create

ROME = ZoneInfo("Europe/Rome")
# Monday 1 March 2027, 9:00.
NOW = datetime(2027, 3, 1, 9, 0, tzinfo=ROME)


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request to an /en/ page leaves English active in the thread: give the next test Italian back."""
    yield
    translation.deactivate()


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def someone(db):
    return account_create(email="qualcuno@example.org", password="pw-for-tests")


ALL_AGREED = {
    "entry": Entry.OPEN,
    "joining": Joining.INTAKE_TALK,
    "max_size": 10,
    "family_may_attend": False,
    "facilitator_count": 1,
    "ama_rules_accepted": True,
    "contact_through_association": True,
    "self_led": True,
    "meets_regularly": True,
    "voluntary": True,
    "not_for_profit": True,
    "confidential": True,
}


def agree_everything(group, *, by=None, first_meeting_at: datetime | None = None):
    """Make every mandatory agreement of a group, with a fortnightly Tuesday rhythm."""
    if not group.schedules.exists():
        schedule_create(
            group=group,
            rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
            start_time=time(20, 30),
            starts_on=date(2027, 3, 2),
            by=by,
        )
    values = dict(ALL_AGREED)
    if first_meeting_at is not None:
        values["first_meeting_at"] = first_meeting_at
    return group_agreements_set(group=group, by=by, **values)


def in_days(days: int, at: time = time(20, 30)) -> datetime:
    return datetime.combine(NOW.date() + timedelta(days=days), at, tzinfo=ROME)
