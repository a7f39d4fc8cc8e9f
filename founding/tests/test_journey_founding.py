"""A coordinator starts a group by open invitation, fills in its agreements, publishes its
"starting soon" page, and the group appears in the directory: in a real browser, on a
phone (390×844) and on a desktop screen.
"""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.services import account_create
from conftest import enrol_totp
from directory.tests import test_journey as public_journey
from founding.models import FoundingPath
from founding.tests.pdf_world import decoded_qr_codes, pdf_text
from lib.site import absolute_url
from network.models import AssociationMembership, AssociationRole, GroupStatus
from network.tests.factories import AssociationFactory, ThemeFactory, VenueFactory
from workspace.tests.test_journey_coordinator import Phone

pytestmark = pytest.mark.browser

browser = public_journey.browser
_restore_gazetteer = public_journey._restore_gazetteer

SCREENS = {"telefono": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
SHOTS = Path("/tmp/shots-founding")
WEEKDAYS = ["lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica"]


class Screen(Phone):
    def __init__(self, browser, origin: str, name: str, viewport: dict):
        self.viewport = viewport
        super().__init__(browser, origin, name)
        self.context.close()
        self.context = browser.new_context(locale="it-IT", viewport=viewport, device_scale_factor=1)
        self.context.set_default_timeout(10_000)
        self.page = self.context.new_page()
        self.requests, self.failures = [], []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("response", lambda response: response.status >= 500 and self.failures.append(response.url))
        self.page.on("pageerror", lambda error: self.failures.append(f"JavaScript error: {error}"))

    def check(self, shot: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{self.name}-{shot}.png"), full_page=True)
        width = self.page.evaluate("document.documentElement.scrollWidth")
        assert width <= self.viewport["width"], f"{shot}: the page scrolls sideways ({width}px)"
        assert self.page.locator("h1").count() == 1, f"{shot}: one h1 per page"


@pytest.mark.parametrize("screen", SCREENS)
def test_a_coordinator_starts_a_group_by_open_invitation_up_to_the_directory(browser, live_server, screen):
    association = AssociationFactory(name="AMA Trento", slug="ama-trento")
    VenueFactory(association=association, name="Sala civica di Povo", comune="Trento")
    ThemeFactory(slug="lutto", name_it="Lutto", name_en="Grief")
    coordinator = account_create(email="coordina@example.org", password="pw-for-tests", is_staff=True)
    AssociationMembership.objects.create(user=coordinator, association=association, role=AssociationRole.COORDINATOR)
    enrol_totp(coordinator)
    first = timezone.localdate() + timedelta(days=14)

    office = Screen(browser, live_server.url, f"coordinatore-{screen}", SCREENS[screen])
    office.sign_in_as(coordinator)
    page = office.page

    # The board of new groups, then one of the five ways.
    page.goto(live_server.url + "/it/workspace/new-groups/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nuovi gruppi")
    office.check("1-nuovi-gruppi")
    page.get_by_role("link", name="Avvia un nuovo gruppo").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Avvia un nuovo gruppo")
    page.get_by_label("Invito aperto").check()
    page.get_by_label("Nome del gruppo").fill("Dopo una perdita")
    page.get_by_label("Lutto").check()
    page.get_by_label("Descrizione pubblica").fill("Per chi ha perso una persona cara.")
    office.check("2-cinque-vie")
    page.get_by_role("button", name="Avvia il percorso").click()

    # The path: its own steps, and what is missing.
    expect(page.get_by_role("heading", level=1)).to_have_text("Dopo una perdita")
    expect(page.locator(".ws-steps")).to_contain_text("Locandine e volantini distribuiti")
    expect(page.locator(".ws-missing")).to_contain_text("il giorno, l'ora, il ritmo")
    office.check("3-percorso")
    page.get_by_role("button", name="Segna come fatto: Tema e destinatari precisati").click()
    expect(page.locator(".messages")).to_have_count(0)

    # The agreements: a bad size first (kept, with its reason), then right.
    page.get_by_role("link", name="Compila gli accordi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Accordi del gruppo")
    page.get_by_label("Sede degli incontri").select_option(label="Sala civica di Povo (Trento)")
    page.get_by_label("dopo un breve colloquio con l'associazione").check()
    page.get_by_label("Numero massimo di partecipanti").fill("25")
    page.get_by_label("No", exact=True).check()
    page.get_by_label("Quanti facilitatori").fill("2")
    page.get_by_label("Il gruppo adotta le regole").check()
    page.get_by_label("Regole proprie del gruppo").fill("Si spengono i telefoni.")
    page.get_by_label("Il pubblico contatta il gruppo sempre tramite l'associazione").check()
    for criterion in (
        "È autogestito",
        "Si incontra regolarmente",
        "La partecipazione è libera e volontaria",
        "È gratuito e senza scopo di lucro",
        "Mantiene la riservatezza verso l'esterno",
    ):
        page.get_by_label(criterion).check()
    page.get_by_label("Data del primo incontro").fill(first.isoformat())
    page.get_by_label("Ora del primo incontro").fill("20:30")
    page.get_by_role("button", name="Salva gli accordi").click()
    expect(page.locator("#id_max_size_error")).to_contain_text("da 3 a 20")
    expect(page.get_by_label("Regole proprie del gruppo")).to_have_value("Si spengono i telefoni.")
    office.check("4-accordi-errore")
    page.get_by_label("Numero massimo di partecipanti").fill("10")
    page.get_by_role("button", name="Salva gli accordi").click()
    expect(page.locator(".messages")).to_contain_text("Accordi salvati")

    # The rhythm: every week, on the first meeting's weekday.
    expect(page.locator(".ws-missing")).to_contain_text("il giorno, l'ora, il ritmo")
    page.get_by_role("link", name="Accordi", exact=True).click()
    page.get_by_role("link", name="Fissa il ritmo degli incontri").click()
    page.get_by_label("ogni settimana").check()
    page.get_by_label("Giorno della settimana").select_option(label=WEEKDAYS[first.weekday()])
    page.get_by_label("Ora di inizio").fill("20:30")
    page.get_by_label("A partire dal").fill(first.isoformat())
    page.get_by_role("button", name="Salva").first.click()
    group = FoundingPath.objects.get().group
    page.goto(live_server.url + f"/it/workspace/groups/{group.slug}/founding/")
    expect(page.locator(".ws-missing")).to_contain_text("ci sono tutti")
    office.check("5-percorso-completo")

    # Published as "starting soon".
    page.get_by_role("button", name="Pubblica come «in avvio»").click()
    expect(page.locator(".messages")).to_contain_text("In promozione".lower())
    group.refresh_from_db()
    assert group.status == GroupStatus.PROMOTING

    # The poster, downloaded from the path: its QR code leads to the group's public page.
    page.goto(live_server.url + f"/it/workspace/groups/{group.slug}/founding/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Manifesto (A4) (PDF)").click()
    poster = Path(download.value.path()).read_bytes()
    assert decoded_qr_codes(poster) == [absolute_url(f"/it/groups/{group.slug}/")]
    assert "Dopo una perdita" in pdf_text(poster)

    # The first-meeting guide, on the phone, filled in.
    page.goto(live_server.url + f"/it/workspace/groups/{group.slug}/first-meeting-guide/")
    expect(page.locator(".ws-guide")).to_contain_text("gruppo di auto mutuo aiuto su lutto")
    expect(page.locator(".ws-guide")).to_contain_text("Si spengono i telefoni.")
    office.check("6-guida")

    # The public side: the shareable page with its first meeting, and the directory.
    visitor = Screen(browser, live_server.url, f"visitatore-{screen}", SCREENS[screen])
    page = visitor.page
    page.goto(live_server.url + f"/it/new-groups/{group.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dopo una perdita")
    expect(page.locator(".lead")).to_contain_text("20:30")
    expect(page.get_by_text("Sala civica di Povo")).to_be_visible()
    visitor.check("1-in-avvio")
    with page.expect_download() as download:
        page.get_by_role("link", name="Aggiungi il primo incontro al calendario").click()
    assert "BEGIN:VEVENT" in Path(download.value.path()).read_text()
    page.goto(live_server.url + "/it/groups/?theme=lutto")
    card = page.locator(".card", has_text="Dopo una perdita")
    expect(card).to_contain_text("Nuovo gruppo in avvio")
    visitor.check("2-elenco")
    card.get_by_role("link", name="Dopo una perdita").click()
    expect(page.locator(".badge").first).to_contain_text("Primo incontro")
    visitor.check("3-pagina-gruppo")

    for tab in (office, visitor):
        assert tab.third_party_requests() == []
        assert tab.failures == []
        tab.close()
