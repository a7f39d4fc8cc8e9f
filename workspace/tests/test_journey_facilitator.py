"""A facilitator's evening on a phone: sign in, cancel the next meeting, move another, pause August.

Chromium (Debian's /usr/bin/chromium) driven by Playwright against pytest-django's live
server, at 390×844 in Italian. The clock is set to a summer Monday so that August is
among the next meetings the public page shows.
"""

import json
import re
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import Page, expect

from accounts.services import account_create
from directory.tests import test_journey as public_journey
from network.models import GroupMembership, GroupRole, Meeting, Schedule
from network.services import group_sync_meetings
from network.tests.factories import AssociationFactory, GroupFactory, VenueFactory

pytestmark = pytest.mark.browser

# The newcomer's journey's Chromium, tabs and gazetteer fixtures, shared.
browser = public_journey.browser
visit = public_journey.visit
_restore_gazetteer = public_journey._restore_gazetteer
Visit = public_journey.Visit

ROME = ZoneInfo("Europe/Rome")
NOW = datetime(2027, 7, 19, 10, 0, tzinfo=ROME)  # a Monday; the group meets on Tuesdays at 20:30
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 800}
SHOTS = Path("/tmp/shots-fac")
EMAIL = "marta.facilitatrice@example.org"
PASSWORD = "una-password-lunga-2027"


def at(day: date, hour: int = 20, minute: int = 30) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ROME)


@pytest.fixture
def summer():
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def world(summer, transactional_db):
    association = AssociationFactory(name="AMA Trento", slug="ama-trento")
    VenueFactory(association=association, name="Sala Rossa", comune="Rovereto")
    group = GroupFactory(association=association, name="Lutto e speranza", slug="lutto-e-speranza")
    Schedule.objects.create(
        group=group, rrule="FREQ=WEEKLY;BYDAY=TU", starts_on=date(2027, 1, 1), start_time=time(20, 30)
    )
    group_sync_meetings(group=group)
    user = account_create(email=EMAIL, password=PASSWORD, is_staff=True)
    GroupMembership.objects.create(user=user, group=group, role=GroupRole.FACILITATOR)
    return group


def check_page(tab: Visit, name: str) -> None:
    """What every workspace page owes a phone: no sideways scroll, big enough targets, no other host."""
    page = tab.page
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(DESK)
    page.screenshot(path=str(SHOTS / f"{name}-1280.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= DESK["width"], name
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(SHOTS / f"{name}-390.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name}: the page scrolls sideways ({width}px)"
    small = page.evaluate(
        """() => [...document.querySelectorAll('main a, main button, main input, main select, main .choices label')]
            .filter(el => el.offsetParent !== null && !(el.tagName === 'INPUT' && el.type === 'hidden'))
            // A link inside a sentence is exempt (WCAG 2.5.8): its line sets its height.
            .filter(el => !(el.tagName === 'A' && getComputedStyle(el).display === 'inline'
                            && el.parentElement.textContent.trim().length > el.textContent.trim().length + 3))
            .map(el => [el.tagName + ' ' + (el.textContent || el.name || '').trim().slice(0, 40),
                        el.getBoundingClientRect().height])
            .filter(([, height]) => height < 24)"""
    )
    assert small == [], f"{name}: targets under 24px high: {small}"
    primary = page.locator("main form button[type=submit].primary")
    if primary.count():
        height = primary.first.bounding_box()["height"]
        assert height >= 44, f"{name}: the main button is {height}px high"
    assert tab.third_party_requests() == [], name
    assert tab.failures == [], name


class Taps:
    """Counts what the facilitator taps."""

    def __init__(self, page: Page):
        self.page = page
        self.count = 0

    def tap(self, locator) -> None:
        self.count += 1
        locator.click()


def meeting_row(page: Page, label: str):
    return page.locator("li.ws-meeting").filter(has=page.locator(".ws-when", has_text=label))


def test_a_facilitator_cancels_moves_and_pauses_from_a_phone(visit, world, live_server):
    group = world
    tab = visit()
    page = tab.page
    page.set_viewport_size(PHONE)

    # Sign in through the real login page: e-mail and password, no second factor for a facilitator.
    page.goto(live_server.url + "/it/workspace/")
    expect(page).to_have_url(re.compile(r"/it/accounts/login/\?next="))
    check_page(tab, "01-login")
    page.locator("input[name=login]").fill(EMAIL)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(live_server.url + "/it/workspace/")
    expect(page.get_by_role("heading", name="I prossimi incontri dei tuoi gruppi")).to_be_visible()
    check_page(tab, "02-home")

    # Cancel the next meeting, counting the taps from the home page.
    taps = Taps(page)
    first = meeting_row(page, "martedì 20 luglio, 20:30")
    taps.tap(first.get_by_role("link", name="Annulla", exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text("Annullare questo incontro?")
    check_page(tab, "03-cancel")
    page.locator("#id_note").fill("Sala non disponibile")
    taps.tap(page.locator("main form button[type=submit].primary"))
    assert taps.count <= 3
    expect(page).to_have_url(live_server.url + "/it/workspace/")
    expect(page.locator(".messages")).to_contain_text("annullato")
    expect(meeting_row(page, "martedì 20 luglio, 20:30").get_by_role("link", name="Ripristina")).to_be_visible()
    check_page(tab, "04-home-after-cancel")

    # Move the one after to Wednesday at 18:00.
    meeting_row(page, "martedì 27 luglio, 20:30").get_by_role("link", name="Sposta", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Spostare questo incontro")
    check_page(tab, "05-move")
    page.locator("#id_new_date").fill("2027-07-28")
    page.locator("#id_new_time").fill("18:00")
    page.locator("main form button[type=submit].primary").click()
    expect(page).to_have_url(live_server.url + "/it/workspace/")
    expect(page.locator(".messages")).to_contain_text("mercoledì 28 luglio, 18:00")

    # Pause August, from the group's page.
    page.get_by_role("link", name="Lutto e speranza").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lutto e speranza")
    check_page(tab, "06-group")
    page.get_by_role("link", name="Metti in pausa").click()
    check_page(tab, "07-pause")
    page.locator("#id_starts_on").fill("2027-08-01")
    page.locator("#id_ends_on").fill("2027-08-31")
    page.locator("#id_note").fill("Pausa estiva: ci rivediamo a settembre")
    page.locator("main form button[type=submit].primary").click()
    expect(page).to_have_url(live_server.url + f"/it/workspace/groups/{group.slug}/")
    expect(page.locator(".messages")).to_contain_text("Pausa salvata")
    check_page(tab, "08-group-after")

    # The public page shows all three at once.
    page.goto(live_server.url + f"/it/groups/{group.slug}/")
    items = page.locator("ol.meetings > li")
    expect(items.nth(0)).to_contain_text("martedì 20 luglio 2027, dalle 20:30 alle 22:30")
    expect(items.nth(0)).to_contain_text("annullato")
    expect(items.nth(0)).to_contain_text("Sala non disponibile")
    expect(items.nth(1)).to_contain_text("mercoledì 28 luglio 2027, dalle 18:00 alle 20:00")
    expect(items.nth(1)).to_contain_text("al posto di martedì 27 luglio")
    for index, day in enumerate((3, 10, 17, 24), start=2):
        expect(items.nth(index)).to_contain_text(f"martedì {day} agosto 2027, dalle 20:30 alle 22:30")
        expect(items.nth(index)).to_contain_text("Pausa estiva")
    check_page(tab, "09-public")

    # The API and the calendar feed, fetched as the page would.
    api = json.loads(page.request.get(live_server.url + f"/api/v1/groups/{group.slug}").text())
    meetings = {m["start"][:16]: m for m in api["next_meetings"]}
    assert meetings["2027-07-20T20:30"]["cancelled"] is True
    assert meetings["2027-07-28T18:00"]["changed"] is True and not meetings["2027-07-28T18:00"]["cancelled"]
    assert all(meetings[f"2027-08-{day:02d}T20:30"]["cancelled"] for day in (3, 10, 17, 24))
    feed = page.request.get(live_server.url + f"/groups/{group.slug}/calendar.ics")
    assert feed.ok
    calendar = Calendar.from_ical(feed.body())
    excluded = set()
    moved = {}
    for event in calendar.walk("VEVENT"):
        for value in event.get("exdate", []) if isinstance(event.get("exdate"), list) else [event.get("exdate")]:
            if value is not None:
                excluded |= {item.dt for item in value.dts}
        if "recurrence-id" in event:
            moved[event["recurrence-id"].dt] = event["dtstart"].dt
    assert at(date(2027, 7, 20)) in excluded
    assert {at(date(2027, 8, day)) for day in (3, 10, 17, 24, 31)} <= excluded
    assert moved == {at(date(2027, 7, 27)): at(date(2027, 7, 28), 18, 0)}

    stored = Meeting.objects.get(group=group, original_date=date(2027, 7, 27))
    assert timezone.localtime(stored.starts_at) == at(date(2027, 7, 28), 18, 0)
    assert tab.third_party_requests() == []
