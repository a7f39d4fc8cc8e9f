"""A facilitator closes a meeting from a phone, and the next meeting's companion recalls the agreement.

Chromium (Debian's /usr/bin/chromium) driven by Playwright against pytest-django's live
server, at 390×844 in Italian. The clock is a Tuesday evening, just as the meeting ends.
"""

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from accounts.services import account_create
from companion.models import Agreement, Attendance
from directory.tests import test_journey as public_journey
from network.models import GroupMembership, GroupRole, Meeting, Schedule
from network.services import group_sync_meetings
from network.tests.factories import AssociationFactory, GroupFactory
from workspace.tests.test_journey_facilitator import PHONE, check_page

pytestmark = pytest.mark.browser

browser = public_journey.browser
visit = public_journey.visit
_restore_gazetteer = public_journey._restore_gazetteer

ROME = ZoneInfo("Europe/Rome")
NOW = datetime(2027, 7, 20, 22, 15, tzinfo=ROME)  # Tuesday: the 20:30 meeting is closing
EMAIL = "marta.facilitatrice@example.org"
PASSWORD = "una-password-lunga-2027"


@pytest.fixture
def evening():
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def world(evening, transactional_db):
    association = AssociationFactory(name="AMA Trento", slug="ama-trento")
    group = GroupFactory(association=association, name="Lutto e speranza", slug="lutto-e-speranza")
    Schedule.objects.create(
        group=group, rrule="FREQ=WEEKLY;BYDAY=TU", starts_on=date(2027, 1, 1), start_time=time(20, 30)
    )
    group_sync_meetings(group=group, today=NOW.date() - timedelta(days=30))
    group_sync_meetings(group=group)
    user = account_create(email=EMAIL, password=PASSWORD, is_staff=True)
    GroupMembership.objects.create(user=user, group=group, role=GroupRole.FACILITATOR)
    return group


def test_a_facilitator_records_counts_and_an_agreement_and_the_next_meeting_recalls_it(visit, world, live_server):
    group = world
    tonight = Meeting.objects.get(group=group, original_date=date(2027, 7, 20))
    following = Meeting.objects.get(group=group, original_date=date(2027, 7, 27))
    tab = visit()
    page = tab.page
    page.set_viewport_size(PHONE)

    page.goto(live_server.url + "/it/workspace/")
    page.locator("input[name=login]").fill(EMAIL)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(live_server.url + "/it/workspace/")

    # The home asks to close tonight's meeting; the companion opens on it.
    expect(page.get_by_role("heading", name="Da chiudere: com'è andato?")).to_be_visible()
    page.goto(live_server.url + f"/it/workspace/meetings/{tonight.pk}/companion/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Facilitare l'incontro")
    expect(page.locator("#prima")).to_contain_text("Nessuna persona nuova annunciata.")
    # During: the cards are readable at arm's length.
    card = page.locator(".ws-big-card").first
    expect(card).to_contain_text("Riservatezza")
    assert float(card.evaluate("el => parseFloat(getComputedStyle(el.querySelector('li')).fontSize)")) >= 22
    check_page(tab, "companion-01-open")

    # After: an absurd count is explained and what was typed stays.
    page.get_by_role("link", name="Dopo").click()
    page.locator("#id_participants").fill("500")
    page.locator("#id_newcomers").fill("2")
    page.locator("#id_text_0").fill("Apre Giulia, che ha chiesto di cominciare")
    page.locator("main form.ws-close button[type=submit]").click()
    expect(page.locator("#id_participants_error")).to_contain_text("Troppe persone")
    expect(page.locator("#id_text_0")).to_have_value("Apre Giulia, che ha chiesto di cominciare")
    check_page(tab, "companion-02-refused")

    # Corrected, saved in a few taps; the next date is confirmed as it is.
    started = datetime.now(ROME)
    page.locator("#id_participants").fill("9")
    expect(page.locator("#id_next_date")).to_have_value("2027-07-27")
    page.locator("main form.ws-close button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/it/workspace/meetings/{tonight.pk}/companion/$"))
    expect(page.locator(".messages")).to_contain_text("Salvato")
    expect(page.locator(".ws-recorded")).to_contain_text("9 partecipanti, di cui 2 nuovi")
    assert datetime.now(ROME) - started < timedelta(minutes=1)
    check_page(tab, "companion-03-saved")
    attendance = Attendance.objects.get(meeting=tonight)
    assert (attendance.participants, attendance.newcomers) == (9, 2)
    assert Agreement.objects.get(meeting=tonight).text == "Apre Giulia, che ha chiesto di cominciare"
    following.refresh_from_db()
    assert not following.is_changed

    # A private reflection, then the next meeting's companion, reached from the group's page.
    page.get_by_role("link", name="Scrivi la tua riflessione").click()
    page.locator("input[name=went_well][value=do7]").check()
    page.locator("input[name=hard][value=dont7]").check()
    page.locator("#id_note").fill("Ho parlato un po' troppo all'inizio.")
    check_page(tab, "companion-04-reflection")
    page.locator("main form.ws-reflection button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("Solo tu puoi leggerla")

    page.get_by_role("link", name="← Lutto e speranza").click()
    row = page.locator("li.ws-meeting").filter(has=page.locator(".ws-when", has_text="martedì 27 luglio, 20:30"))
    row.get_by_role("link", name="Scheda per facilitare").click()
    expect(page).to_have_url(re.compile(rf"/it/workspace/meetings/{following.pk}/companion/$"))
    recall = page.locator(".ws-recall")
    expect(recall).to_contain_text("Da ricordare aprendo")
    expect(recall).to_contain_text("martedì 20 luglio")
    expect(recall).to_contain_text("Apre Giulia, che ha chiesto di cominciare")
    check_page(tab, "companion-05-next")


def test_a_coordinator_reads_the_figures_and_the_flag_on_a_phone(visit, world, live_server):
    from django.conf import settings
    from django.test import Client

    from companion import services
    from network.models import AssociationMembership, AssociationRole

    group = world
    group.max_size = 8
    group.save()
    facilitator = GroupMembership.objects.get(group=group).user
    for meeting, count in zip(
        Meeting.objects.filter(group=group, starts_at__lt=NOW).order_by("-starts_at")[:4], (9, 10, 7, 12), strict=True
    ):
        services.meeting_close(meeting=meeting, participants=count, newcomers=1, agreements=[], by=facilitator)
    coordinator = account_create(email="chiara@example.org", password=PASSWORD, is_staff=True)
    AssociationMembership.objects.create(
        user=coordinator, association=group.association, role=AssociationRole.COORDINATOR
    )
    from conftest import enrol_totp

    enrol_totp(coordinator)
    tab = visit()
    page = tab.page
    page.set_viewport_size(PHONE)
    client = Client()
    client.force_login(coordinator)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])

    page.goto(live_server.url + "/it/workspace/")
    expect(page.locator(".ws-flag")).to_contain_text("Sopra il numero massimo (8) in 3 degli ultimi 4 incontri")
    page.get_by_role("link", name="Numeri", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Numeri")
    expect(page.locator("figure.ws-chart svg")).to_have_count(2)
    expect(page.locator("table.ws-figures").first).to_contain_text("luglio 2027")
    check_page(tab, "companion-06-figures")
    download = page.request.get(live_server.url + "/it/workspace/figures/attendance.csv")
    assert download.ok and "Lutto e speranza,2027-07,3,3,8.7,3" in download.text()
    assert "Lutto e speranza,2027-06,2,1,12.0,meno di 3" in download.text()  # one newcomer: suppressed
