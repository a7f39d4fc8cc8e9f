"""Working days: weekends and Italian public holidays never count towards a deadline."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from intake.workdays import add_working_days, deadline_after, is_working_day

ROME = ZoneInfo("Europe/Rome")


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 12, 1), True),  # a Tuesday
        (date(2026, 11, 28), False),  # Saturday
        (date(2026, 11, 29), False),  # Sunday
        (date(2026, 12, 8), False),  # Immacolata
        (date(2026, 12, 25), False),  # Christmas
        (date(2026, 12, 26), False),  # Santo Stefano (a Saturday anyway)
        (date(2027, 3, 29), False),  # Easter Monday 2027
        (date(2026, 4, 6), False),  # Easter Monday 2026
        (date(2026, 4, 25), False),  # Liberazione
        (date(2026, 6, 2), False),  # Festa della Repubblica
        (date(2026, 10, 4), False),  # San Francesco, a national holiday again from 2026
        (date(2026, 8, 14), True),  # the day before Ferragosto is a working day
    ],
)
def test_which_days_are_working_days(day, working):
    assert is_working_day(day) is working


def test_two_working_days_from_a_monday_are_wednesday():
    assert add_working_days(date(2026, 11, 23), 2) == date(2026, 11, 25)


def test_a_request_on_friday_is_due_on_tuesday_across_the_weekend():
    assert add_working_days(date(2026, 11, 27), 2) == date(2026, 12, 1)


def test_a_request_on_saturday_counts_from_monday():
    assert add_working_days(date(2026, 11, 28), 2) == date(2026, 12, 1)
    assert add_working_days(date(2026, 11, 29), 1) == date(2026, 11, 30)


def test_holidays_are_skipped_like_weekends():
    # Monday 7 December 2026: Tuesday 8 is the Immacolata, so two working days end on Thursday 10.
    assert add_working_days(date(2026, 12, 7), 2) == date(2026, 12, 10)
    # Christmas week: Thursday 24 → Monday 28 (25 Friday holiday, 26–27 weekend), Tuesday 29.
    assert add_working_days(date(2026, 12, 24), 2) == date(2026, 12, 29)
    # Across the new year: Wednesday 31 December → Friday 2 January (1 January is a holiday).
    assert add_working_days(date(2025, 12, 31), 1) == date(2026, 1, 2)


def test_easter_moves_every_year():
    # Thursday before Easter 2027 (28 March): Friday 26, then Tuesday 30 (Monday 29 is Pasquetta).
    assert add_working_days(date(2027, 3, 25), 2) == date(2027, 3, 30)


def test_the_deadline_is_the_end_of_the_last_working_day_in_rome():
    late_friday = datetime(2026, 11, 27, 23, 30, tzinfo=ROME)
    deadline = deadline_after(late_friday, 2)
    assert deadline.astimezone(ROME).date() == date(2026, 12, 1)
    assert (deadline.astimezone(ROME).hour, deadline.astimezone(ROME).minute) == (23, 59)
