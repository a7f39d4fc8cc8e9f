"""Searching on a phone (390×844), in Italian and English, in a real browser.

The first result is on the first screen, the filters fold into a one-line summary,
zero results always offer a way on, and people find groups with their own words
("alcool") and with a postcode.
"""

import os
import re

import pytest
from playwright.sync_api import expect

from directory.places import load_gazetteer
from directory.tests.test_journey import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS, _restore_gazetteer, browser  # noqa: F401
from network.demo import seed_demo
from network.models import Group

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
SEARCH_BUTTON = {"it": "Cerca", "en": "Search"}
WORDS = {
    "it": {"edit": "Modifica", "more": "Altri filtri", "groups": "gruppi trovati", "none": "Ecco cosa puoi fare"},
    "en": {"edit": "Change", "more": "More filters", "groups": "groups found", "none": "Here is what you can do"},
}


@pytest.fixture
def phone(browser, live_server):  # noqa: F811
    contexts = []

    def open_tab(language: str, *, javascript: bool = True):
        context = browser.new_context(
            locale="it-IT" if language == "it" else "en-GB",
            viewport=PHONE,
            java_script_enabled=javascript,
            has_touch=True,
            is_mobile=True,
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        failures, requests = [], []
        page.on("request", lambda request: requests.append(request.url))
        page.on("response", lambda response: response.status >= 400 and failures.append(response.url))
        page.on("pageerror", lambda error: failures.append(f"JavaScript error: {error}"))
        page.failures, page.requests = failures, requests
        return page

    yield open_tab
    for context in contexts:
        context.close()


def _on_first_screen(locator) -> None:
    box = locator.bounding_box()
    assert box is not None, "not rendered"
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], f"outside the first screen: {box}"


def _search_from_home(page, origin: str, language: str, *, theme: str = "", place: str = "", words: str = ""):
    page.goto(f"{origin}/{language}/")
    if theme:
        page.locator("#id_theme").select_option(theme)
    if place:
        page.locator("#id_place").fill(place)
    if words:
        page.get_by_text(WORDS[language]["more"], exact=True).click()
        page.locator("#id_q").fill(words)
    page.get_by_role("button", name=SEARCH_BUTTON[language], exact=True).click()
    expect(page).to_have_url(re.compile(rf"/{language}/groups/\?"))


def _no_third_parties(page, origin: str) -> None:
    host = origin.split("://", 1)[1]
    assert [url for url in page.requests if not url.split("://", 1)[-1].startswith(host)] == []
    assert page.failures == []


@pytest.mark.parametrize("language", ["it", "en"])
def test_the_first_result_is_on_the_first_screen(phone, live_server, language):
    seed_demo()
    page = phone(language)
    _search_from_home(page, live_server.url, language, theme="alcol", place="Trento")
    first = page.locator(".group-cards .card").first
    expect(first).to_be_visible()
    _on_first_screen(first.locator("h3 a"))
    # The filters are one line that opens the form in one tap; "more filters" stays closed.
    summary = page.locator(".search-summary > summary")
    _on_first_screen(summary)
    assert summary.bounding_box()["height"] <= 60
    expect(page.locator(".search-summary")).not_to_have_attribute("open", "")
    expect(page.locator("#id_place")).to_be_hidden()
    summary.click()
    expect(page.locator("#id_place")).to_be_visible()
    expect(page.locator("#id_place")).to_have_value("Trento")
    expect(page.locator(".more-filters")).not_to_have_attribute("open", "")
    _no_third_parties(page, live_server.url)


def test_the_summary_opens_without_javascript_and_keeps_several_days(phone, live_server):
    seed_demo()
    page = phone("it", javascript=False)
    page.goto(f"{live_server.url}/it/groups/?place=Trento&radius_km=25&weekday=2&weekday=4&part_of_day=evening")
    summary = page.locator(".search-summary > summary")
    expect(summary).to_contain_text("martedì o giovedì")
    expect(summary).to_contain_text("sera")
    summary.click()
    expect(page.locator("#id_weekday_1")).to_be_checked()  # martedì
    expect(page.locator("#id_weekday_3")).to_be_checked()  # giovedì
    expect(page.locator("#id_weekday_0")).not_to_be_checked()
    # Another day, one more tap, and search again: both days and the new one count.
    page.locator("#id_weekday_5").check()
    page.get_by_role("button", name="Cerca", exact=True).click()
    expect(page.locator(".search-summary > summary")).to_contain_text("martedì, giovedì o sabato")
    for card in page.locator(".group-cards .card").all():
        expect(card.locator(".rhythm")).to_contain_text(re.compile("martedì|giovedì|sabato"))


@pytest.mark.parametrize("language", ["it", "en"])
def test_zero_results_offer_the_ways_out(phone, live_server, language):
    seed_demo()
    load_gazetteer()  # the live server's database is emptied after each test; Milano comes from the gazetteer
    page = phone(language)
    # Parkinson groups exist, but none near Milan: the network is in Trentino.
    page.goto(f"{live_server.url}/{language}/groups/?theme=parkinson&place=Milano&radius_km=25")
    expect(page.get_by_text(WORDS[language]["none"])).to_be_visible()
    ways = page.locator(".ways-out a.way-out")
    expect(ways).to_have_count(3)
    hrefs = [ways.nth(index).get_attribute("href") for index in range(3)]
    assert hrefs[0] == "?theme=parkinson"
    assert hrefs[1] == "?format=online&theme=parkinson"
    assert hrefs[2] == f"/{language}/richiesta/?theme=parkinson&town=Milano"  # tell the association
    for index in range(3):
        assert ways.nth(index).bounding_box()["height"] >= 44  # one tap, a large target
    expect(page.locator(".no-results .area")).to_contain_text("Trento")
    ways.first.click()
    expect(page.locator(".group-cards .card").first).to_be_visible()
    assert page.locator(".group-cards .card").count() == Group.objects.public().filter(themes__slug="parkinson").count()
    _no_third_parties(page, live_server.url)


@pytest.mark.parametrize("language", ["it", "en"])
def test_alcool_finds_the_alcohol_groups(phone, live_server, language):
    seed_demo()
    page = phone(language)
    _search_from_home(page, live_server.url, language, words="alcool")
    cards = page.locator(".group-cards .card")
    expected = Group.objects.public().filter(themes__slug="alcol").count()
    assert expected > 0
    expect(cards).to_have_count(expected)
    _on_first_screen(cards.first.locator("h3 a"))


def test_a_postcode_finds_the_groups_of_its_town(phone, live_server):
    seed_demo()
    load_gazetteer()  # the live server's database was emptied by the previous test
    page = phone("it")
    _search_from_home(page, live_server.url, "it", place="38122")
    expect(page.locator(".search-summary > summary")).to_contain_text("Trento (38122)")
    first = page.locator(".group-cards .card").first
    expect(first).to_contain_text("Trento")
    _on_first_screen(first.locator("h3 a"))
    assert os.path.exists(CHROMIUM) and CHROMIUM_ARGS  # the same browser as the other journeys
