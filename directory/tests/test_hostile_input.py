"""Random and hostile query strings never make the directory or the API fail."""

from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from network.tests.factories import make_group

PARAMETERS = [
    "q",
    "theme",
    "place",
    "lat",
    "lon",
    "radius_km",
    "weekday",
    "part_of_day",
    "format",
    "audience",
    "open",
    "page",
    "page_size",
]
HOSTILE = st.sampled_from(
    [
        "' OR 1=1 --",
        "'; DROP TABLE directory_group; --",
        "<script>alert(1)</script>",
        "\x00",
        "-1",
        "1e309",
        "nan",
        "inf",
        "9" * 400,
        "Trento' UNION SELECT * FROM auth_user --",
        "%",
        "_",
        "..\\..\\etc\\passwd",
        "🙂" * 50,
        "",
    ]
)
VALUES = st.one_of(HOSTILE, st.text(max_size=300), st.integers().map(str), st.floats().map(str))
QUERIES = st.dictionaries(st.sampled_from(PARAMETERS), VALUES, max_size=6)
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def one_group(db):
    return make_group(slug="gruppo-fuzz")


@FUZZ
@given(query=QUERIES)
def test_api_never_fails_on_hostile_queries(client, one_group, query):
    response = client.get("/api/v1/groups?" + urlencode(query))
    assert response.status_code in (200, 400)
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert ("results" in body) if response.status_code == 200 else ("errors" in body)


@FUZZ
@given(query=QUERIES)
def test_directory_page_never_fails_on_hostile_queries(client, one_group, query):
    response = client.get("/it/groups/?" + urlencode(query))
    assert response.status_code == 200
    assert b"<script>alert(1)</script>" not in response.content


@FUZZ
@given(slug=st.text(min_size=1, max_size=200))
def test_unknown_slugs_are_404_never_500(client, one_group, slug):
    from urllib.parse import quote

    assert client.get(f"/api/v1/groups/{quote(slug, safe='')}").status_code in (404, 200)
    assert client.get(f"/it/groups/{quote(slug, safe='')}/").status_code in (404, 200)
