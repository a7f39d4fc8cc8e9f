"""The newcomer's form: reachable from a group and from an empty search, bad input kept, never a 500."""

import re

import pytest
from django.core import signing
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake import services
from intake.links import SALT, request_token
from intake.models import IntakeRequest, Outcome
from privacy.models import AuditEvent

URL = "/it/richiesta/"


def _token(client, query: str = "") -> str:
    response = client.get(URL + query)
    assert response.status_code == 200
    return response.context["form"]["token"].value()


def _data(token: str, **overrides) -> dict:
    data = {
        "first_name": "Lucia",
        "phone": "333 1234567",
        "email": "",
        "relationship": "affected",
        "consent": "on",
        "token": token,
        "town": "Trento",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_the_group_page_leads_to_the_form_with_the_group_and_its_theme(client, group_a, theme):
    group_a.themes.set([theme])
    page = client.get(f"/it/groups/{group_a.slug}/").content.decode()
    assert f'href="/it/richiesta/?group={group_a.slug}"' in page
    response = client.get(URL + f"?group={group_a.slug}")
    form = response.context["form"]
    assert form["group"].value() == group_a.slug and form["theme"].value() == "lutto"
    assert "Gruppo A" in response.content.decode()


def test_an_empty_search_offers_the_form_with_theme_and_town(client, group_a, theme):
    page = client.get("/it/groups/?theme=lutto&place=Bolzano").content.decode()
    assert "Non trovo un gruppo per me" in page
    link = re.search(r'href="(/it/richiesta/\?[^"]+)"', page).group(1).replace("&amp;", "&")
    form = client.get(link).context["form"]
    assert form["theme"].value() == "lutto" and form["town"].value() == "Bolzano"


def test_the_form_warns_about_health_details_and_asks_only_a_first_name(client, db):
    page = client.get(URL).content.decode()
    assert "Non scrivere qui dettagli sulla tua salute" in page
    assert "mai il cognome" in page
    assert "art. 9 del GDPR" in page


def test_a_request_from_a_group_page_reaches_its_association_and_confirms(client, group_a, group_y):
    token = _token(client, f"?group={group_a.slug}")
    response = client.post(URL, _data(token, group=group_a.slug, email="lucia@example.org"))
    assert response.status_code == 302 and response["Location"] == "/it/richiesta/inviata/"
    request = IntakeRequest.objects.get()
    assert request.association == group_a.association and request.asked_group == group_a
    page = client.get(response["Location"]).content.decode()
    assert request.reference in page
    assert "entro il" in page and "/it/richiesta/link/" in page


def test_a_double_tap_or_a_reload_creates_one_request(client, group_a):
    token = _token(client)
    first = client.post(URL, _data(token))
    second = client.post(URL, _data(token))
    assert first.status_code == second.status_code == 302
    assert IntakeRequest.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"consent": None}, "Serve il tuo consenso"),
        ({"phone": "", "email": ""}, "Lascia almeno un modo"),
        ({"phone": "telefonami"}, "numero di telefono non sembra giusto"),
        ({"email": "lucia@"}, "indirizzo e-mail non sembra giusto"),
        ({"message": "x" * 1001}, "1000 caratteri"),
        ({"first_name": "x" * 41}, "40 caratteri"),
        ({"website": "http://spam.example"}, "deve restare vuoto"),
    ],
)
def test_bad_input_gets_a_clear_message_and_keeps_what_was_typed(client, group_a, overrides, message):
    token = _token(client)
    response = client.post(URL, _data(token, message_extra=None, **overrides))
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    assert 'value="Trento"' in page
    assert not IntakeRequest.objects.exists()


def test_the_form_is_in_english_too(client, group_a):
    response = client.post("/en/richiesta/", {"first_name": "Lucia", "token": "t" * 20})
    assert response.status_code == 400
    assert "at least one way" in response.content.decode() or "consent" in response.content.decode()


def test_too_many_requests_from_one_contact_are_refused_with_a_clear_message(client, group_a):
    for number in range(3):
        assert client.post(URL, _data(_token(client), first_name=f"Lucia{number}")).status_code == 302
    response = client.post(URL, _data(_token(client)))
    assert response.status_code == 429
    assert "molte richieste" in response.content.decode()
    assert IntakeRequest.objects.count() == 3


def test_too_many_requests_from_one_client_are_refused(client, group_a):
    for number in range(10):
        data = _data(_token(client), phone=f"333 100 00{number:02d}")
        assert client.post(URL, data).status_code == 302
    response = client.post(URL, _data(_token(client), phone="333 999 9999"))
    assert response.status_code == 429
    assert IntakeRequest.objects.count() == 10


def test_the_signed_link_shows_exports_and_withdraws_at_once(client, submit):
    request = submit(first_name="Lucia", email="lucia@example.org")
    url = reverse("intake:manage", kwargs={"token": request_token(request)})
    page = client.get(url)
    assert page.status_code == 200 and request.reference in page.content.decode()
    assert IntakeRequest.objects.get(pk=request.pk).redacted_at is None  # a GET never acts
    exported = client.post(url, {"action": "export"})
    assert exported["Content-Type"].startswith("application/json")
    assert b"lucia@example.org" in exported.content and b"Lucia" in exported.content
    withdrawn = client.post(url, {"action": "withdraw"})
    assert withdrawn.status_code == 200 and "ritirata" in withdrawn.content.decode()
    request.refresh_from_db()
    assert request.outcome == Outcome.WITHDRAWN and request.email == "" and request.first_name == ""
    assert AuditEvent.objects.filter(action="deleted", object_id=str(request.pk)).exists()
    # The same link again: a clear page, nothing more happens.
    again = client.get(url)
    assert again.status_code == 410 and "già stata ritirata" in again.content.decode()
    assert client.post(url, {"action": "withdraw"}).status_code == 410


def test_an_expired_or_broken_link_gets_a_clear_page(client, submit, settings):
    request = submit()
    url = reverse("intake:manage", kwargs={"token": request_token(request)})
    settings.CERCHIO_INTAKE_LINK_DAYS = 0
    expired = client.get(url)
    assert expired.status_code == 410 and "scaduto" in expired.content.decode()
    forged = signing.dumps({"r": request.pk, "ref": request.reference}, salt=SALT + "x")
    broken = client.get(reverse("intake:manage", kwargs={"token": forged}))
    assert broken.status_code == 400 and "non è valido" in broken.content.decode()


def test_a_withdrawal_link_of_another_request_cannot_be_made_from_a_known_id(client, submit):
    request = submit()
    fake = signing.dumps({"r": request.pk, "ref": "R-XXXXXX"}, salt=SALT)
    assert client.get(reverse("intake:manage", kwargs={"token": fake})).status_code == 410


def test_the_confirmation_needs_the_session_of_the_request(client, submit):
    submit()
    response = client.get("/it/richiesta/inviata/")
    assert response.status_code == 302 and response["Location"] == URL


_text = st.text(max_size=1200)
_fields = st.fixed_dictionaries(
    {},
    optional={
        "first_name": _text,
        "phone": _text,
        "email": _text,
        "call_times": st.lists(st.sampled_from(["1", "2", "4", "8", "x", "-1", "99999999999999999999"]), max_size=4),
        "call_note": _text,
        "theme": st.one_of(st.just("lutto"), _text),
        "town": _text,
        "relationship": st.one_of(st.sampled_from(["affected", "family"]), _text),
        "message": st.text(max_size=3000),
        "consent": st.sampled_from(["on", "", "no", "1"]),
        "website": st.sampled_from(["", "x"]),
        "token": st.one_of(st.text(min_size=1, max_size=80), st.just("")),
        "group": st.one_of(st.just("gruppo-a"), st.just("non-esiste"), _text),
    },
)


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=_fields, query=st.text(max_size=200))
def test_random_input_never_gives_a_server_error(client, group_a, theme, data, query):
    client.raise_request_exception = False
    response = client.post(URL, data)
    assert response.status_code in (200, 302, 400, 429)
    response = client.get(URL, {"group": query, "theme": query, "town": query})
    assert response.status_code == 200


def test_nul_characters_are_refused_without_an_error(client, group_a):
    response = client.post(URL, _data(_token(client), first_name="Lu\x00cia"))
    assert response.status_code in (302, 400)


def test_a_request_for_a_town_with_no_group_goes_to_the_nearest_association(client, association_x, association_y):
    from network.tests.factories import GroupFactory, VenueFactory

    GroupFactory(association=association_x, venue=VenueFactory(association=association_x))  # Trento
    far = VenueFactory(association=association_y, comune="Palermo", latitude=38.115, longitude=13.361)
    GroupFactory(association=association_y, venue=far)
    assert services.association_for_request(town="Bagheria") == association_y
    assert services.association_for_request(town="Rovereto") == association_x
