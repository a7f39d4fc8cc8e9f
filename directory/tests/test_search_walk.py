"""Many matches are ranked by walking upcoming meetings in time order: the same page as ranking every group."""

from datetime import date, time

import pytest
import time_machine

from directory import search
from directory.search import GroupSearchForm, search_groups
from network import services
from network.models import Meeting
from network.tests.factories import make_group

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)


@pytest.fixture
def network(db, django_user_model):
    with time_machine.travel("2026-11-23 09:00:00+01:00", tick=False):
        rules = ["FREQ=WEEKLY;BYDAY=TU", "FREQ=WEEKLY;BYDAY=WE", "FREQ=MONTHLY;BYDAY=1TH", "FREQ=WEEKLY;BYDAY=TU"]
        names = ["Delta", "alfa", "Charlie", "bravo", "Echo", "Alfa", "Foxtrot", "golf", "Hotel", "india", "Juliet"]
        for index, name in enumerate(names):
            make_group(
                slug=f"gruppo-{index}",
                name=name,
                rule=rules[index % len(rules)],
                at=time(20, 30) if index % 3 else time(18, 0),
                today=TODAY,
            )
        make_group(slug="senza-incontri", name="Zulu", rule="FREQ=WEEKLY;BYDAY=MO", starts_on=date(2030, 1, 1))
        # A cancelled first meeting: the next one counts.
        someone = django_user_model.objects.create_user(username="c", email="c@example.org")
        first = Meeting.objects.filter(group__slug="gruppo-1").order_by("starts_at").first()
        services.meeting_cancel(meeting=first, by=someone)
        yield


def _pages(page_size: int) -> list[list[str]]:
    pages = []
    for page in range(1, 5):
        form = GroupSearchForm({"page": str(page), "page_size": str(page_size)})
        assert form.is_valid()
        pages.append([group.slug for group in search_groups(form.cleaned_data).groups])
    return pages


@pytest.mark.parametrize("page_size", [1, 2, 3, 5])
@pytest.mark.parametrize("chunk", [1, 2, 7, 2000])
def test_walking_gives_the_same_pages_as_ranking_every_group(network, monkeypatch, page_size, chunk):
    with time_machine.travel("2026-11-23 09:00:00+01:00", tick=False):
        monkeypatch.setattr(search, "WALK_FROM_MATCHES", 10**9)
        expected = _pages(page_size)
        monkeypatch.setattr(search, "WALK_FROM_MATCHES", 0)
        monkeypatch.setattr(search, "walk_pays", lambda *counts: True)
        monkeypatch.setattr(search, "WALK_CHUNK", chunk)
        walked = _pages(page_size)
    assert walked == expected
    assert any(expected)


def test_the_walk_is_used_and_ties_go_by_name(network, monkeypatch):
    calls = []
    original = search._walk_meetings
    monkeypatch.setattr(search, "_walk_meetings", lambda *args: calls.append(original(*args)) or calls[-1])
    monkeypatch.setattr(search, "WALK_FROM_MATCHES", 0)
    monkeypatch.setattr(search, "walk_pays", lambda *counts: True)
    with time_machine.travel("2026-11-23 09:00:00+01:00", tick=False):
        first = _pages(3)[0]
    assert calls and calls[0] is not None, "the walk was not used for the first page"
    # Tuesday 24 November at 18:00 comes first (gruppo-0); then two of the three groups meeting
    # that Tuesday at 20:30 (bravo, Echo, golf): which two is the database's name order, the
    # same as without the walk (the test above).
    assert first[0] == "gruppo-0"
    assert len(first) == 3 and set(first[1:]) < {"gruppo-3", "gruppo-4", "gruppo-7"}
