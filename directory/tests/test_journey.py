"""A newcomer's journey in a real browser: search, open a group, take its calendar.

Chromium (Debian's /usr/bin/chromium) is driven by Playwright against pytest-django's
live server, on the demo network of directory.demo.seed_demo().
"""

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.utils import dateformat, timezone, translation
from playwright.sync_api import Page, expect, sync_playwright

from directory.places import load_gazetteer
from network.demo import seed_demo
from network.models import Group, Meeting, Theme

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 10_000

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing: the browser journeys must run in CI (apt-get install chromium)")
        pytest.skip("Chromium is not installed: apt-get install chromium")
    # Playwright's sync API keeps an asyncio loop running, so Django would refuse ORM calls in the tests.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="module", autouse=True)
def _restore_gazetteer(django_db_setup, django_db_blocker):
    # live_server is transactional: each test ends by flushing the database, the
    # session-wide gazetteer included. Put it back once for the tests that follow.
    yield
    with django_db_blocker.unblock():
        load_gazetteer()


@dataclass
class Visit:
    """A browser tab that records what it asks for and what goes wrong."""

    page: Page
    origin: str
    requests: list
    failures: list

    def third_party_requests(self) -> list[str]:
        netloc = urlsplit(self.origin).netloc
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme not in {"data", "blob"} and urlsplit(url).netloc != netloc
        ]


@pytest.fixture
def visit(browser, live_server):
    contexts = []

    def open_tab(*, javascript: bool = True) -> Visit:
        context = browser.new_context(locale="it-IT", java_script_enabled=javascript)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        tab = Visit(page=page, origin=live_server.url, requests=[], failures=[])
        page.on("request", lambda request: tab.requests.append(request.url))
        page.on("response", lambda response: response.status >= 400 and tab.failures.append(response.url))
        page.on("pageerror", lambda error: tab.failures.append(f"JavaScript error: {error}"))
        return tab

    yield open_tab
    for context in contexts:
        context.close()


def _group_in(town: str) -> Group:
    """A public group meeting in `town` (the demo data decides which)."""
    group = Group.objects.public().filter(venue__comune=town).order_by("slug").first()
    assert group is not None, f"the demo has no group in {town}"
    return group


def _first_meeting(group: Group) -> Meeting:
    meeting = (
        Meeting.objects.filter(group=group, starts_at__gte=timezone.now())
        .select_related("schedule")
        .order_by("starts_at", "pk")
        .first()
    )
    assert meeting is not None
    return meeting


def _search_home(tab: Visit, *, theme: Theme | None, place: str) -> None:
    """Open the bare address as an Italian browser would, then search from the home page."""
    page = tab.page
    response = page.goto(tab.origin + "/")
    assert response is not None and response.ok
    assert urlsplit(page.url).path == "/it/"
    expect(page.locator("html")).to_have_attribute("lang", "it")
    expect(page.get_by_role("heading", level=1)).to_have_text("Trova un gruppo di auto mutuo aiuto")
    if theme is not None:
        page.locator("#id_theme").select_option(theme.slug)
    page.locator("#id_place").fill(place)
    page.get_by_role("button", name="Cerca", exact=True).click()
    expect(page).to_have_url(re.compile(r"/it/groups/\?"))


def _journey(tab: Visit, town: str) -> None:
    page = tab.page
    group = _group_in(town)
    theme = group.themes.get()
    with translation.override("it"):
        group_path = group.get_absolute_url()

    _search_home(tab, theme=theme, place=town)
    query = parse_qs(urlsplit(page.url).query)
    assert query["theme"] == [theme.slug]
    assert query["place"] == [town]

    card_link = page.locator(f'.group-cards .card a[href="{group_path}"]')
    expect(card_link).to_have_text(group.name)
    card_link.click()
    expect(page).to_have_url(tab.origin + group_path)
    expect(page.get_by_role("heading", level=1)).to_have_text(group.name)

    meetings = page.locator("ol.meetings > li")
    expect(meetings).to_have_count(6)
    first = _first_meeting(group)
    local = timezone.localtime(first.starts_at, ZoneInfo(first.schedule.timezone))
    with translation.override("it"):
        shown = dateformat.format(local, "l j F Y").lower()
    first_time = meetings.first.locator("time")
    expect(first_time).to_have_attribute("datetime", dateformat.format(local, "c"))
    expect(first_time).to_have_text(shown)
    local_end = timezone.localtime(first.ends_at, ZoneInfo(first.schedule.timezone))
    expect(meetings.first).to_contain_text(f"dalle {local:%H:%M} alle {local_end:%H:%M}")

    # The calendar is a secondary action, folded under a summary.
    page.locator("details.calendar-links summary").click()
    href = page.get_by_role("link", name="Scarica il file .ics").get_attribute("href")
    assert href == group.get_calendar_url()
    calendar = page.request.get(urljoin(page.url, href))
    assert calendar.ok
    assert calendar.headers["content-type"].startswith("text/calendar")
    body = calendar.text()
    assert "BEGIN:VCALENDAR" in body
    assert "RRULE:" in body

    assert tab.requests, "the page made no requests at all"
    assert tab.third_party_requests() == []
    assert tab.failures == []


def test_newcomer_finds_a_group_and_takes_its_calendar(visit):
    seed_demo()
    tab = visit()
    _journey(tab, "Trento")
    # The script ran: it unhides the optional "use my location" button.
    tab.page.goto(tab.origin + "/it/")
    expect(tab.page.locator("#use-location")).not_to_have_attribute("hidden", "")
    assert tab.third_party_requests() == []


def test_search_works_without_javascript(visit):
    seed_demo()
    tab = visit(javascript=False)
    _journey(tab, "Rovereto")
    tab.page.goto(tab.origin + "/it/")
    # Without the script the "use my location" button stays marked hidden.
    expect(tab.page.locator("#use-location")).to_be_hidden()


def test_unknown_town_gets_a_helpful_message(visit):
    seed_demo()
    tab = visit()
    with tab.page.expect_response(re.compile(r"/it/groups/\?")) as results:
        _search_home(tab, theme=None, place="Atlantide")
    assert results.value.status == 200
    page = tab.page
    expect(page.locator("#place-error")).to_contain_text("Non troviamo «Atlantide»")
    expect(page.locator("#id_place")).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".group-cards")).to_have_count(0)
    assert tab.third_party_requests() == []
    assert tab.failures == []
