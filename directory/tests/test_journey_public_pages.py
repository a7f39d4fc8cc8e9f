"""Public pages in a real browser at 390×844, in Italian and English: joining first, tap targets, axe-core.

Chromium (/usr/bin/chromium) against the live server; axe-core is the copy bundled in
axe-playwright-python (nothing is fetched). Tap targets are measured as the browser lays
them out: 24 px at least for every link people tap, 44 px for the primary actions.
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from django.utils import translation
from playwright.sync_api import expect

from accounts.models import Profile
from directory.tests import test_journey as public_journey
from network.models import Association, Group
from network.tests.factories import AssociationFactory, ThemeFactory, VenueFactory, make_group

pytestmark = pytest.mark.browser

browser = public_journey.browser
_restore_gazetteer = public_journey._restore_gazetteer

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
TIMEOUT_MS = 10_000
BLOCKING = {"serious", "critical"}
AXE = Axe()
MIN_TAP = 24
PRIMARY_TAP = 44


@pytest.fixture
def network(db):
    association = AssociationFactory(
        name="AMA Trento",
        slug="ama-trento",
        about="Dal 1996 accogliamo chi cerca un gruppo.",
        urgent_numbers="1522 – antiviolenza e stalking",
        website="https://ama.example.org",
    )
    venue = VenueFactory(association=association, comune="Trento")
    theme = ThemeFactory(slug="lutto", name_it="Lutto", name_en="Grief")
    group = make_group(
        slug="lutto-trento",
        name="Gruppo lutto",
        name_en="Grief group",
        description="Per chi ha perso una persona cara.",
        description_en="For people who have lost someone close.",
        association=association,
        venue=venue,
        themes=[theme],
    )
    italian_only = make_group(
        slug="solo-italiano", name="Gruppo genitori", association=association, venue=venue, themes=[theme]
    )
    return {"association": association, "group": group, "italian_only": italian_only, "theme": theme}


class Tab:
    def __init__(self, browser, origin: str, *, locale: str, viewport: dict, user=None):
        self.origin = origin
        self.context = browser.new_context(locale=locale, viewport=viewport, device_scale_factor=1)
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page = self.context.new_page()
        self.violations: list[str] = []
        self.failures: list[str] = []
        self.requests: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("pageerror", lambda error: self.failures.append(f"JavaScript error: {error}"))
        if user is not None:
            client = Client()
            client.force_login(user)
            cookie = client.cookies[settings.SESSION_COOKIE_NAME]
            self.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": origin}])

    def open(self, path: str) -> None:
        response = self.page.goto(self.origin + path)
        assert response is not None and response.status == 200, f"{path}: {response and response.status}"
        results = AXE.run(self.page)
        for violation in results.response["violations"]:
            if violation["impact"] in BLOCKING:
                for node in violation["nodes"]:
                    self.violations.append(f"{path}: {violation['id']} ({violation['impact']}) {node['target']}")
        width = self.page.evaluate("document.documentElement.scrollWidth")
        if width > self.page.viewport_size["width"]:
            self.failures.append(f"{path}: {width} px wide on a {self.page.viewport_size['width']} px screen")

    def heights(self, selector: str) -> list[tuple[str, float]]:
        """(text, height) of each visible element matching the selector."""
        found = []
        for handle in self.page.locator(selector).all():
            box = handle.bounding_box()
            if box is not None and handle.is_visible():
                found.append(((handle.inner_text() or "").strip()[:40], box["height"]))
        return found

    def close(self) -> None:
        self.context.close()


def _check_tap_targets(tab: Tab, selector: str, minimum: int) -> list[str]:
    measured = tab.heights(selector)
    assert measured, f"nothing matches {selector} on {tab.page.url}"
    return [f"{tab.page.url} {selector} «{text}»: {height:.0f} px" for text, height in measured if height < minimum]


@pytest.mark.parametrize("language", ["it", "en"])
def test_the_group_pages_first_action_is_joining_on_a_phone(browser, live_server, network, language):
    tab = Tab(browser, live_server.url, locale=f"{language}-IT", viewport=PHONE)
    group = network["group"]
    tab.open(f"/{language}/groups/{group.slug}/")
    page = tab.page
    label = "Vuoi partecipare?" if language == "it" else "Would you like to join?"
    # The first link styled as a button in the group's article is joining, on the first screen, and it is the largest.
    first_button = page.locator("article.group a.button").first
    expect(first_button).to_have_text(label)
    box = first_button.bounding_box()
    assert box["y"] + box["height"] <= PHONE["height"], box
    assert box["height"] >= PRIMARY_TAP and box["width"] >= PHONE["width"] * 0.8, box
    for other in page.locator("main a.button, main button").all():
        other_box = other.bounding_box()
        if other_box and other.is_visible():
            assert other_box["height"] * other_box["width"] <= box["height"] * box["width"], other.inner_text()
    # It leads to the association's request form, with this group filled in.
    first_button.click()
    expect(page).to_have_url(re.compile(rf"/{language}/richiesta/\?group={group.slug}$"))
    expect(page.locator('form input[name="first_name"]')).to_be_visible()
    page.go_back()
    # Further down, how the first contact works and the association's phone, for those who prefer to call.
    contact = page.locator("#partecipare")
    expect(contact.locator('a[href^="tel:"]')).to_be_visible()
    # On /en/ the English name is shown.
    with translation.override(language):
        expect(page.get_by_role("heading", level=1)).to_have_text(group.name_local)
    # The calendar is secondary: folded away, and its https address is offered for desktops.
    details = page.locator("details.calendar-links")
    expect(details).not_to_have_attribute("open", "")
    details.locator("summary").click()
    expect(page.locator("#calendar-address")).to_have_value(live_server.url + f"/groups/{group.slug}/calendar.ics")
    tab.close()
    assert tab.violations == [] and tab.failures == []


def test_english_pages_say_when_a_group_meets_in_italian(browser, live_server, network):
    tab = Tab(browser, live_server.url, locale="en-GB", viewport=PHONE)
    tab.open(f"/en/groups/{network['italian_only'].slug}/")
    expect(tab.page.locator(".language-note")).to_have_text(
        "This group meets in Italian: the description below is in Italian."
    )
    expect(tab.page.locator(".description")).to_have_attribute("lang", "it")
    tab.close()
    assert tab.violations == []


@pytest.mark.parametrize("language", ["it", "en"])
def test_tap_targets_are_large_enough_on_a_phone(browser, live_server, network, language):
    tab = Tab(browser, live_server.url, locale=f"{language}-IT", viewport=PHONE)
    group = network["group"]
    small = []
    tab.open(f"/{language}/")
    small += _check_tap_targets(tab, ".site-header a", PRIMARY_TAP - 12)  # header links: 32 px at least
    small += _check_tap_targets(tab, ".site-header .brand, .site-header .languages a", PRIMARY_TAP)
    small += _check_tap_targets(tab, ".urgent-help a.tel", PRIMARY_TAP)
    small += _check_tap_targets(tab, ".site-footer a", PRIMARY_TAP)
    small += _check_tap_targets(tab, "main button, main .button", PRIMARY_TAP)
    tab.open(f"/{language}/groups/?place=Trento")
    small += _check_tap_targets(tab, ".group-cards h3 a", MIN_TAP)
    tab.open(f"/{language}/groups/{group.slug}/")
    small += _check_tap_targets(tab, "a.join-button", PRIMARY_TAP)
    small += _check_tap_targets(tab, ".contact a.tel, .urgent-help a.tel", PRIMARY_TAP)
    small += _check_tap_targets(tab, ".contact-list a, .breadcrumb a, .actions a, a.tag", MIN_TAP)
    small += _check_tap_targets(tab, ".calendar-links summary", PRIMARY_TAP)
    tab.open(f"/{language}/about/")
    small += _check_tap_targets(tab, ".contact-list a", MIN_TAP)
    tab.close()
    assert small == []
    assert tab.violations == [] and tab.failures == []


@pytest.mark.parametrize("language", ["it", "en"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_every_public_page_is_axe_clean_and_loads_nothing_from_elsewhere(
    browser, live_server, network, participant, language, viewport
):
    Profile.objects.get_or_create(user=participant, defaults={"nickname": "Lupo"})
    group = network["group"]
    tab = Tab(browser, live_server.url, locale=f"{language}-IT", viewport=viewport)
    for path in [
        "/",
        "/groups/",
        "/groups/?place=Trento",
        "/groups/?place=Atlantide",
        f"/groups/{group.slug}/",
        f"/groups/{network['italian_only'].slug}/",
        "/about/",
        "/privacy/",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/accounts/my-data/by-email/",
    ]:
        tab.open(f"/{language}{path}")
    signed_in = Tab(browser, live_server.url, locale=f"{language}-IT", viewport=viewport, user=participant)
    for path in ["/accounts/profile/", "/accounts/my-data/", "/accounts/sessions/", "/accounts/2fa/"]:
        signed_in.open(f"/{language}{path}")
    origin = live_server.url
    third_party = [url for url in tab.requests + signed_in.requests if not url.startswith(origin)]
    for each in (tab, signed_in):
        each.close()
    assert tab.violations + signed_in.violations == []
    assert tab.failures + signed_in.failures == []
    assert [url for url in third_party if not url.startswith(("data:", "blob:"))] == []


def test_the_sessions_page_fits_a_phone_and_names_the_device(browser, live_server, participant):
    tab = Tab(browser, live_server.url, locale="it-IT", viewport=PHONE, user=participant)
    tab.open("/it/accounts/sessions/")
    expect(tab.page.locator(".sessions li").first).to_contain_text("Chrome su Linux")
    assert tab.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    tab.close()
    assert tab.violations == [] and tab.failures == []


def test_a_facilitator_asking_to_erase_is_told_who_closes_the_account(browser, live_server, facilitator_a):
    from conftest import PASSWORD

    tab = Tab(browser, live_server.url, locale="it-IT", viewport=PHONE, user=facilitator_a)
    page = tab.page
    tab.open("/it/accounts/my-data/")
    page.get_by_role("link", name="Cancella il mio account").click()
    page.locator("input[type=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chiudere un account con un ruolo")
    association: Association = Group.objects.get(slug="gruppo-a").association
    expect(page.locator(f'a[href^="mailto:{association.public_email}"]')).to_be_visible()
    tab.close()
    assert tab.violations == [] and tab.failures == []
