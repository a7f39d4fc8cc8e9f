"""A coordinator invites a facilitator, who joins and finds their group: in a real browser, on a phone.

Chromium (/usr/bin/chromium) is driven by Playwright against the live server, at
390×844 in Italian. Each page must fit the screen and ask nothing of another host.
"""

import re
from datetime import time, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from conftest import enrol_totp
from directory.tests import test_journey as public_journey
from network import services
from network.models import AssociationMembership, AssociationRole, Invitation
from network.tests.factories import AssociationFactory, GroupFactory

TIMEOUT_MS = 10_000
PHONE = {"width": 390, "height": 844}
SHOTS = Path("/tmp/shots-coord")
NEW_PASSWORD = "una frase lunga da ricordare"
EMAIL = "marta.facilita@example.org"

pytestmark = pytest.mark.browser


# The newcomer's journey's Chromium and gazetteer fixtures, shared.
browser = public_journey.browser
_restore_gazetteer = public_journey._restore_gazetteer


class Phone:
    """A browser tab on a phone that records every request and every failure."""

    def __init__(self, browser, origin: str, name: str):
        self.origin = origin
        self.name = name
        self.context = browser.new_context(locale="it-IT", viewport=PHONE, device_scale_factor=1)
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.failures: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("response", lambda response: response.status >= 500 and self.failures.append(response.url))
        self.page.on("pageerror", lambda error: self.failures.append(f"JavaScript error: {error}"))

    def sign_in_as(self, user) -> None:
        """The session of a signed-in client, copied into the browser (the second factor is enrolled)."""
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        self.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": self.origin}])

    def check(self, shot: str) -> None:
        """The page fits a phone, and was screenshotted for a person to look at."""
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{self.name}-{shot}.png"), full_page=True)
        width = self.page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{shot}: the page scrolls sideways ({width}px)"
        assert self.page.locator("h1").count() == 1, f"{shot}: one h1 per page"

    def third_party_requests(self) -> list[str]:
        netloc = urlsplit(self.origin).netloc
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme not in {"data", "blob"} and urlsplit(url).netloc != netloc
        ]

    def close(self) -> None:
        self.context.close()


def _network():
    association = AssociationFactory(name="AMA Trento", slug="ama-trento")
    lutto = GroupFactory(association=association, name="Elaborazione del lutto", slug="lutto-trento")
    GroupFactory(association=association, name="Gioco d'azzardo", slug="azzardo-trento")
    first = timezone.localdate() + timedelta(days=2)
    rule = "FREQ=WEEKLY;BYDAY=" + ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][first.weekday()]
    services.schedule_create(group=lutto, rrule=rule, start_time=time(20, 30), starts_on=first, by=None)
    from accounts.services import account_create

    coordinator = account_create(email="coordina@example.org", password="pw-for-tests", is_staff=True)
    AssociationMembership.objects.create(user=coordinator, association=association, role=AssociationRole.COORDINATOR)
    enrol_totp(coordinator)
    return association, lutto, coordinator


def _link_in_the_invitation_email(live_server_url: str) -> str:
    """The worker sends the invitation; the link is taken from the e-mail itself."""
    from django.core import mail

    from notifications.delivery import deliver_due

    deliver_due(worker_id="journey")
    message = mail.outbox[-1]
    assert message.to == [EMAIL] and "Cerchio" in message.subject
    path = re.search(r"https?://[^/\s]+(/\S+/join/\S+/)", message.body).group(1)
    return live_server_url + path


def test_a_coordinator_invites_a_facilitator_who_joins_and_finds_their_group(browser, live_server):
    association, lutto, coordinator = _network()

    # The coordinator, on a phone, opens people and invites Marta to facilitate the grief group.
    office = Phone(browser, live_server.url, "coordinatore")
    office.sign_in_as(coordinator)
    page = office.page
    page.goto(live_server.url + "/it/workspace/people/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Persone e inviti")
    office.check("1-persone")
    page.get_by_role("link", name="Invita una persona").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invita una persona")
    page.get_by_label("E-mail della persona").fill(EMAIL)
    page.get_by_label("facilitatore di un gruppo").check()
    page.get_by_label("Gruppo", exact=True).select_option(label=lutto.name)
    office.check("2-invito")
    page.get_by_role("button", name="Manda l'invito").click()
    expect(page.locator(".messages")).to_contain_text(f"Invito mandato a {EMAIL}")
    join_url = _link_in_the_invitation_email(live_server.url)
    invitation = Invitation.objects.get()
    assert invitation.state == "open" and invitation.group == lutto
    # The address was shown once, to the person who typed it; the list never shows it.
    page.goto(live_server.url + "/it/workspace/people/")
    expect(page.locator("body")).not_to_contain_text(EMAIL)
    expect(page.get_by_role("link", name="Ritira")).to_have_count(1)
    office.check("3-persone-con-invito")

    # Marta opens the link from her e-mail on her own phone, with no account.
    marta = Phone(browser, live_server.url, "facilitatrice")
    page = marta.page
    page.goto(join_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Accetta l'invito")
    expect(page.locator(".lead")).to_contain_text(lutto.name)
    marta.check("1-accetta")
    page.get_by_label("Come vuoi essere chiamato").fill("Marta")
    page.get_by_label("Scegli una password").fill(NEW_PASSWORD)
    page.get_by_label("Ripeti la password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Accetta ed entra").click()

    # She lands in the workspace, greeted by her nickname, and sees only her group.
    expect(page).to_have_url(f"{live_server.url}/it/workspace/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ciao Marta")
    marta.check("2-spazio")
    page.get_by_role("navigation", name="Spazio di lavoro").get_by_role("link", name="Gruppi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gruppi")
    expect(page.locator(".ws-group")).to_have_count(1)
    expect(page.locator(".ws-group")).to_contain_text(lutto.name)
    expect(page.get_by_role("link", name="Nuovo gruppo")).to_have_count(0)
    marta.check("3-gruppi")

    # The link does not work a second time.
    second = Phone(browser, live_server.url, "link-riusato")
    response = second.page.goto(join_url)
    assert response is not None and response.status == 410
    expect(second.page.locator(".notice")).to_contain_text("già stato usato")
    second.check("1-riusato")

    # Back to the coordinator: the network's meetings, groups, venues, history and audit log fit the phone too.
    for path, shot in [
        ("/it/workspace/meetings/", "4-incontri"),
        ("/it/workspace/groups/", "5-gruppi"),
        (f"/it/workspace/groups/{lutto.slug}/status/", "6-stato"),
        ("/it/workspace/venues/", "7-sedi"),
        ("/it/workspace/venues/new/", "8-nuova-sede"),
        ("/it/workspace/history/", "9-attivita"),
        ("/it/workspace/people/", "10-persone"),
        # The audit log: cards, not a table; the filters open (a long object id must wrap).
        ("/it/workspace/audit/", "11-registro"),
        ("/it/workspace/audit/?action=viewed&object_id=" + "x" * 60, "12-registro-filtrato"),
    ]:
        response = office.page.goto(live_server.url + path)
        assert response is not None and response.ok, path
        office.check(shot)

    for phone in (office, marta, second):
        assert phone.third_party_requests() == []
        assert phone.failures == []
        phone.close()
