"""The results page: filters folded into one line, "more filters" closed unless used, ways out of zero results."""

import re
from datetime import time

import pytest
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import translation

from directory.rows import next_meeting_rows
from directory.templatetags.directory_tags import next_meeting
from network import services
from network.tests.factories import AssociationFactory, ThemeFactory, VenueFactory, make_group

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_area():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def network(db):
    association = AssociationFactory(name="AMA Trento", public_email="accoglienza@ama.example")
    alcohol = ThemeFactory(slug="alcol", name_it="Alcol", name_en="Alcohol")
    grief = ThemeFactory(slug="lutto", name_it="Lutto", name_en="Grief")
    trento = VenueFactory(association=association)
    make_group(association=association, slug="alcol-trento", themes=[alcohol], venue=trento)
    make_group(association=association, slug="lutto-trento", themes=[grief], venue=trento, rule="FREQ=WEEKLY;BYDAY=TH")
    make_group(
        association=association, slug="lutto-online", themes=[grief], venue=None, online_url="https://meet.example/x"
    )
    return association


def _page(client, query: str) -> str:
    response = client.get("/it/groups/?" + query)
    assert response.status_code == 200
    return response.content.decode()


def test_after_a_search_the_filters_are_one_line_and_the_form_is_folded(client, network):
    body = _page(client, "theme=alcol&place=Trento&radius_km=25&weekday=2&weekday=4&part_of_day=evening")
    summary = re.search(r'<details class="search-summary">\s*<summary>(.*?)</summary>', body, re.S).group(1)
    assert "Alcol · entro 25 km da Trento · martedì o giovedì · sera" in summary
    assert "Modifica" in summary
    # Folded: the <details> is closed; "more filters" opens because days are chosen.
    assert '<details class="search-summary" open' not in body
    assert '<details class="more-filters" open>' in body


def test_a_distance_alone_does_not_open_more_filters(client, network):
    body = _page(client, "theme=alcol&place=Trento&radius_km=25")
    assert '<details class="more-filters">' in body
    assert '<details class="more-filters" open>' not in body
    assert '<details class="more-filters" open>' in _page(client, "theme=alcol&place=Trento&radius_km=50")


def test_the_bare_page_and_a_wrong_place_show_the_form_open(client, network):
    assert "search-summary" not in _page(client, "")
    body = _page(client, "place=Atlantide")
    assert "search-summary" not in body
    assert "Non troviamo «Atlantide»" in body


def test_zero_results_offer_wider_online_and_the_association(client, network):
    body = _page(client, "theme=lutto&place=Trento&radius_km=25&weekday=1")
    assert 'href="?theme=lutto&amp;place=Trento&amp;radius_km=100"' in body  # without the day: 1 group
    assert 'href="?format=online&amp;theme=lutto"' in body
    # "Tell the association": the request form with the theme and the town of the search.
    assert 'href="/it/richiesta/?theme=lutto&amp;town=Trento"' in body
    assert "I gruppi della rete si incontrano in provincia di Trento: a Trento." in body
    assert "Alcuni gruppi si incontrano online" in body


def test_a_wider_link_is_offered_only_when_it_finds_something(client, network):
    body = _page(client, "theme=alcol&format=online")
    assert 'href="?theme=alcol"' in body  # the same theme without "online": 1 group
    assert "Gruppi online su" not in body  # the search already was the online one
    assert 'href="/it/richiesta/?theme=alcol&amp;town="' in body


def test_the_results_card_says_the_next_meeting_as_the_group_page_does(network, django_user_model):
    group = network.groups.get(slug="alcol-trento")
    meetings = list(group.meetings.select_related("schedule").order_by("starts_at")[:3])
    someone = django_user_model.objects.create_user(username="c", email="c@example.org")
    services.meeting_cancel(meeting=meetings[0], note="Festività.", by=someone)
    services.meeting_move(meeting=meetings[1], new_date=meetings[1].original_date, new_time=time(18, 0), by=someone)
    rows = next_meeting_rows([group.pk], count=3)[group.pk]
    for language in ("it", "en"):
        with translation.override(language):
            meetings = group.meetings.select_related("schedule").order_by("starts_at")[:3]
            for meeting, row in zip(meetings, rows, strict=True):
                expected = render_to_string("directory/_meeting_time.html", {"meeting": meeting})
                assert str(next_meeting(row)) == expected.rstrip("\n")
