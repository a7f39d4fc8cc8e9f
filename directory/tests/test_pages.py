"""The public pages: languages, content, accessibility basics and no third-party requests."""

import re
from datetime import date

import pytest

from network.models import ScheduleException
from network.services import group_sync_meetings
from network.tests.factories import ThemeFactory, make_group

pytestmark = pytest.mark.django_db


def test_unprefixed_urls_redirect_to_the_browser_language(client):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en").url == "/en/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="it").url == "/it/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="de").url == "/it/"
    assert client.get("/groups/").url == "/it/groups/"


def test_home_page_is_italian_with_english_alternative(client):
    ThemeFactory(slug="lutto", name_it="Lutto", name_en="Grief")
    body = client.get("/it/").content.decode()
    assert '<html lang="it">' in body
    assert "Trova un gruppo di auto mutuo aiuto" in body
    assert 'href="/en/"' in body
    english = client.get("/en/").content.decode()
    assert '<html lang="en">' in english
    assert "Trova un gruppo" not in english


def test_every_form_field_has_a_label(client):
    body = client.get("/it/groups/").content.decode()
    for field_id in re.findall(r'<(?:input|select)[^>]*\bid="(id_[a-z_]+)"', body):
        if f'id="{field_id}"' in body and 'type="hidden"' not in re.search(rf'<[^>]*id="{field_id}"[^>]*>', body)[0]:
            assert f'for="{field_id}"' in body, field_id


def test_pages_load_nothing_from_other_hosts(client):
    group = make_group(slug="g")
    for url in ["/it/", "/it/groups/", f"/it/groups/{group.slug}/", "/en/"]:
        body = client.get(url).content.decode()
        for tag, attribute in re.findall(r"<(script|link|img|iframe|source)[^>]*?(?:src|href)=\"([^\"]+)\"", body):
            assert attribute.startswith("/"), (url, tag, attribute)


def test_group_page_shows_next_six_meetings_rules_and_association_contact(client):
    group = make_group(slug="g", rule="FREQ=MONTHLY;BYDAY=2TU,4TU")
    body = client.get("/it/groups/g/").content.decode()
    assert body.count("<li><time datetime=") == 6
    assert "Riservatezza" in body
    assert "accoglienza@example.org" in body
    assert "webcal://testserver/groups/g/calendar.ics" in body
    assert f'href="{group.venue.geo_uri}"' in body


def test_cancelled_and_moved_meetings_are_visible(client):
    group = make_group(slug="g", rule="FREQ=WEEKLY;BYDAY=TU", starts_on=date(2025, 1, 1))
    schedule = group.schedules.get()
    upcoming = list(group.meetings.order_by("starts_at")[:3])
    ScheduleException.objects.create(schedule=schedule, original_date=upcoming[1].starts_at.date(), kind="cancelled")
    ScheduleException.objects.create(
        schedule=schedule, original_date=upcoming[2].starts_at.date(), kind="changed", new_start_time="18:00"
    )
    group_sync_meetings(group=group)
    body = client.get("/it/groups/g/").content.decode()
    assert "annullato" in body
    assert "orario cambiato: prima era alle" in body


def test_unknown_group_page_is_a_friendly_404(client):
    response = client.get("/it/groups/non-esiste/")
    assert response.status_code == 404
    assert "Pagina non trovata" in response.content.decode()


def test_unknown_place_gives_a_helpful_message(client):
    body = client.get("/it/groups/?place=Atlantide").content.decode()
    assert "Non troviamo «Atlantide»" in body


def test_place_names_resolve_from_the_gazetteer_without_any_venue(client):
    response = client.get("/api/v1/groups?place=Roma")
    assert response.status_code == 200
    place = response.json()["place"]
    assert abs(place["latitude"] - 41.89) < 0.1 and abs(place["longitude"] - 12.48) < 0.1
