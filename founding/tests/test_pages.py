"""The founding pages: the board, starting a group, ticking steps, counts, the public "starting soon" page."""

import json

import pytest
from django.urls import reverse
from icalendar import Calendar

from founding import services
from founding.documents import document_context
from founding.models import FoundingPath
from founding.tests.conftest import agree_everything, in_days
from network.models import GroupStatus, StartMode
from network.services import group_set_status, group_update
from network.tests.factories import GroupFactory, ThemeFactory, VenueFactory


@pytest.fixture
def as_coordinator(frozen, client, coordinator_x):
    client.force_login(coordinator_x)
    return client


@pytest.fixture
def promoting(frozen, association_x, someone):
    """An open invitation on grief, published as "starting soon" with its first meeting on 16 March 2027."""
    theme = ThemeFactory(name_it="Lutto", name_en="Grief")
    path = services.founding_start(
        association=association_x,
        start_mode=StartMode.OPEN_INVITATION,
        name="Dopo una perdita",
        description="Per chi ha perso una persona cara.",
        themes=[theme],
        by=someone,
    )
    group = path.group
    group_update(group=group, venue=VenueFactory(association=association_x, name="Sala civica"), by=someone)
    agree_everything(group, first_meeting_at=in_days(15))
    group_set_status(group=group, status=GroupStatus.PROMOTING, by=someone)
    group.refresh_from_db()
    return group


def test_a_coordinator_starts_a_group_from_the_page(as_coordinator, association_x):
    theme = ThemeFactory(name_it="Ansia")
    page = as_coordinator.get(reverse("workspace:founding_start")).content.decode()
    assert "La quarta via" in page or "quarta via" in page
    response = as_coordinator.post(
        reverse("workspace:founding_start"),
        {"start_mode": "targeted", "name": "Ansia e panico", "themes": [theme.pk], "audience": "affected"},
    )
    path = FoundingPath.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/groups/{path.group.slug}/founding/")
    assert path.group.association == association_x and path.start_mode == "targeted"
    page = as_coordinator.get(response["Location"]).content.decode()
    assert "Lettera d&#x27;invito inviata ai servizi" in page
    assert "Cosa manca" in page


def test_a_start_without_a_way_is_refused_keeping_the_name(as_coordinator):
    response = as_coordinator.post(reverse("workspace:founding_start"), {"name": "Il mio gruppo"})
    assert response.status_code == 400
    assert 'value="Il mio gruppo"' in response.content.decode()
    assert not FoundingPath.objects.exists()


def test_the_board_shows_groups_by_stage_with_counts(as_coordinator, promoting, association_x, someone):
    services.founding_start(association=association_x, start_mode=StartMode.TARGETED, name="Appena nato", by=someone)
    GroupFactory(association=association_x, name="Gruppo attivo")
    page = as_coordinator.get(reverse("workspace:founding_board")).content.decode()
    planned_at, promoting_at = page.index("In progetto"), page.index("In promozione")
    assert planned_at < page.index("Appena nato") < promoting_at < page.index("Dopo una perdita")
    assert "Gruppo attivo" not in page
    assert "16 marzo 2027" in page


def test_ticking_steps_and_counting_invitations_from_the_page(as_coordinator, promoting):
    path = promoting.founding_path
    url = reverse("workspace:founding_step", args=[promoting.slug, "poster"])
    assert as_coordinator.post(url).status_code == 302
    assert path.ticks.filter(step="poster").exists()
    response = as_coordinator.post(reverse("workspace:founding_invitations", args=[promoting.slug]), {"count": "40"})
    assert response.status_code == 302
    path.refresh_from_db()
    assert path.invitations_sent == 40
    response = as_coordinator.post(reverse("workspace:founding_invitations", args=[promoting.slug]), {"count": "-4"})
    assert response.status_code == 400
    assert 'value="-4"' in response.content.decode()
    page = as_coordinator.get(reverse("workspace:founding_path", args=[promoting.slug])).content.decode()
    assert "Inviti inviati: <strong>40</strong>" in page
    # Nobody asked the association about it yet: intake's count, never names.
    assert "di questo gruppo: <strong>0</strong>" in page, page[
        page.find("Persone che") : page.find("Persone che") + 200
    ]


def test_the_future_facilitator_ticks_steps_of_their_group_only(frozen, client, association_x, someone, group_a):
    from network.models import GroupMembership, GroupRole

    path = services.founding_start(
        association=association_x, start_mode=StartMode.FOURTH_WAY, name="Co-fondatori", by=someone
    )
    other = services.founding_start(
        association=association_x, start_mode=StartMode.FOURTH_WAY, name="Altro", by=someone
    )
    GroupMembership.objects.create(user=someone, group=path.group, role=GroupRole.FACILITATOR)
    client.force_login(someone)
    assert client.post(reverse("workspace:founding_step", args=[path.group.slug, "cofounders"])).status_code == 302
    assert path.ticks.filter(step="cofounders", ticked_by=someone).exists()
    assert client.post(reverse("workspace:founding_step", args=[other.group.slug, "cofounders"])).status_code == 404
    assert not other.ticks.exists()


def test_the_starting_soon_page_shows_the_first_meeting_and_is_shareable(client, promoting):
    page = client.get(reverse("founding:starting_soon", args=[promoting.slug])).content.decode()
    assert "Dopo una perdita" in page
    assert "martedì 16 marzo 2027" in page and "20:30" in page
    assert "Sala civica" in page
    assert "libera e gratuita" in page
    assert "accoglienza@example.org" in page
    assert reverse("founding:first_meeting_ics", args=[promoting.slug]) in page


def test_the_first_meeting_calendar_file(client, promoting):
    response = client.get(reverse("founding:first_meeting_ics", args=[promoting.slug]))
    assert response["Content-Type"].startswith("text/calendar")
    events = list(Calendar.from_ical(response.content).walk("VEVENT"))
    assert len(events) == 1
    start = events[0].decoded("dtstart")
    assert (start.year, start.month, start.day, start.hour, start.minute) == (2027, 3, 16, 20, 30)
    assert "Sala civica" in str(events[0]["location"])


def test_a_planned_group_has_no_public_page_and_an_active_one_sends_to_its_page(client, association_x, someone):
    path = services.founding_start(
        association=association_x, start_mode=StartMode.TARGETED, name="Riservato", by=someone
    )
    assert client.get(reverse("founding:starting_soon", args=[path.group.slug])).status_code == 404
    assert client.get(reverse("founding:first_meeting_ics", args=[path.group.slug])).status_code == 404
    active = GroupFactory(association=association_x)
    response = client.get(reverse("founding:starting_soon", args=[active.slug]))
    assert response.status_code == 302 and response["Location"] == active.get_absolute_url()


def test_the_directory_and_the_api_say_starting_soon(client, promoting):
    listing = client.get(reverse("directory:groups")).content.decode()
    assert "Dopo una perdita" in listing and "Nuovo gruppo in avvio" in listing
    page = client.get(promoting.get_absolute_url()).content.decode()
    assert "Gruppo in avvio" in page and "16 marzo 2027" in page
    assert reverse("founding:starting_soon", args=[promoting.slug]) in page
    data = json.loads(client.get(reverse("api:group", args=[promoting.slug])).content)
    assert data["starting_soon"] is True
    assert data["first_meeting"].startswith("2027-03-16T20:30")


def test_the_first_meeting_guide_on_the_phone_is_filled_in(as_coordinator, promoting, someone):
    from network.agreements import group_agreements_set

    group_agreements_set(group=promoting, by=someone, own_rules="Si spengono i telefoni.\nSi arriva puntuali.")
    page = as_coordinator.get(reverse("workspace:founding_guide", args=[promoting.slug])).content.decode()
    for expected in (
        "Ringrazia le persone",
        "gruppo di auto mutuo aiuto su lutto",
        "Si spengono i telefoni.",
        "nome di fantasia",
        "un minore in pericolo",
        "martedì 16 marzo 2027",
        "Il gruppo si incontra ogni due settimane, di martedì alle 20:30.",
    ):
        assert expected in page, expected
    assert "&#x27;title&#x27;" not in page, "each step shows its words, never its data"


@pytest.mark.parametrize(
    ("language", "words"),
    [("it", ["lutto", "La partecipazione è libera e gratuita."]), ("en", ["grief", "free of charge"])],
)
def test_document_context_has_everything_the_documents_need(promoting, language, words):
    context = document_context(group=promoting, language=language)
    assert context["group"]["theme_words"] == words[0]
    assert context["free_of_charge"] is True
    assert context["association"]["email"] == "accoglienza@example.org"
    assert context["first_meeting"]["time"] == "20:30"
    assert context["first_meeting"]["place"]["name"] == "Sala civica"
    assert context["qr_url"].endswith(promoting.get_absolute_url().replace("/it/", f"/{language}/"))
    assert context["agreements"]["complete"] is True
    assert len(context["rules"]) == 4 and len(context["guide"]) == 6
    assert context["confidentiality"]["limits"]
    json.dumps(context)  # plain values only


def test_a_planned_group_from_the_group_list_gets_its_path(as_coordinator, association_x, coordinator_y):
    planned = GroupFactory(association=association_x, status=GroupStatus.PLANNED, name="Creato prima")
    page = as_coordinator.get(reverse("workspace:group", args=[planned.slug])).content.decode()
    start = f"{reverse('workspace:founding_start')}?group={planned.slug}"
    assert start in page
    assert "Creato prima" in as_coordinator.get(start).content.decode()
    response = as_coordinator.post(
        reverse("workspace:founding_start"), {"group": planned.slug, "start_mode": "spontaneous"}
    )
    assert response.status_code == 302
    assert FoundingPath.objects.get().group == planned
    page = as_coordinator.get(reverse("workspace:group", args=[planned.slug])).content.decode()
    assert reverse("workspace:founding_path", args=[planned.slug]) in page
    as_coordinator.force_login(coordinator_y)
    other = GroupFactory(association=association_x, status=GroupStatus.PLANNED)
    response = as_coordinator.get(f"{reverse('workspace:founding_start')}?group={other.slug}")
    assert response.status_code == 404


def test_the_starting_soon_page_in_english(client, promoting):
    page = client.get(f"/en/new-groups/{promoting.slug}/").content.decode()
    assert "New group starting soon" in page and "The first meeting" in page
    assert "free of charge" in page and "Tuesday 16 March 2027" in page
