from datetime import date, time

import pytest
from django.utils import translation

from network import recurrence
from network.recurrence import FriendlyRule, Pattern


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (FriendlyRule(Pattern.WEEKLY, 1), "FREQ=WEEKLY;BYDAY=TU"),
        (FriendlyRule(Pattern.BIWEEKLY, 3), "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH"),
        (FriendlyRule(Pattern.MONTHLY, 1, [4, 2]), "FREQ=MONTHLY;BYDAY=2TU,4TU"),
        (FriendlyRule(Pattern.MONTHLY, 4, [-1]), "FREQ=MONTHLY;BYDAY=-1FR"),
    ],
)
def test_friendly_rules_become_rrules_and_back(rule, expected):
    assert rule.to_rrule() == expected
    assert recurrence.friendly(expected) == FriendlyRule(
        rule.pattern, rule.weekday, sorted(rule.ordinals, key=lambda n: (n < 0, n))
    )


def test_monthly_on_a_day_is_a_friendly_rhythm():
    rule = FriendlyRule(Pattern.MONTH_DAY, month_day=15)
    assert rule.to_rrule() == "FREQ=MONTHLY;BYMONTHDAY=15"
    assert recurrence.friendly("FREQ=MONTHLY;BYMONTHDAY=15") == rule
    assert recurrence.describe("FREQ=MONTHLY;BYMONTHDAY=15") == "Il giorno 15 di ogni mese"


def test_unusual_rules_are_kept_as_custom():
    assert recurrence.friendly("FREQ=MONTHLY;BYMONTHDAY=31").pattern == Pattern.CUSTOM
    assert recurrence.friendly("FREQ=WEEKLY;BYDAY=MO,TH").pattern == Pattern.CUSTOM


def test_describe_says_the_rhythm_in_italian_and_english():
    with translation.override("it"):
        assert (
            recurrence.describe("FREQ=MONTHLY;BYDAY=2TU,4TU", time(20, 30))
            == "Il 2° e il 4° martedì del mese alle 20:30"
        )
        assert recurrence.describe("FREQ=MONTHLY;BYDAY=-1FR") == "L'ultimo venerdì del mese"
        assert recurrence.describe("FREQ=WEEKLY;BYDAY=MO", time(18, 0)) == "Ogni lunedì alle 18:00"
    with translation.override("en"):
        assert recurrence.describe("FREQ=WEEKLY;BYDAY=MO", time(18, 0)).startswith("Every ")


@pytest.mark.parametrize("bad", ["", "FREQ=SECONDLY", "FREQ=WEEKLY;BYDAY=XX", "nonsense", "FREQ=MONTHLY;BYDAY=9TU"])
def test_invalid_rules_are_refused(bad):
    with pytest.raises(recurrence.InvalidRule):
        recurrence.validate(bad)


def test_second_and_fourth_tuesday_occurrences():
    starts = recurrence.occurrences(
        rule="FREQ=MONTHLY;BYDAY=2TU,4TU",
        starts_on=date(2026, 1, 1),
        start_time=time(20, 30),
        tz="Europe/Rome",
        window_start=date(2026, 3, 1),
        window_end=date(2026, 4, 30),
    )
    assert [s.date() for s in starts] == [date(2026, 3, 10), date(2026, 3, 24), date(2026, 4, 14), date(2026, 4, 28)]


def test_meetings_keep_their_wall_clock_time_across_daylight_saving():
    # 29 March 2026 Italy moves to summer time: 20:30 stays 20:30 local, the UTC hour changes.
    starts = recurrence.occurrences(
        rule="FREQ=WEEKLY;BYDAY=TU",
        starts_on=date(2026, 3, 1),
        start_time=time(20, 30),
        tz="Europe/Rome",
        window_start=date(2026, 3, 20),
        window_end=date(2026, 4, 5),
    )
    assert [(s.hour, s.minute) for s in starts] == [(20, 30), (20, 30)]
    assert [s.utcoffset().total_seconds() / 3600 for s in starts] == [1, 2]
