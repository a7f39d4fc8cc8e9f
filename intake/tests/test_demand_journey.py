"""A coordinator, on a phone, finds demand past the threshold, starts a group on request and reads the figures.

Chromium (/usr/bin/chromium) through Playwright, at 390×844 in Italian: every page fits
the screen (no sideways scroll) and asks nothing of another host.
"""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from conftest import enrol_totp
from intake.models import DemandRecord, Outcome, RequestState
from intake.tests.demand_factories import LAVIS, TRENTO, make_request, make_waiting
from network.models import AssociationMembership, AssociationRole, Group, GroupStatus, StartMode
from network.tests.factories import AssociationFactory, ThemeFactory
from workspace.tests import test_journey_coordinator as coordinator_journey

pytestmark = pytest.mark.browser

browser = coordinator_journey.browser
_restore_gazetteer = coordinator_journey._restore_gazetteer
Phone = coordinator_journey.Phone


def _world():
    from django.utils import timezone

    from accounts.services import account_create

    association = AssociationFactory(name="AMA Trento", slug="ama-trento")
    neomamme = ThemeFactory(slug="neomamme", name_it="Neomamme e neopapà in attesa di un gruppo")
    for place, town in [(TRENTO, "Trento")] * 4 + [(LAVIS, "Lavis")] * 3:
        make_waiting(association, neomamme, at=place, area=town)
    lutto = ThemeFactory(slug="lutto", name_it="Lutto")
    for index in range(40):
        make_request(
            association,
            theme=lutto if index % 3 else neomamme,
            state=RequestState.CLOSED,
            outcome=[Outcome.JOINED, Outcome.NOT_INTERESTED, Outcome.UNREACHABLE, Outcome.REFERRED][index % 4],
            created_at=timezone.now() - timedelta(days=10 + index * 8),
            first_contact_after=timedelta(hours=5 + (index % 7) * 9),
        )
    coordinator = account_create(email="coordina@example.org", password="pw-for-tests", is_staff=True)
    AssociationMembership.objects.create(user=coordinator, association=association, role=AssociationRole.COORDINATOR)
    enrol_totp(coordinator)
    return association, coordinator


def test_a_coordinator_starts_a_group_where_demand_reached_the_threshold_and_reads_the_figures(browser, live_server):
    association, coordinator = _world()
    office = Phone(browser, live_server.url, "domanda")
    office.sign_in_as(coordinator)
    page = office.page

    page.goto(live_server.url + "/it/workspace/demand/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Richieste senza gruppo")
    expect(page.locator(".ws-demand-reached")).to_contain_text("soglia raggiunta")
    expect(page.locator(".ws-demand-reached")).to_contain_text("7 richieste")
    office.check("1-bacheca")

    page.get_by_role("link", name="Avvia un gruppo su richiesta").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Avvia un gruppo su richiesta")
    office.check("2-avvio")
    page.get_by_label("Nome del nuovo gruppo").fill("Neomamme – Trento")
    page.get_by_role("button", name="Avvia il gruppo").click()
    expect(page.locator(".messages")).to_contain_text("avviato su richiesta")
    group = Group.objects.get(name="Neomamme – Trento")
    assert group.status == GroupStatus.PLANNED and group.start_mode == StartMode.ON_REQUEST
    assert DemandRecord.objects.filter(group=group).count() == 7
    office.check("3-gruppo")

    page.goto(live_server.url + "/it/workspace/demand/")
    expect(page.locator(".ws-demand-reached")).to_have_count(0)

    page.goto(live_server.url + "/it/workspace/intake/settings/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Impostazioni dell'accoglienza")
    office.check("4-impostazioni")
    page.get_by_label("richieste per proporre un nuovo gruppo").fill("2")
    page.get_by_role("button", name="Salva").click()
    expect(page.locator(".error").first).to_be_visible()
    expect(page.get_by_label("richieste per proporre un nuovo gruppo")).to_have_value("2")
    office.check("5-impostazioni-errore")

    # The intake figures are the second tab of "Numeri".
    page.get_by_role("navigation", name="Spazio di lavoro").get_by_role("link", name="Numeri").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Numeri")
    page.get_by_role("navigation", name="Quali numeri").get_by_role("link", name="Accoglienza").click()
    expect(page).to_have_url(re.compile(r"/it/workspace/figures/intake/"))
    expect(page.get_by_role("navigation", name="Quali numeri").locator('[aria-current="page"]')).to_have_text(
        "Accoglienza"
    )
    expect(page.locator("svg.chart")).to_have_count(4)
    expect(page.locator("table").first).to_be_visible()
    office.check("6-numeri")

    assert office.third_party_requests() == []
    assert office.failures == []
    office.close()
