"""Trust and help: the about page, the privacy notice read from docs/privacy.md, urgent help, who needs an account."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from network.models import Activity, Association, urgent_numbers_parse
from network.tests.factories import AssociationFactory, VenueFactory, make_group
from privacy import notice as privacy_notice_module
from privacy.notice import PLAIN_WORDS, parse_record, privacy_notice

pytestmark = pytest.mark.django_db

RECORD = Path(settings.BASE_DIR) / "docs" / "privacy.md"


def _record_rows() -> list[list[str]]:
    """The rows of the record's table, read here independently of the notice's parser."""
    text = RECORD.read_text(encoding="utf-8")
    table = text.split("## Records of processing", 1)[1].split("\n## ", 1)[0]
    rows = [line.strip().strip("|").split("|") for line in table.splitlines() if line.startswith("| ")]
    return [[cell.strip() for cell in row] for row in rows[2:]]  # without the header and its rule


def test_every_processing_activity_of_the_record_has_plain_words():
    rows = _record_rows()
    assert len(rows) >= 10
    notice = privacy_notice()
    assert notice.complete
    assert [activity.data for activity in notice.activities] == [
        re.sub(r"\s+", " ", row[0].replace("**", "").replace("`", "")) for row in rows
    ]
    missing = [activity.data for activity in notice.activities if activity.plain is None]
    assert missing == [], "add plain words for these rows to privacy/notice.py PLAIN_WORDS"


@pytest.mark.parametrize("language", ["it", "en"])
def test_the_privacy_page_contains_each_processing_activity_of_the_record(client, language):
    body = client.get(f"/{language}/privacy/").content.decode()
    notice = privacy_notice()
    for activity in notice.activities:
        assert str(activity.title).replace("'", "&#x27;") in body, activity.data
    # Legal bases and retention periods come from the record (periods as configured).
    for row in _record_rows():
        for article in re.findall(r"art\. (\d+(?:\.\d+)*(?:\.[a-z])?)", row[2]):
            assert article in body, article
        for days in re.findall(r"`CERCHIO_RETENTION_[A-Z_]+_DAYS` \((\d+)\)", row[4]):
            assert f"{days} " in body, days
    assert body.count('class="record"') == len(notice.activities)


def test_retention_periods_follow_the_configuration(client, settings):
    settings.CERCHIO_RETENTION_DAYS = {**settings.CERCHIO_RETENTION_DAYS, "user_session": 45}
    body = client.get("/it/privacy/").content.decode()
    assert "45 giorni dopo l&#x27;ultimo uso." in body


def test_a_row_added_to_the_record_is_shown_in_its_own_words_until_it_has_plain_ones():
    text = RECORD.read_text(encoding="utf-8").replace(
        "| Outbox:",
        "| Newsletter: the **address** | to send news | consent (art. 6.1.a) | nobody | "
        "`CERCHIO_RETENTION_OUTBOX_DAYS` (30) |\n| Outbox:",
    )
    notice = parse_record(text)
    added = next(activity for activity in notice.activities if activity.key == "newsletter")
    assert added.plain is None and added.title == "Newsletter: the address"
    assert added.articles == ["art. 6.1.a"] and added.days == [30]
    assert len(notice.activities) == len(PLAIN_WORDS) + 1


@pytest.mark.parametrize("content", ["", "# Privacy\n\nNo table here.\n", "## Records of processing\n| a | b |\n"])
def test_a_damaged_record_never_breaks_the_privacy_page(client, tmp_path, monkeypatch, content):
    record = tmp_path / "privacy.md"
    record.write_text(content, encoding="utf-8")
    monkeypatch.setattr(privacy_notice_module, "RECORD_PATH", record)
    response = client.get("/it/privacy/")
    assert response.status_code == 200
    assert "non è disponibile in questo momento" in response.content.decode()


def test_a_missing_record_never_breaks_the_privacy_page(client, tmp_path, monkeypatch):
    monkeypatch.setattr(privacy_notice_module, "RECORD_PATH", tmp_path / "missing.md")
    assert client.get("/en/privacy/").status_code == 200
    assert not privacy_notice(tmp_path / "missing.md").complete


@pytest.mark.parametrize("url", ["/it/", "/en/", "/it/groups/", "/it/groups/g/", "/it/about/", "/en/privacy/"])
def test_every_footer_links_the_about_page_and_the_privacy_notice(client, url):
    make_group(slug="g")
    body = client.get(url).content.decode()
    footer = body[body.index('<footer class="site-footer">') :]
    language = url.split("/")[1]
    assert f'href="/{language}/about/"' in footer and f'href="/{language}/privacy/"' in footer


def test_the_about_page_shows_each_association_with_its_contact_and_own_words(client):
    association = AssociationFactory(name="AMA Trento", about="Dal 1996 accogliamo chi cerca un gruppo.")
    association.about_en = "Since 1996 we welcome people looking for a group."
    association.save()
    make_group(slug="g", association=association, venue=VenueFactory(association=association))
    AssociationFactory(name="Senza gruppi pubblici")
    italian = client.get("/it/about/").content.decode()
    assert "AMA Trento" in italian and "Dal 1996" in italian and 'href="tel:0461000000"' in italian
    assert "Senza gruppi pubblici" not in italian
    english = client.get("/en/about/").content.decode()
    assert "Since 1996" in english and "About us" in english


def test_the_home_page_has_an_urgent_help_box_with_112_by_default(client):
    make_group(slug="g")
    body = client.get("/it/").content.decode()
    box = body[body.index('class="urgent-help"') :]
    box = box[: box.index("</aside>")]
    assert "non sono un servizio di emergenza" in box
    assert re.findall(r'href="tel:([^"]+)"', box) == ["112"]
    english = client.get("/en/").content.decode()
    assert "Groups are not an emergency service" in english


def test_the_home_page_lists_each_associations_number_once():
    assert [item.number for item in urgent_numbers_parse("1522 – antiviolenza\n112 – emergenze\n1522")] == [
        "112",
        "1522",
    ]
    assert [item.number for item in urgent_numbers_parse("Telefono Amico: 02 2327 2327\nniente\n+39 06 1234")] == [
        "112",
        "+39 06 1234",
    ]
    parsed = urgent_numbers_parse("02 2327 2327 – Telefono Amico\n+39 06 1234: notte\n800-86-00-22 – ascolto")
    assert [(item.number, item.tel, item.label) for item in parsed[1:]] == [
        ("02 2327 2327", "0223272327", "Telefono Amico"),
        ("+39 06 1234", "+39061234", "notte"),
        ("800-86-00-22", "800860022", "ascolto"),
    ]


@pytest.mark.parametrize(
    "language,words",
    [("it", "Gli account servono a chi facilita un gruppo"), ("en", "Accounts are for people who facilitate a group")],
)
def test_the_sign_in_page_says_who_needs_an_account(client, language, words):
    body = client.get(f"/{language}/accounts/login/").content.decode()
    assert words in body
    header = body[body.index('class="account-nav"') : body.index("</nav>", body.index('class="account-nav"'))]
    assert "account-note" in header


# --- The association edits what the public pages say -------------------------------


def test_a_coordinator_sets_the_urgent_numbers_and_the_about_text(client, coordinator_x, association_x):
    client.force_login(coordinator_x)
    page = client.get("/it/workspace/public-pages/")
    assert page.status_code == 200 and "numeri per l&#x27;aiuto urgente" in page.content.decode().lower()
    response = client.post(
        "/it/workspace/public-pages/",
        {
            "association": association_x.pk,
            "public_phone": "0461 111 222",
            "public_email": "ciao@example.org",
            "website": "ama.example.org",
            "about": "Chi siamo.",
            "about_en": "About us.",
            "urgent_numbers": "1522 – antiviolenza\n\n800 86 00 22 – Telefono Amico",
        },
    )
    assert response.status_code == 302
    association = Association.objects.get(pk=association_x.pk)
    assert association.urgent_numbers == "1522 – antiviolenza\n800 86 00 22 – Telefono Amico"
    assert association.website == "https://ama.example.org"
    assert Activity.objects.filter(action="association.update", association=association).exists()
    make_group(slug="g", association=association, venue=VenueFactory(association=association))
    body = client.get("/it/groups/g/").content.decode()
    assert 'href="tel:1522"' in body and 'href="tel:800860022"' in body and "0461 111 222" in body


def test_english_pages_describe_the_urgent_numbers_in_english_where_the_association_wrote_it(
    client, coordinator_x, association_x
):
    client.force_login(coordinator_x)
    response = client.post(
        "/it/workspace/public-pages/",
        {
            "association": association_x.pk,
            "urgent_numbers": "1522 – antiviolenza e stalking\n800 86 00 22 – Telefono Amico",
            "urgent_numbers_en": "1522 – violence against women\n\n06 1234 – English-speaking helpline",
        },
    )
    assert response.status_code == 302
    make_group(slug="g", association=association_x, venue=VenueFactory(association=association_x))
    client.logout()

    english = client.get("/en/groups/g/").content.decode()
    assert "violence against women" in english and "antiviolenza" not in english
    assert "Telefono Amico" in english  # no English line for it: the Italian one
    assert 'href="tel:061234"' in english and "English-speaking helpline" in english
    assert english.index('href="tel:112"') < english.index('href="tel:1522"') < english.index('href="tel:061234"')
    italian = client.get("/it/groups/g/").content.decode()
    assert "antiviolenza e stalking" in italian and "violence" not in italian and "tel:061234" not in italian
    home = client.get("/en/").content.decode()
    assert "violence against women" in home and "antiviolenza" not in home


def test_an_english_line_without_a_number_is_refused(client, coordinator_x, association_x):
    client.force_login(coordinator_x)
    response = client.post(
        "/it/workspace/public-pages/",
        {"association": association_x.pk, "urgent_numbers_en": "call the helpline"},
    )
    assert response.status_code == 200
    assert "non inizia con un numero di telefono" in response.content.decode()
    assert "call the helpline" in response.content.decode()
    assert Association.objects.get(pk=association_x.pk).urgent_numbers_en == ""


def test_a_line_without_a_number_is_refused_and_what_was_typed_is_kept(client, coordinator_x, association_x):
    client.force_login(coordinator_x)
    response = client.post(
        "/it/workspace/public-pages/",
        {"association": association_x.pk, "urgent_numbers": "chiamate il centro antiviolenza"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "non inizia con un numero di telefono" in body
    assert "chiamate il centro antiviolenza" in body
    assert Association.objects.get(pk=association_x.pk).urgent_numbers == ""


def test_a_facilitator_cannot_edit_the_public_pages(client, facilitator_a):
    client.force_login(facilitator_a)
    assert client.get("/it/workspace/public-pages/").status_code == 403


def test_the_admin_edits_the_urgent_numbers(client, site_admin, association_x):
    client.force_login(site_admin)
    page = client.get(f"/it/admin/network/association/{association_x.pk}/change/").content.decode()
    assert 'name="urgent_numbers"' in page and 'name="about_en"' in page and 'name="urgent_numbers_en"' in page
