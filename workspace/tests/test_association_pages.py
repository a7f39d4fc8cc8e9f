"""The coordinator's pages: groups, a group's status, the network's meetings, venues and history."""

from datetime import time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from network import services
from network.models import Activity, Group, GroupStatus, Meeting, Schedule, Venue
from network.tests.factories import GroupFactory, ThemeFactory, VenueFactory


@pytest.fixture
def as_coordinator(client, coordinator_x):
    client.force_login(coordinator_x)
    return client


@pytest.fixture
def as_facilitator(client, facilitator_a):
    client.force_login(facilitator_a)
    return client


def _weekly(group, *, days_ahead: int = 2):
    """A weekly schedule whose first meeting is a few days from now."""
    first = timezone.localdate() + timedelta(days=days_ahead)
    rule = "FREQ=WEEKLY;BYDAY=" + ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][first.weekday()]
    services.schedule_create(group=group, rrule=rule, start_time=time(20, 30), starts_on=first, by=None)
    return Meeting.objects.filter(group=group).order_by("starts_at").first()


# --- The group list -------------------------------------------------------------


def test_coordinator_sees_the_association_groups_and_never_another_one(as_coordinator, group_a, group_b, group_y):
    page = as_coordinator.get(reverse("workspace:groups")).content.decode()
    assert "Gruppo A" in page and "Gruppo B" in page
    assert "Gruppo Y" not in page


def test_a_group_of_another_association_does_not_exist_for_the_coordinator(as_coordinator, group_y):
    assert as_coordinator.get(reverse("workspace:group", args=[group_y.slug])).status_code == 404
    assert as_coordinator.get(reverse("workspace:group_status", args=[group_y.slug])).status_code == 404


def test_facilitator_sees_only_their_group_and_no_new_group_button(as_facilitator, group_a, group_b):
    response = as_facilitator.get(reverse("workspace:groups"))
    page = response.content.decode()
    assert "Gruppo A" in page and "Gruppo B" not in page
    assert reverse("workspace:group_new") not in page


def test_the_new_group_button_is_there_for_a_coordinator(as_coordinator, group_a):
    assert reverse("workspace:group_new") in as_coordinator.get(reverse("workspace:groups")).content.decode()


def test_groups_filter_by_status(as_coordinator, group_a, group_b):
    services.group_set_status(group=group_b, status=GroupStatus.SUSPENDED, by=None)
    page = as_coordinator.get(reverse("workspace:groups"), {"status": "suspended"}).content.decode()
    assert "Gruppo B" in page and "Gruppo A" not in page


def test_groups_filter_by_theme(as_coordinator, group_a, group_b):
    grief = ThemeFactory(slug="lutto", name_it="Lutto")
    group_b.themes.add(grief)
    page = as_coordinator.get(reverse("workspace:groups"), {"theme": grief.pk}).content.decode()
    assert "Gruppo B" in page and "Gruppo A" not in page


def test_groups_filter_by_town(as_coordinator, association_x, group_a, group_b):
    rovereto = VenueFactory(association=association_x, comune="Rovereto", province="TN")
    services.group_update(group=group_b, venue=rovereto, by=None)
    page = as_coordinator.get(reverse("workspace:groups"), {"town": "Rovereto"}).content.decode()
    assert "Gruppo B" in page and "Gruppo A" not in page


def test_the_group_list_shows_rhythm_and_newcomers(as_coordinator, group_a):
    _weekly(group_a)
    services.group_update(group=group_a, accepting_newcomers=False, by=None)
    page = as_coordinator.get(reverse("workspace:groups")).content.decode()
    assert group_a.schedules.get().describe() in page
    assert "non accoglie nuove persone ora" in page


def test_the_group_list_names_the_association_only_when_there_are_several(
    client, coordinator_x, association_x, association_y, group_a, group_y
):
    client.force_login(coordinator_x)
    assert "AMA X" not in client.get(reverse("workspace:groups")).content.decode()
    association_y.coordination = association_x
    association_y.save()
    page = client.get(reverse("workspace:groups")).content.decode()
    assert "Gruppo Y" in page and "AMA Y" in page


def _queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def test_the_group_list_runs_the_same_queries_for_two_groups_or_twenty(as_coordinator, association_x):
    for number in range(2):
        _weekly(GroupFactory(association=association_x, name=f"Gruppo {number:02d}"))
    as_coordinator.get(reverse("workspace:groups"))  # the session is set up on the first request
    few = _queries(as_coordinator, reverse("workspace:groups"))
    for number in range(2, 20):
        _weekly(GroupFactory(association=association_x, name=f"Gruppo {number:02d}"))
    many = _queries(as_coordinator, reverse("workspace:groups"))
    assert len(many) == len(few), "\n".join(many)


# --- A new group ----------------------------------------------------------------


def _new_group_data(association, **extra):
    venue = Venue.objects.filter(association=association).first() or VenueFactory(association=association)
    theme = ThemeFactory()
    return {
        "association": association.pk,
        "name": "Gruppo Lutto",
        "themes": [theme.pk],
        "description": "Per chi ha perso una persona cara.",
        "audience": "affected",
        "facilitator_kind": "peer",
        "entry": "open",
        "accepting_newcomers": "on",
        "max_size": 12,
        "venue": venue.pk,
        "language": "it",
        "status": "planned",
        **extra,
    }


def test_a_coordinator_creates_a_group_then_sets_its_rhythm(as_coordinator, association_x):
    response = as_coordinator.post(reverse("workspace:group_new"), _new_group_data(association_x))
    group = Group.objects.get(name="Gruppo Lutto")
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:group_rhythm", args=[group.slug])
    assert group.association == association_x
    assert group.status == GroupStatus.PLANNED
    assert group.slug == "gruppo-lutto"


def test_a_second_group_with_the_same_name_gets_a_free_slug(as_coordinator, association_x):
    as_coordinator.post(reverse("workspace:group_new"), _new_group_data(association_x))
    as_coordinator.post(reverse("workspace:group_new"), _new_group_data(association_x))
    assert sorted(Group.objects.filter(name="Gruppo Lutto").values_list("slug", flat=True)) == [
        "gruppo-lutto",
        "gruppo-lutto-2",
    ]


def test_a_new_group_cannot_start_closed(as_coordinator, association_x):
    response = as_coordinator.post(reverse("workspace:group_new"), _new_group_data(association_x, status="closed"))
    assert response.status_code == 200
    assert not Group.objects.filter(name="Gruppo Lutto").exists()


def test_a_new_group_cannot_start_active_without_its_agreements(as_coordinator, association_x):
    response = as_coordinator.post(reverse("workspace:group_new"), _new_group_data(association_x, status="active"))
    assert response.status_code == 200
    assert "percorso di avvio" in response.content.decode()
    assert not Group.objects.filter(name="Gruppo Lutto").exists()


def test_a_coordinator_cannot_create_a_group_for_another_association(as_coordinator, association_y):
    response = as_coordinator.post(reverse("workspace:group_new"), _new_group_data(association_y))
    assert response.status_code == 404
    assert not Group.objects.filter(name="Gruppo Lutto").exists()


def test_a_facilitator_cannot_create_groups(as_facilitator, association_x):
    assert as_facilitator.get(reverse("workspace:group_new")).status_code == 403
    assert as_facilitator.post(reverse("workspace:group_new"), _new_group_data(association_x)).status_code == 403
    assert not Group.objects.filter(name="Gruppo Lutto").exists()


# --- A group's status -------------------------------------------------------------


def test_the_status_page_offers_only_the_allowed_moves(as_coordinator, group_a):
    page = as_coordinator.get(reverse("workspace:group_status", args=[group_a.slug])).content.decode()
    offered = {value for value in GroupStatus.values if f'name="status" value="{value}"' in page}
    assert offered == set(services.STATUS_TRANSITIONS[GroupStatus.ACTIVE])


def test_a_forbidden_move_is_refused_with_its_reason(as_coordinator, group_a):
    services.group_set_status(group=group_a, status=GroupStatus.SUSPENDED, by=None)
    response = as_coordinator.post(reverse("workspace:group_status", args=[group_a.slug]), {"status": "planned"})
    assert response.status_code == 400
    assert "non può passare a" in response.content.decode()
    group_a.refresh_from_db()
    assert group_a.status == GroupStatus.SUSPENDED


def test_an_allowed_move_changes_the_status(as_coordinator, group_a):
    response = as_coordinator.post(reverse("workspace:group_status", args=[group_a.slug]), {"status": "suspended"})
    assert response.status_code == 302
    group_a.refresh_from_db()
    assert group_a.status == GroupStatus.SUSPENDED


def test_closing_a_group_asks_for_confirmation_first(as_coordinator, group_a):
    _weekly(group_a)
    url = reverse("workspace:group_status", args=[group_a.slug])
    response = as_coordinator.post(url, {"status": "closed"})
    assert response.status_code == 200
    assert 'name="confirm"' in response.content.decode()
    group_a.refresh_from_db()
    assert group_a.status == GroupStatus.ACTIVE

    as_coordinator.post(url, {"status": "closed", "confirm": "on"})
    group_a.refresh_from_db()
    assert group_a.status == GroupStatus.CLOSED
    assert not Schedule.objects.current().filter(group=group_a).exists()


def test_a_facilitator_cannot_change_a_group_status(as_facilitator, group_a):
    response = as_facilitator.post(reverse("workspace:group_status", args=[group_a.slug]), {"status": "suspended"})
    assert response.status_code == 403


# --- The network's meetings --------------------------------------------------------


def test_network_meetings_label_a_cancelled_meeting(as_coordinator, group_a, group_b):
    meeting = _weekly(group_a)
    _weekly(group_b, days_ahead=3)
    services.meeting_cancel(meeting=meeting, by=None)
    page = as_coordinator.get(reverse("workspace:meetings")).content.decode()
    assert "Gruppo A" in page and "Gruppo B" in page
    assert "annullato" in page


def test_network_meetings_label_a_moved_meeting_and_another_venue(as_coordinator, association_x, group_a):
    meeting = _weekly(group_a)
    services.meeting_move(
        meeting=meeting,
        new_date=meeting.original_date + timedelta(days=1),
        new_time=time(18, 0),
        by=None,
    )
    other = VenueFactory(association=association_x, name="Oratorio San Pio")
    services.meeting_change_venue(meeting=Meeting.objects.get(pk=meeting.pk), venue=other, by=None)
    page = as_coordinator.get(reverse("workspace:meetings")).content.decode()
    assert "spostato da" in page
    assert "altra sede" in page
    assert "Oratorio San Pio" in page


def test_the_changes_filter_keeps_only_cancelled_and_changed_meetings(as_coordinator, group_a, group_b):
    services.meeting_cancel(meeting=_weekly(group_a), by=None)
    _weekly(group_b, days_ahead=3)
    page = as_coordinator.get(reverse("workspace:meetings"), {"changes": "1"}).content.decode()
    assert "Gruppo A" in page and "Gruppo B" not in page


def test_the_month_shows_meetings_beyond_the_week(as_coordinator, group_a):
    _weekly(group_a, days_ahead=10)
    assert "Gruppo A" not in as_coordinator.get(reverse("workspace:meetings")).content.decode()
    assert "Gruppo A" in as_coordinator.get(reverse("workspace:meetings"), {"period": "month"}).content.decode()


def test_network_meetings_never_show_another_association(as_coordinator, group_a, group_y):
    _weekly(group_y)
    assert "Gruppo Y" not in as_coordinator.get(reverse("workspace:meetings")).content.decode()


def test_a_facilitator_has_no_network_meetings_page(as_facilitator):
    assert as_facilitator.get(reverse("workspace:meetings")).status_code == 403


# --- Venues -------------------------------------------------------------------


def _venue_data(**extra):
    return {
        "name": "Sala civica",
        "address": "Via Dante 3",
        "comune": "Rovereto",
        "province": "tn",
        "latitude": "45.8904",
        "longitude": "11.0401",
        "transport_notes": "",
        **extra,
    }


def test_the_venue_list_shows_the_groups_meeting_there(as_coordinator, group_a, group_y):
    page = as_coordinator.get(reverse("workspace:venues")).content.decode()
    assert group_a.venue.name in page and "Gruppo A" in page
    assert "Gruppo Y" not in page


def test_a_coordinator_adds_a_venue(as_coordinator, association_x):
    response = as_coordinator.post(reverse("workspace:venue_new"), _venue_data())
    assert response.status_code == 302
    venue = Venue.objects.get(name="Sala civica")
    assert venue.association == association_x
    assert venue.province == "TN"


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("latitude", "95", "La latitudine va da -90 a 90"),
        ("longitude", "-200", "La longitudine va da -180 a 180"),
        ("province", "Trento", "due lettere"),
        ("province", "1A", "due lettere"),
    ],
)
def test_a_venue_with_wrong_values_is_refused_with_a_clear_error(as_coordinator, field, value, error):
    response = as_coordinator.post(reverse("workspace:venue_new"), _venue_data(**{field: value}))
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Venue.objects.filter(name="Sala civica").exists()


def test_coordinates_can_be_found_from_the_comune(as_coordinator):
    response = as_coordinator.post(
        reverse("workspace:venue_new"), _venue_data(comune="Trento", latitude="", longitude="", locate="1")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert not Venue.objects.filter(name="Sala civica").exists()
    assert 'name="latitude" value="46.' in page
    assert 'value="Sala civica"' in page


def test_an_unknown_comune_says_so(as_coordinator):
    response = as_coordinator.post(
        reverse("workspace:venue_new"), _venue_data(comune="Paesenonesiste", latitude="", longitude="", locate="1")
    )
    assert "Non troviamo" in response.content.decode()


def test_editing_a_venue_moves_its_groups_in_the_search(as_coordinator, group_a):
    venue = group_a.venue
    response = as_coordinator.post(
        reverse("workspace:venue_edit", args=[venue.pk]),
        _venue_data(name=venue.name, latitude="45.8904", longitude="11.0401"),
    )
    assert response.status_code == 302
    group_a.refresh_from_db()
    assert group_a.latitude == pytest.approx(45.8904)
    assert "rovereto" in group_a.search_text


def test_a_venue_of_another_association_does_not_exist(as_coordinator, group_y):
    assert as_coordinator.get(reverse("workspace:venue_edit", args=[group_y.venue.pk])).status_code == 404
    response = as_coordinator.post(reverse("workspace:venue_edit", args=[group_y.venue.pk]), _venue_data())
    assert response.status_code == 404
    group_y.venue.refresh_from_db()
    assert group_y.venue.comune == "Trento"


def test_a_facilitator_cannot_manage_venues(as_facilitator, group_a):
    assert as_facilitator.get(reverse("workspace:venues")).status_code == 403
    assert as_facilitator.get(reverse("workspace:venue_edit", args=[group_a.venue.pk])).status_code == 403


# --- History ------------------------------------------------------------------


def test_the_history_shows_the_association_activity_only(as_coordinator, coordinator_x, group_a, group_y):
    services.group_update(group=group_a, accepting_newcomers=False, by=coordinator_x)
    services.group_update(group=group_y, accepting_newcomers=False, by=None)
    page = as_coordinator.get(reverse("workspace:history")).content.decode()
    assert "ha modificato il gruppo" in page and "Gruppo A" in page
    assert "Gruppo Y" not in page


def test_the_history_filters_by_group(as_coordinator, coordinator_x, group_a, group_b):
    services.group_set_status(group=group_a, status=GroupStatus.SUSPENDED, by=coordinator_x)
    services.group_update(group=group_b, accepting_newcomers=False, by=coordinator_x)
    page = as_coordinator.get(reverse("workspace:history"), {"group": group_b.slug}).content.decode()
    assert "ha modificato il gruppo" in page
    assert "ha cambiato lo stato del gruppo" not in page


def test_the_history_of_a_group_outside_the_association_is_empty(as_coordinator, group_a, group_y):
    services.group_update(group=group_y, accepting_newcomers=False, by=None)
    assert Activity.objects.filter(group=group_y).exists()
    page = as_coordinator.get(reverse("workspace:history"), {"group": group_y.slug}).content.decode()
    assert "Ancora nessuna attività" in page


def test_a_facilitator_has_no_association_history(as_facilitator):
    assert as_facilitator.get(reverse("workspace:history")).status_code == 403
