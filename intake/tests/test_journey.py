"""A newcomer asks to join a group, and the association introduces them: in a real browser, on phones.

The newcomer finds a group and sends the request; an intake operator signs in with a
password and a second factor, calls them and introduces them; the facilitator sees a
first name on their home and on the meeting's page; the request is closed as joined.
Every page fits 390×844 and nothing is asked of another host.
"""

from datetime import time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.services import account_create
from conftest import enrol_totp, totp_code
from intake.models import IntakeRequest, Outcome, RequestState
from network import services
from network.models import AssociationMembership, AssociationRole, GroupMembership, GroupRole
from network.tests.factories import AssociationFactory, GroupFactory, ThemeFactory
from workspace.tests import test_journey_coordinator as coordinator_journey

pytestmark = pytest.mark.browser

browser = coordinator_journey.browser
_restore_gazetteer = coordinator_journey._restore_gazetteer
Phone = coordinator_journey.Phone

OPERATOR_EMAIL = "accoglienza@example.org"
PASSWORD = "una password per la prova"


def _network():
    association = AssociationFactory(name="AMA Trento", slug="ama-trento")
    lutto = ThemeFactory(slug="lutto", name_it="Lutto", name_en="Grief")
    group = GroupFactory(association=association, name="Elaborazione del lutto", slug="lutto-trento")
    group.themes.set([lutto])
    first = timezone.localdate() + timedelta(days=3)
    rule = "FREQ=WEEKLY;BYDAY=" + ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][first.weekday()]
    services.schedule_create(group=group, rrule=rule, start_time=time(20, 30), starts_on=first, by=None)
    operator = account_create(email=OPERATOR_EMAIL, password=PASSWORD, is_staff=True)
    AssociationMembership.objects.create(user=operator, association=association, role=AssociationRole.INTAKE)
    secret = enrol_totp(operator)
    facilitator = account_create(email="facilita@example.org", password=PASSWORD, is_staff=True)
    GroupMembership.objects.create(user=facilitator, group=group, role=GroupRole.FACILITATOR)
    return group, operator, secret, facilitator


def test_a_newcomer_is_introduced_to_a_group_and_joins(browser, live_server):
    group, operator, secret, facilitator = _network()

    # The newcomer, on a phone, opens the group's page and asks to join.
    newcomer = Phone(browser, live_server.url, "nuova-persona")
    page = newcomer.page
    page.goto(f"{live_server.url}/it/groups/{group.slug}/")
    page.get_by_role("link", name="Chiedi di partecipare").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chiedi di essere messo in contatto")
    expect(page.locator("body")).to_contain_text("Elaborazione del lutto")
    newcomer.check("1-modulo")
    page.get_by_label("Come ti chiamiamo?").fill("Lucia")
    page.get_by_label("Telefono").fill("333 123 4567")
    page.get_by_label("sera").check()
    page.get_by_role("button", name="Invia la richiesta").click()
    # Consent is missing: a clear message, and what was typed is still there.
    expect(page.locator("body")).to_contain_text("Serve il tuo consenso")
    expect(page.get_by_label("Come ti chiamiamo?")).to_have_value("Lucia")
    newcomer.check("2-errore")
    page.locator("#id_consent").check()
    page.get_by_role("button", name="Invia la richiesta").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Richiesta inviata")
    request = IntakeRequest.objects.get()
    expect(page.locator(".intake-reference")).to_have_text(request.reference)
    expect(page.locator("body")).to_contain_text("entro il")
    newcomer.check("3-inviata")
    assert request.association == group.association and request.asked_group == group

    # The intake operator signs in with password and second factor, and finds the request.
    office = Phone(browser, live_server.url, "accoglienza")
    page = office.page
    page.goto(f"{live_server.url}/it/accounts/login/")
    page.get_by_label("Email").fill(OPERATOR_EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Accedi").click()
    page.get_by_label("Codice").fill(totp_code(secret, valid_for=20))
    page.get_by_role("button", name="Accedi").click()
    expect(page).to_have_url(f"{live_server.url}/it/workspace/")
    expect(page.locator("body")).to_contain_text("una richiesta nuova")
    office.check("1-oggi")
    page.get_by_role("navigation", name="Spazio di lavoro").get_by_role("link", name="Accoglienza").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Accoglienza")
    expect(page.locator("body")).not_to_contain_text("Lucia")  # the queue shows references, not names
    office.check("2-coda")
    page.get_by_role("link", name=request.reference).click()
    expect(page.locator(".intake-facts")).to_contain_text("Lucia")
    expect(page.locator(".intake-facts")).to_contain_text("333 123 4567")
    office.check("3-richiesta")
    page.get_by_role("button", name="Contattata").click()
    expect(page.locator(".messages")).to_contain_text("Primo contatto registrato")
    page.get_by_role("button", name="Proponi il gruppo").click()
    expect(page.locator(".messages")).to_contain_text("Gruppo proposto")
    office.check("4-proposto")
    page.get_by_role("button", name="Presenta al facilitatore").click()
    expect(page.locator(".messages")).to_contain_text("sa che una persona nuova potrebbe venire")
    request.refresh_from_db()
    assert request.state == RequestState.INTRODUCED

    # The facilitator sees the newcomer's first name, and nothing to reach them by.
    facilitation = Phone(browser, live_server.url, "facilitatore")
    facilitation.sign_in_as(facilitator)
    page = facilitation.page
    page.goto(f"{live_server.url}/it/workspace/")
    newcomers = page.locator(".ws-intake-newcomers")
    expect(newcomers).to_contain_text("Lucia")
    expect(newcomers).to_contain_text("prima volta")
    expect(page.locator("body")).not_to_contain_text("333")
    facilitation.check("1-oggi")
    newcomers.get_by_role("link").first.click()
    expect(page.locator(".ws-intake-newcomers")).to_contain_text("Lucia")
    facilitation.check("2-incontro")

    # After the meeting, the operator closes the request as joined.
    page = office.page
    page.get_by_label("Chiudi con l'esito").select_option(label="entrata in un gruppo")
    page.get_by_role("button", name="Chiudi la richiesta").click()
    expect(page.locator(".messages")).to_contain_text("Richiesta chiusa")
    office.check("5-chiusa")
    request.refresh_from_db()
    assert (request.state, request.outcome) == (RequestState.CLOSED, Outcome.JOINED)

    for phone in (newcomer, office, facilitation):
        assert phone.third_party_requests() == []
        assert phone.failures == []
        phone.close()
