"""What the results page shows, pinned: the search form, the count line and the group cards of
a set of searches (and the home page's form).

Snapshots in snapshots/results_cards.json; after a deliberate change of the cards rewrite
them with `CERCHIO_UPDATE_SNAPSHOTS=1 pytest directory/tests/test_results_output.py`.
"""

import json
import os
import re
from pathlib import Path

import pytest
import time_machine
from django.core.cache import cache

from directory.tests.search_network import NOW, seed_search_network

pytestmark = pytest.mark.django_db
SNAPSHOT = Path(__file__).parent / "snapshots" / "results_cards.json"

SEARCHES = [
    "/it/groups/?q=alcol",
    "/en/groups/?q=alcol",
    "/it/groups/?q=difficoltà",
    "/it/groups/?q=Forlì",
    "/en/groups/?q=cantu",
    "/it/groups/?theme=lutto&weekday=2&weekday=4",
    "/it/groups/?format=online",
    "/it/groups/?open=false",
    "/it/groups/?place=Trento&radius_km=10",
    "/en/groups/?place=Rovereto&radius_km=50&q=per",
    "/it/groups/?page=3",
    "/it/groups/?theme=alcol&place=Trento&radius_km=30&weekday=2&weekday=6&part_of_day=evening&format=hybrid",
    "/en/groups/?theme=lutto&radius_km=100&place=Rovereto&audience=family&open=true&q=per",
    "/it/groups/?radius_km=-1&weekday=9&theme=nessuno",
]
HOME_PAGES = ["/it/", "/en/"]


@pytest.fixture
def network(db):
    cache.clear()
    with time_machine.travel(NOW, tick=False):
        seed_search_network()
        yield
    cache.clear()


def _listed(body: str) -> str:
    """The search form, the count line and the cards."""
    shown = [re.search(r'<form class="search-form".*?</form>', body, re.S).group(0)]
    for pattern in (r'<p role="status">.*?</p>', r'<ol class="group-cards">.*?</ol>'):
        found = re.search(pattern, body, re.S)
        shown.append(found.group(0) if found else "")
    return "\n".join(shown)


def test_results_pages_list_the_pinned_cards(client, network):
    listed = {}
    with time_machine.travel(NOW, tick=False):
        for url in SEARCHES + HOME_PAGES:
            response = client.get(url)
            assert response.status_code == 200, url
            listed[url] = _listed(response.content.decode())
    if os.environ.get("CERCHIO_UPDATE_SNAPSHOTS"):
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text(json.dumps(listed, indent=1, ensure_ascii=False) + "\n")
    assert listed == json.loads(SNAPSHOT.read_text())
