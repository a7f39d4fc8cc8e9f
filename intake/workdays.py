"""Working days in Italy: Monday to Friday, without national public holidays.

The holidays come from the maintained `holidays` package (Easter Monday moves every
year, and new national days are added by law, as St Francis' day from 2026).
"""

from datetime import date, datetime, time, timedelta
from functools import cache

import holidays
from django.utils import timezone


@cache
def _italian_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("IT", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _italian_holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The day `days` working days after `start` (a non-working `start` counts from the next working day)."""
    day = start
    remaining = days
    while remaining > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    if days == 0:
        while not is_working_day(day):
            day += timedelta(days=1)
    return day


def deadline_after(moment: datetime, working_days: int) -> datetime:
    """The end (local time) of the Nth working day after `moment`."""
    last_day = add_working_days(timezone.localtime(moment).date(), working_days)
    return timezone.make_aware(datetime.combine(last_day, time(23, 59, 59)))
