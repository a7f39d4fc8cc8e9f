"""The JSON API: its OpenAPI document, its responses against that document, and its errors."""

import json
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import jsonschema
import pytest
import time_machine
from openapi_spec_validator import validate

from network.tests.factories import ThemeFactory, VenueFactory, make_group

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Europe/Rome")), tick=False):
        yield


@pytest.fixture
def spec(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def assert_matches(spec, schema_name, body):
    schema = {"$ref": f"#/components/schemas/{schema_name}", "components": spec["components"]}
    jsonschema.validate(body, schema, cls=jsonschema.Draft202012Validator)


def test_openapi_document_is_valid(spec):
    validate(spec)
    assert set(spec["paths"]) == {"/themes", "/groups", "/groups/{slug}"}


def test_group_search_response_follows_the_schema(client, spec):
    grief = ThemeFactory(slug="lutto", name_it="Lutto", name_en="Grief")
    make_group(slug="lutto-trento", themes=[grief], rule="FREQ=MONTHLY;BYDAY=2TU,4TU", today=TODAY)
    response = client.get("/api/v1/groups", {"theme": "lutto", "place": "Trento", "radius_km": 25, "weekday": 2})
    assert response.status_code == 200
    body = response.json()
    assert_matches(spec, "GroupPage", body)
    (group,) = body["results"]
    assert group["slug"] == "lutto-trento"
    assert group["distance_km"] == 0.0
    assert group["url"].endswith("/it/groups/lutto-trento/")
    assert group["calendar_url"].endswith("/groups/lutto-trento/calendar.ics")
    first = datetime.fromisoformat(group["next_meetings"][0]["start"])
    assert first == datetime(2026, 11, 24, 20, 30, tzinfo=ZoneInfo("Europe/Rome"))
    assert group["next_meetings"][0]["start"].endswith("+01:00")


def test_group_detail_and_themes_follow_the_schema(client, spec):
    grief = ThemeFactory(slug="lutto", name_it="Lutto", name_en="Grief")
    make_group(slug="uno", themes=[grief], today=TODAY)
    detail = client.get("/api/v1/groups/uno").json()
    assert_matches(spec, "GroupDetail", detail)
    assert detail["association"]["email"] == "accoglienza@example.org"
    themes = client.get("/api/v1/themes", HTTP_ACCEPT_LANGUAGE="en").json()["results"]
    assert themes == [{"slug": "lutto", "name": "Grief", "name_it": "Lutto", "name_en": "Grief"}]


def test_distance_is_absent_without_a_place(client):
    make_group(slug="uno", today=TODAY)
    (group,) = client.get("/api/v1/groups").json()["results"]
    assert group["distance_km"] is None


def test_online_link_is_never_published(client):
    make_group(slug="online", venue=None, online_url="https://meet.example/segreto", today=TODAY)
    assert "segreto" not in client.get("/api/v1/groups/online").content.decode()
    assert "segreto" not in client.get("/it/groups/online/").content.decode()


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("radius_km=-3", "radius_km"),
        ("lat=abc&lon=11", "lat"),
        ("weekday=9", "weekday"),
        ("weekday=0", "weekday"),
        ("page=0", "page"),
        ("page_size=101", "page_size"),
        ("theme=sconosciuto", "theme"),
        ("place=Xyzzyville", "place"),
        ("format=telepathy", "format"),
        ("q=" + "a" * 10_000, "q"),
        ("q=%00", "q"),
    ],
)
def test_invalid_parameters_give_400_naming_the_parameter(client, spec, query, parameter):
    response = client.get(f"/api/v1/groups?{query}")
    assert response.status_code == 400
    body = response.json()
    assert_matches(spec, "Error", body)
    assert parameter in body["errors"]


def test_errors_are_in_the_language_asked(client):
    italian = client.get("/api/v1/groups?weekday=9", HTTP_ACCEPT_LANGUAGE="it").json()
    english = client.get("/api/v1/groups?weekday=9", HTTP_ACCEPT_LANGUAGE="en").json()
    assert italian["detail"] != english["detail"]
    assert "valid" in english["detail"].lower()


def test_unknown_group_is_404_json(client, spec):
    response = client.get("/api/v1/groups/non-esiste")
    assert response.status_code == 404
    assert_matches(spec, "Error", response.json())


def test_page_size_is_capped_and_paging_works(client):
    for index in range(3):
        make_group(slug=f"g{index}", venue=VenueFactory(), today=TODAY)
    body = client.get("/api/v1/groups?page_size=2&page=2").json()
    assert (body["count"], body["pages"], body["page"], len(body["results"])) == (3, 2, 2, 1)


API_URLS = ["/api/v1/openapi.json", "/api/v1/themes", "/api/v1/groups", "/api/v1/groups/uno"]


@pytest.mark.parametrize("url", API_URLS)
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_other_methods_get_a_json_405_with_allow(client, spec, url, method):
    make_group(slug="uno", today=TODAY)
    response = getattr(client, method)(url, data="{}", content_type="application/json")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"
    assert response["Allow"] == "GET, HEAD"
    assert_matches(spec, "Error", response.json())
    assert response.json()["error"] == "method_not_allowed"


@pytest.mark.parametrize("url", API_URLS)
def test_a_post_without_csrf_token_still_gets_the_json_405(url):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(url)
    assert response.status_code == 405
    assert response.json()["error"] == "method_not_allowed"


def test_a_csrf_failure_under_the_api_is_json(rf):
    from cerchio.errors import csrf_failure

    response = csrf_failure(rf.post("/api/v1/future"), reason="CSRF cookie not set.")
    assert response.status_code == 403
    assert json.loads(response.content)["error"] == "forbidden"
    page = csrf_failure(rf.post("/it/groups/"), reason="CSRF cookie not set.")
    assert page.status_code == 403 and page["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("url", API_URLS)
def test_head_works_like_get_without_a_body(client, url):
    make_group(slug="uno", today=TODAY)
    response = client.head(url)
    assert response.status_code == 200
    assert response.content == b""
    assert response["Content-Type"] == "application/json"


def test_every_documented_response_code_is_one_the_api_gives(spec):
    groups = spec["paths"]["/groups"]["get"]["responses"]
    detail = spec["paths"]["/groups/{slug}"]["get"]["responses"]
    assert {"200", "400", "405"} <= set(groups)
    assert {"200", "404", "405"} <= set(detail)


@pytest.mark.parametrize(
    ("name", "too_far"),
    [("q", "q=" + "a" * 201), ("theme", "theme=" + "a" * 81), ("place", "place=" + "a" * 101)],
)
def test_documented_max_lengths_are_the_enforced_ones(client, spec, name, too_far):
    schema = next(p for p in spec["paths"]["/groups"]["get"]["parameters"] if p["name"] == name)["schema"]
    assert schema["maxLength"] == len(too_far.split("=", 1)[1]) - 1
    response = client.get(f"/api/v1/groups?{too_far}")
    assert response.status_code == 400 and name in response.json()["errors"]


def test_documented_ranges_and_enums_are_the_enforced_ones(client, spec):
    params = {p["name"]: p["schema"] for p in spec["paths"]["/groups"]["get"]["parameters"]}
    assert (params["page"]["minimum"], params["page"]["maximum"]) == (1, 10_000)
    assert client.get(f"/api/v1/groups?page={params['page']['maximum']}").status_code == 200
    assert client.get(f"/api/v1/groups?page={params['page']['maximum'] + 1}").status_code == 400
    assert (params["lat"]["minimum"], params["lat"]["maximum"]) == (-90, 90)
    assert client.get("/api/v1/groups?lat=90.5&lon=11").status_code == 400
    for word in params["open"]["enum"]:
        assert client.get(f"/api/v1/groups?open={word}").status_code == 200
    assert client.get("/api/v1/groups?open=maybe").status_code == 400
    assert params["weekday"]["type"] == "array"
    for value in params["weekday"]["items"]["enum"]:
        assert client.get(f"/api/v1/groups?weekday={value}").status_code == 200
    assert client.get("/api/v1/groups?weekday=8").status_code == 400
    for value in params["part_of_day"]["items"]["enum"]:
        assert client.get(f"/api/v1/groups?part_of_day={value}").status_code == 200
    assert client.get("/api/v1/groups?part_of_day=night").status_code == 400


def test_every_search_form_field_is_documented_with_the_form_limits(spec):
    from directory.search import GroupSearchForm

    params = {p["name"]: p for p in spec["paths"]["/groups"]["get"]["parameters"]}
    assert list(params) == list(GroupSearchForm.base_fields)
    assert params["q"]["schema"]["maxLength"] == GroupSearchForm.base_fields["q"].max_length
    assert params["weekday"]["explode"] is True


def test_several_weekdays_and_parts_of_the_day_at_once(client):
    make_group(slug="martedi-sera", rule="FREQ=WEEKLY;BYDAY=TU", at=time(20, 30))
    make_group(slug="giovedi-mattina", rule="FREQ=WEEKLY;BYDAY=TH", at=time(10, 0))
    make_group(slug="sabato-sera", rule="FREQ=WEEKLY;BYDAY=SA", at=time(20, 30))

    def found(query: str) -> list[str]:
        response = client.get("/api/v1/groups?" + query)
        assert response.status_code == 200, response.json()
        return sorted(group["slug"] for group in response.json()["results"])

    assert found("weekday=2&weekday=4") == ["giovedi-mattina", "martedi-sera"]
    assert found("weekday=2&weekday=4&part_of_day=evening") == ["martedi-sera"]
    assert found("part_of_day=morning&part_of_day=evening") == ["giovedi-mattina", "martedi-sera", "sabato-sera"]
    assert found("weekday=4&weekday=6&part_of_day=morning&part_of_day=evening") == ["giovedi-mattina", "sabato-sera"]
    assert found("weekday=&weekday=2") == ["martedi-sera"]  # an empty value (an old link) is ignored


def test_radius_is_capped_at_the_documented_maximum(client, spec):
    maximum = next(p for p in spec["paths"]["/groups"]["get"]["parameters"] if p["name"] == "radius_km")["schema"][
        "maximum"
    ]
    assert client.get(f"/api/v1/groups?place=Trento&radius_km={maximum}").status_code == 200
    response = client.get(f"/api/v1/groups?place=Trento&radius_km={maximum + 1}")
    assert response.status_code == 400 and "radius_km" in response.json()["errors"]
