"""The workspace and the public pages are "axe-clean": no serious or critical axe-core violation.

Chromium (/usr/bin/chromium) is driven by Playwright against the live server, at 390×844,
mostly in Italian and a few pages in English. axe-core is the copy bundled inside
axe-playwright-python (nothing is fetched at run time); it is evaluated in each page.
Every page of a test is checked before the test fails, so one run lists every violation.
"""

from datetime import time, timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from accounts.services import account_create
from conftest import enrol_totp
from directory.tests import test_journey as public_journey
from network import services
from network.models import (
    AssociationMembership,
    AssociationRole,
    GroupMembership,
    GroupRole,
    GroupStatus,
    Meeting,
)
from network.tests.factories import AssociationFactory, GroupFactory, ThemeFactory, VenueFactory
from workspace.tests.test_people_and_invitations import make_invitation

pytestmark = pytest.mark.browser

# The newcomer's journey's Chromium (same launch arguments) and gazetteer fixture, shared.
browser = public_journey.browser
_restore_gazetteer = public_journey._restore_gazetteer

PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 10_000
BLOCKING = {"serious", "critical"}
DANGLING_REFERENCES = {"aria-valid-attr-value"}
AXE = Axe()
VALID_TOKEN = "un-invito-valido-per-il-controllo-di-accessibilita-0123"
EXPIRED_TOKEN = "un-invito-scaduto-per-il-controllo-di-accessibilita-0123"


class Tab:
    """A phone-sized tab that runs axe on each page it opens and keeps what it finds."""

    def __init__(self, browser, origin: str, *, locale: str = "it-IT", user=None):
        self.origin = origin
        self.context = browser.new_context(locale=locale, viewport=PHONE, device_scale_factor=1)
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page = self.context.new_page()
        self.failures: list[str] = []
        self.page.on("pageerror", lambda error: self.failures.append(f"JavaScript error: {error}"))
        self.violations: list[str] = []
        if user is not None:
            # The session of a signed-in client, copied into the browser (a coordinator's second factor is enrolled).
            client = Client()
            client.force_login(user)
            cookie = client.cookies[settings.SESSION_COOKIE_NAME]
            self.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": origin}])

    def open(self, path: str, *, status: int = 200) -> None:
        response = self.page.goto(self.origin + path)
        assert response is not None and response.status == status, f"{path}: {response and response.status}"
        self.axe(path)

    def axe(self, name: str) -> None:
        results = AXE.run(self.page, options={"resultTypes": ["violations", "incomplete"]})
        found = [v for v in results.response["violations"] if v["impact"] in BLOCKING]
        # axe only asks for a review of an aria-describedby pointing to an id that is not on the page;
        # here the page is complete, so it is an error message or a hint that is never read out.
        found += [v for v in results.response["incomplete"] if v["id"] in DANGLING_REFERENCES]
        for violation in found:
            for node in violation["nodes"]:
                self.violations.append(f"{name}: {violation['id']} ({violation['impact']}) {node['target']}")

    def send_without_browser_checks(self, name: str) -> None:
        """Submit the main form with the browser's own checks off, so the server's errors show; then run axe."""
        self.page.evaluate("document.querySelectorAll('main form').forEach(form => form.noValidate = true)")
        self.page.locator("main form button[type=submit]").last.click()
        self.page.wait_for_load_state()
        assert self.page.locator("main .error, main .errorlist").count() > 0, f"{name}: the form shows no error"
        self.axe(name)

    def close(self) -> None:
        self.context.close()


def assert_axe_clean(*tabs: Tab) -> None:
    violations = [line for tab in tabs for line in tab.violations]
    failures = [line for tab in tabs for line in tab.failures]
    for tab in tabs:
        tab.close()
    assert violations == [], "serious or critical axe violations:\n" + "\n".join(violations)
    assert failures == []


@pytest.fixture
def network(transactional_db):
    association = AssociationFactory(name="AMA Trento", slug="ama-trento")
    venue = VenueFactory(association=association, name="Sala Rossa", comune="Rovereto", province="TN")
    grief = ThemeFactory(slug="lutto", name_it="Lutto", name_en="Grief")
    group = GroupFactory(association=association, name="Elaborazione del lutto", slug="lutto-trento")
    group.themes.add(grief)
    GroupFactory(association=association, name="Gioco d'azzardo", slug="azzardo-trento", venue=venue)
    first = timezone.localdate() + timedelta(days=2)
    rule = "FREQ=WEEKLY;BYDAY=" + ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][first.weekday()]
    services.schedule_create(group=group, rrule=rule, start_time=time(20, 30), starts_on=first, by=None)
    coordinator = account_create(email="coordina@example.org", password="pw-for-tests", is_staff=True)
    AssociationMembership.objects.create(user=coordinator, association=association, role=AssociationRole.COORDINATOR)
    enrol_totp(coordinator)
    facilitator = account_create(email="facilita@example.org", password="pw-for-tests", is_staff=True)
    GroupMembership.objects.create(user=facilitator, group=group, role=GroupRole.FACILITATOR)
    make_invitation(association, group=group, invited_by=coordinator, token=VALID_TOKEN, email="nuova@example.org")
    make_invitation(
        association,
        group=group,
        invited_by=coordinator,
        token=EXPIRED_TOKEN,
        email="scaduta@example.org",
        expires_at=timezone.now() - timedelta(minutes=1),
    )
    meeting = Meeting.objects.filter(group=group).order_by("starts_at").first()
    return {
        "group": group,
        "venue": venue,
        "theme": grief,
        "meeting": meeting,
        "coordinator": coordinator,
        "facilitator": facilitator,
    }


def test_the_facilitator_pages_are_axe_clean(browser, live_server, network):
    group, meeting = network["group"], network["meeting"]
    tab = Tab(browser, live_server.url, user=network["facilitator"])
    for path in [
        "/it/workspace/",
        "/it/workspace/groups/",
        f"/it/workspace/groups/{group.slug}/",
        f"/it/workspace/meetings/{meeting.pk}/",
        f"/it/workspace/meetings/{meeting.pk}/cancel/",
        f"/it/workspace/meetings/{meeting.pk}/move/",
        f"/it/workspace/meetings/{meeting.pk}/venue/",
        f"/it/workspace/groups/{group.slug}/rhythm/",
        f"/it/workspace/groups/{group.slug}/pause/",
        f"/it/workspace/groups/{group.slug}/reminders/",
        f"/it/workspace/groups/{group.slug}/edit/",
        f"/it/workspace/groups/{group.slug}/history/",
        "/en/workspace/",
        f"/en/workspace/groups/{group.slug}/reminders/",
        f"/en/workspace/groups/{group.slug}/edit/",
    ]:
        tab.open(path)

    # Forms sent back with their errors: a move with no date, a pause that ends before it starts.
    tab.open(f"/it/workspace/meetings/{meeting.pk}/move/")
    tab.page.locator("#id_new_date").fill("")
    tab.send_without_browser_checks("move with errors")
    tab.open(f"/it/workspace/groups/{group.slug}/pause/")
    tab.page.locator("#id_starts_on").fill("2030-08-31")
    tab.page.locator("#id_ends_on").fill("2030-08-01")
    tab.send_without_browser_checks("pause with errors")
    tab.open(f"/it/workspace/groups/{group.slug}/reminders/")
    tab.page.locator("#id_day_before_at").fill("")
    tab.send_without_browser_checks("reminders with nothing chosen")

    # A confirmation message after an action.
    tab.open(f"/it/workspace/meetings/{meeting.pk}/cancel/")
    tab.page.locator("main form button[type=submit].primary").click()
    expect(tab.page.locator(".messages")).to_be_visible()
    tab.axe("home after cancelling")
    tab.open(f"/it/workspace/groups/{group.slug}/")
    assert_axe_clean(tab)


def test_the_coordinator_pages_are_axe_clean(browser, live_server, network):
    group, meeting, venue, theme = network["group"], network["meeting"], network["venue"], network["theme"]
    tab = Tab(browser, live_server.url, user=network["coordinator"])
    for path in [
        "/it/workspace/",
        f"/it/workspace/groups/{group.slug}/",
        f"/it/workspace/meetings/{meeting.pk}/cancel/",
        f"/it/workspace/meetings/{meeting.pk}/move/",
        f"/it/workspace/meetings/{meeting.pk}/venue/",
        f"/it/workspace/groups/{group.slug}/rhythm/",
        f"/it/workspace/groups/{group.slug}/pause/",
        f"/it/workspace/groups/{group.slug}/edit/",
        "/it/workspace/groups/",
        f"/it/workspace/groups/?status=active&theme={theme.pk}&town=Trento",
        "/it/workspace/groups/new/",
        f"/it/workspace/groups/{group.slug}/status/",
        "/it/workspace/meetings/",
        "/it/workspace/meetings/?period=month",
        "/it/workspace/venues/",
        "/it/workspace/venues/new/",
        f"/it/workspace/venues/{venue.pk}/",
        "/it/workspace/people/",
        "/it/workspace/people/invite/",
        "/it/workspace/history/",
        "/en/workspace/",
        "/en/workspace/meetings/?period=month",
        "/en/workspace/people/invite/",
    ]:
        tab.open(path)

    # A group with a pause and its removal page; a suspended group's status page.
    today = timezone.localdate()
    pause = services.group_pause(
        group=group, starts_on=today + timedelta(days=20), ends_on=today + timedelta(days=40), note="Estate", by=None
    )
    tab.open(f"/it/workspace/groups/{group.slug}/")
    tab.open(f"/it/workspace/groups/{group.slug}/pauses/{pause.pk}/remove/")
    services.group_set_status(group=group, status=GroupStatus.SUSPENDED, by=None)
    tab.open(f"/it/workspace/groups/{group.slug}/status/")
    tab.open("/it/workspace/groups/?status=suspended")

    # The invite form sent with a wrong address and no role: errors on a field and on a group of choices.
    tab.open("/it/workspace/people/invite/")
    tab.page.get_by_label("E-mail della persona").fill("non-un-indirizzo")
    tab.send_without_browser_checks("invite with errors")
    assert_axe_clean(tab)


def test_the_join_and_public_pages_are_axe_clean(browser, live_server, network):
    group = network["group"]
    tab = Tab(browser, live_server.url)
    tab.open(f"/it/workspace/join/{VALID_TOKEN}/")
    tab.open(f"/it/workspace/join/{EXPIRED_TOKEN}/", status=410)
    for path in [
        "/it/accounts/login/",
        "/it/",
        "/it/groups/?place=Trento",
        "/it/groups/?place=Atlantide",
        f"/it/groups/{group.slug}/",
        "/it/accounts/my-data/by-email/",
        "/en/",
        f"/en/groups/{group.slug}/",
    ]:
        tab.open(path)
    # The by-e-mail request and the sign-in form, sent back with their errors.
    tab.open("/it/accounts/my-data/by-email/")
    tab.send_without_browser_checks("my data by e-mail with errors")
    tab.open("/it/accounts/login/")
    tab.page.locator("input[name=login]").fill("nessuno@example.org")
    tab.page.locator("input[name=password]").fill("sbagliata")
    tab.send_without_browser_checks("sign-in with errors")
    english = Tab(browser, live_server.url, locale="en-GB")
    english.open(f"/en/workspace/join/{VALID_TOKEN}/")
    assert_axe_clean(tab, english)
