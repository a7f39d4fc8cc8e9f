"""What the group search API answers, pinned: a change to how it is built must not change it.

The answers to a set of searches on a seeded network (directory/tests/search_network.py)
are kept in snapshots/group_search.json. After a deliberate change of the API's output,
rewrite them with `CERCHIO_UPDATE_SNAPSHOTS=1 pytest api/tests/test_search_output.py`
and read the diff.
"""

import json
import os
from pathlib import Path

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory import search
from directory.tests.search_network import NOW, seed_search_network

pytestmark = pytest.mark.django_db
SNAPSHOT = Path(__file__).parent / "snapshots" / "group_search.json"

# (query string, Accept-Language)
# (query string, Accept-Language); most pages are short to keep the snapshot readable.
SEARCHES = [
    ("", "it"),
    ("q=alcol", "it"),
    ("q=alcol&page_size=5", "en"),
    ("q=ALCOOL&page_size=5", "it"),
    ("q=difficoltà&page_size=5", "it"),
    ("q=difficolta&page_size=5", "it"),
    ("q=d'azzardo&page_size=5", "it"),
    ("q=gioco+d%E2%80%99azzardo&page_size=5", "it"),
    ("q=l'alcol+trento&page_size=5", "it"),
    ("q=Forlì", "it"),
    ("q=cantu", "en"),
    ("q=lutto+online&page_size=5", "it"),
    ("q=zzzz", "it"),
    ("theme=lutto&page_size=5", "it"),
    ("theme=alcol&weekday=2&page_size=5", "it"),
    ("weekday=2&weekday=4&page_size=5", "it"),
    ("weekday=6&part_of_day=morning&page_size=5", "it"),
    ("weekday=3&part_of_day=morning&part_of_day=evening&page_size=5", "it"),
    ("format=online", "it"),
    ("format=hybrid&page_size=5", "en"),
    ("audience=family&page_size=5", "it"),
    ("open=false&page_size=5", "it"),
    ("place=Trento&page_size=5", "it"),
    ("place=Trento&radius_km=10&theme=alcol&page_size=5", "it"),
    ("place=38068&radius_km=50&q=lutto&page_size=5", "it"),
    ("lat=46.07&lon=11.12&radius_km=5&page_size=5", "en"),
    ("place=Cantù&radius_km=100&page_size=5", "it"),
    ("page=2&page_size=7", "it"),
    ("page=3&page_size=6", "it"),
    ("q=alcol&page=2&page_size=2", "it"),
    ("q=per&page=2&page_size=5&weekday=1", "it"),
    ("page=9&page_size=10", "it"),
]


def _answers(client) -> dict:
    answers = {}
    for query, language in SEARCHES:
        response = client.get(f"/api/v1/groups?{query}", HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, (query, response.content[:300])
        answers[f"{language} {query}"] = response.json()
    return answers


def _one_group_a_line(answers: dict) -> str:
    """JSON that diffs well: each search, then each group found, on a line of its own."""
    searches = []
    for key, body in answers.items():
        head = json.dumps({name: value for name, value in body.items() if name != "results"}, ensure_ascii=False)
        groups = "".join(f"\n  {json.dumps(group, ensure_ascii=False)}," for group in body["results"]).rstrip(",")
        searches.append(f'{json.dumps(key, ensure_ascii=False)}: {head[:-1]}, "results": [{groups}\n ]}}')
    return "{\n" + ",\n".join(searches) + "\n}\n"


@pytest.fixture
def network(db):
    with time_machine.travel(NOW, tick=False):
        seed_search_network()
        yield


def test_search_answers_are_the_pinned_ones(client, network):
    with time_machine.travel(NOW, tick=False):
        answers = _answers(client)
    if os.environ.get("CERCHIO_UPDATE_SNAPSHOTS"):
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text(_one_group_a_line(answers))
    assert answers == json.loads(SNAPSHOT.read_text())


@pytest.mark.parametrize("chunk", [2, 8000])
def test_ranking_by_walking_the_meetings_gives_the_pinned_answers(client, network, monkeypatch, chunk):
    # Walking upcoming meetings is how many matches are ranked; here it ranks every search it can.
    monkeypatch.setattr(search, "WALK_FROM_MATCHES", 0)
    monkeypatch.setattr(search, "walk_pays", lambda *counts: True)
    monkeypatch.setattr(search, "WALK_CHUNK", 1)
    monkeypatch.setattr(search, "WALK_CHUNK_MAX", chunk)
    with time_machine.travel(NOW, tick=False):
        answers = _answers(client)
    assert answers == json.loads(SNAPSHOT.read_text())


def test_the_snapshot_covers_what_the_searches_should_show():
    answers = json.loads(SNAPSHOT.read_text())
    results = [group for body in answers.values() for group in body["results"]]
    meetings = [meeting for group in results for meeting in group["next_meetings"]]
    assert {group["format"] for group in results} == {"in_person", "online", "hybrid"}
    assert any(group["starting_soon"] for group in results)
    assert any(not group["accepting_newcomers"] for group in results)
    assert any(group["distance_km"] is not None for group in results)
    assert any(group["name"] != group["name_it"] for group in results)  # English names on /en/
    assert any(group["next_meetings"] == [] for group in results)
    assert any(len(group["themes"]) == 2 for group in results)
    assert any(meeting["cancelled"] and meeting["note"] for meeting in meetings)
    assert any(meeting["changed"] for meeting in meetings)
    assert any(meeting["start"].endswith("+00:00") for meeting in meetings)  # a schedule in UTC
    assert any(meeting["comune"] != group["comune"] for group in results for meeting in group["next_meetings"])
    assert all(group["slug"] != "alcol-chiuso" for group in results)
    assert answers["it q=zzzz"]["results"] == []
    assert answers["it page=9&page_size=10"]["results"] == []
    assert answers["it q=alcol&page=2&page_size=2"]["page"] == 2


# Matching, ranking, then the page's groups, their themes and their next meetings; one
# more to look up a theme or a place. Walking the meetings adds a count and its chunks.
MAX_QUERIES_PER_SEARCH = 6
MAX_QUERIES_PER_WALKED_SEARCH = 8


def _queries(client, url: str) -> int:
    with time_machine.travel(NOW, tick=False), CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "query",
    ["q=per", "theme=alcol&weekday=2", "place=Trento&radius_km=50", "format=online", "", "q=zzzz"],
)
def test_queries_per_search_are_few_and_do_not_grow_with_the_page(client, network, query):
    """A page of 100 groups costs the same queries as a page of one: nothing is fetched per group."""
    one, hundred = (_queries(client, f"/api/v1/groups?{query}&page_size={size}") for size in (1, 100))
    assert one == hundred <= MAX_QUERIES_PER_SEARCH


def test_queries_per_walked_search_are_few(client, network, monkeypatch):
    monkeypatch.setattr(search, "WALK_FROM_MATCHES", 0)
    monkeypatch.setattr(search, "walk_pays", lambda *counts: True)
    for size in (1, 5, 20):
        assert _queries(client, f"/api/v1/groups?page_size={size}") <= MAX_QUERIES_PER_WALKED_SEARCH


def test_queries_for_a_group_detail_are_few(client, network):
    assert _queries(client, "/api/v1/groups/lavoro-cantu") <= 6
