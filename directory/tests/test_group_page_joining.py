"""The group page leads to joining: the first action, plain-word terms, start and end, changes, JSON-LD, English."""

import json
import re
from datetime import time, timedelta

import pytest
from django.utils import timezone

from directory.views import join_url
from network import services
from network.models import Group
from network.tests.factories import AssociationFactory, VenueFactory, make_group

pytestmark = pytest.mark.django_db


def _json_ld(body: str) -> dict:
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
    assert len(scripts) == 1
    return json.loads(scripts[0])


def _article(body: str) -> str:
    return body[body.index('<article class="group">') : body.index("</article>")]


def test_the_first_action_on_the_group_page_is_joining(client):
    group = make_group(slug="g")
    body = client.get("/it/groups/g/").content.decode()
    article = _article(body)
    first_button = re.search(r'<a class="button[^"]*" href="([^"]+)">([^<]+)</a>', article)
    assert first_button.group(2) == "Vuoi partecipare?"
    # It leads to the association's request form, with the group filled in.
    assert first_button.group(1) == join_url(group) == "/it/richiesta/?group=g"
    # It comes before the description, the facts and the calendar; the calendar is no longer a button.
    assert article.index("Vuoi partecipare?") < article.index("Un gruppo di auto mutuo aiuto.")
    assert article.index("Vuoi partecipare?") < article.index("calendar-links")
    assert 'class="button" href="webcal:' not in article
    # The section it leads to holds the association's contact and how the first contact works.
    section = article[article.index('id="partecipare"') :]
    assert "accoglienza@example.org" in section and 'href="tel:0461000000"' in section
    assert "Qualcuno dell'accoglienza ti racconta come funziona" in section


def test_the_calendar_is_offered_as_an_https_address_as_well_as_webcal(client):
    make_group(slug="g")
    body = client.get("/it/groups/g/").content.decode()
    assert 'href="webcal://testserver/groups/g/calendar.ics"' in body
    assert 'value="http://testserver/groups/g/calendar.ics"' in body  # the test server speaks http
    assert "aggiungi calendario da URL" in body


def test_open_entry_is_explained_without_contradicting_the_first_contact(client):
    make_group(slug="g", entry="open", facilitator_kind="peer")
    facts = client.get("/it/groups/g/").content.decode()
    facts = facts[facts.index('<dl class="facts">') : facts.index("</dl>")]
    assert "si può entrare a ogni incontro" not in facts
    assert "Prima del primo incontro ci si sente con l'associazione" in facts
    assert "ha vissuto la stessa situazione dei partecipanti" in facts
    assert "Ci si incontra di persona" in facts


def test_closed_entry_non_peer_and_online_are_explained(client):
    association = AssociationFactory()
    make_group(
        slug="g",
        association=association,
        entry="closed",
        facilitator_kind="non_peer",
        venue=None,
        online_url="https://meet.example.org/segreto",
    )
    body = client.get("/it/groups/g/").content.decode()
    assert "solo in certi momenti" in body
    assert "non vive la stessa situazione" in body
    assert "Ci si incontra in videochiamata" in body
    assert "meet.example.org" not in body


def test_hybrid_is_explained(client):
    make_group(slug="g", online_url="https://meet.example.org/segreto")
    body = client.get("/it/groups/g/").content.decode()
    assert "chi non può venire partecipa in videochiamata" in body
    assert "meet.example.org" not in body


def test_meetings_show_start_and_end(client):
    make_group(slug="g", at=time(20, 30))
    body = client.get("/it/groups/g/").content.decode()
    assert body.count("dalle 20:30 alle 22:30") == 6
    assert "dura 120 minuti" in body
    english = client.get("/en/groups/g/").content.decode()
    assert "from 20:30 to 22:30" in english


def test_a_moved_meeting_says_what_it_replaces_and_a_cancelled_one_keeps_its_reason(client):
    group = make_group(slug="g", rule="FREQ=WEEKLY;BYDAY=TU")
    upcoming = list(group.meetings.filter(starts_at__gt=timezone.now()).order_by("starts_at")[:3])
    services.meeting_cancel(meeting=upcoming[0], note="Sala chiusa per lavori", by=None)
    moved = services.meeting_move(
        meeting=upcoming[1], new_date=upcoming[1].original_date + timedelta(days=1), new_time=time(20, 30), by=None
    )
    body = client.get("/it/groups/g/").content.decode()
    assert "Motivo: Sala chiusa per lavori" in body
    tuesday = moved.original_date
    months = ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno"]
    months += ["luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"]
    assert f"al posto di martedì {tuesday.day} {months[tuesday.month - 1]}" in body
    english = client.get("/en/groups/g/").content.decode()
    assert f"instead of Tuesday {tuesday.day} " in english
    assert "Reason: Sala chiusa per lavori" in english


def test_json_ld_describes_the_series_and_its_next_meetings(client):
    group = make_group(slug="g", online_url="https://meet.example.org/segreto")
    upcoming = list(group.meetings.filter(starts_at__gt=timezone.now()).order_by("starts_at")[:2])
    services.meeting_cancel(meeting=upcoming[0], by=None)
    services.meeting_move(meeting=upcoming[1], new_date=upcoming[1].original_date, new_time=time(18, 0), by=None)
    body = client.get("/it/groups/g/").content.decode()
    data = _json_ld(body)
    assert "meet.example.org" not in body
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "EventSeries"
    assert data["name"] == group.name and data["url"] == "http://testserver/it/groups/g/"
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    events = data["subEvent"]
    assert len(events) == 6
    for event in events:
        # What search engines require of an Event, and what they recommend.
        for key in ("name", "startDate", "endDate", "location", "eventStatus", "organizer", "eventAttendanceMode"):
            assert event[key], key
        assert event["@type"] == "Event"
        assert event["startDate"] < event["endDate"]
        place, virtual = event["location"]
        assert place["@type"] == "Place" and place["address"]["addressLocality"] == "Trento"
        assert virtual == {"@type": "VirtualLocation", "url": "http://testserver/it/groups/g/"}
    assert events[0]["eventStatus"] == "https://schema.org/EventCancelled"
    assert events[1]["eventStatus"] == "https://schema.org/EventRescheduled"
    assert events[1]["previousStartDate"].endswith("20:30:00+01:00") or "20:30:00" in events[1]["previousStartDate"]
    assert events[1]["startDate"][11:16] == "18:00"
    assert events[2]["eventStatus"] == "https://schema.org/EventScheduled"


def test_json_ld_cannot_close_its_script_element(client):
    make_group(slug="g", description="Chi siamo </script><script>alert(1)</script> & altro")
    body = client.get("/it/groups/g/").content.decode()
    data = _json_ld(body)
    assert data["description"].startswith("Chi siamo </script>")
    assert "<script>alert(1)" not in body


def test_english_pages_show_the_english_name_description_and_notes(client):
    make_group(
        slug="g",
        name="Gruppo lutto",
        name_en="Grief group",
        description="Per chi ha perso una persona cara.",
        description_en="For people who have lost someone close.",
        accessibility_notes="Sala al piano terra.",
        accessibility_notes_en="Ground-floor room.",
    )
    english = client.get("/en/groups/g/").content.decode()
    assert '<h1 lang="en">Grief group</h1>' in english
    assert "For people who have lost someone close." in english
    assert "Ground-floor room." in english
    assert "meets in Italian" not in english
    italian = client.get("/it/groups/g/").content.decode()
    assert '<h1 lang="it">Gruppo lutto</h1>' in italian and "Per chi ha perso" in italian


def test_english_pages_say_the_group_meets_in_italian_when_it_has_no_english_text(client):
    make_group(slug="g", name="Gruppo lutto", description="Per chi ha perso una persona cara.")
    english = client.get("/en/groups/g/").content.decode()
    assert "This group meets in Italian" in english
    assert '<div class="description" lang="it">' in english
    assert "meets in Italian" not in client.get("/it/groups/g/").content.decode()


def test_the_api_serves_the_english_text_to_english_clients(client):
    make_group(slug="g", name="Gruppo lutto", name_en="Grief group", description_en="For the bereaved.")
    english = client.get("/api/v1/groups/g", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["name"] == "Grief group" and english["name_it"] == "Gruppo lutto"
    assert english["description"] == "For the bereaved." and english["description_language"] == "en"
    italian = client.get("/api/v1/groups/g", HTTP_ACCEPT_LANGUAGE="it").json()
    assert italian["name"] == "Gruppo lutto" and italian["description_language"] == "it"
    assert italian["name_en"] == "Grief group"
    listing = client.get("/api/v1/groups?q=grief", HTTP_ACCEPT_LANGUAGE="en").json()
    assert [group["slug"] for group in listing["results"]] == ["g"]


def test_group_update_keeps_the_english_fields_searchable(client):
    group = make_group(slug="g", name="Gruppo lutto")
    services.group_update(group=Group.objects.get(pk=group.pk), by=None, name_en="Bereavement circle")
    assert "bereavement" in Group.objects.get(pk=group.pk).search_text


def test_an_urgent_help_box_is_on_the_group_page_with_the_associations_numbers(client):
    association = AssociationFactory(urgent_numbers="1522 – antiviolenza e stalking\nriga senza numero")
    make_group(slug="g", association=association, venue=VenueFactory(association=association))
    body = client.get("/it/groups/g/").content.decode()
    box = body[body.index('class="urgent-help"') :]
    assert "non sono un servizio di emergenza" in box
    assert 'href="tel:112"' in box and 'href="tel:1522"' in box and "antiviolenza e stalking" in box
    assert "riga senza numero" not in box
