"""Two people edit the same group, venue or rhythm: the second save is refused, nothing is overwritten."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from network import services
from network.models import Group, Schedule, Venue
from network.services import Refused
from network.tests.factories import ThemeFactory
from workspace.tests.conftest import NOW, weekly

pytestmark = pytest.mark.django_db
STALE = "Qualcun altro ha modificato"


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def loaded(client: Client, url: str) -> dict:
    """What the browser would send back unchanged: every field of the page's form, hidden ones included."""
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["form"]
    data = {}
    for field in form:
        value = field.value()
        if value is None or value is False:
            continue
        data[field.html_name] = [str(v) for v in value] if isinstance(value, list | tuple) else str(value)
    assert data["seen_version"], "the page carries the version it shows"
    return data


def test_the_second_editor_of_a_group_is_told_and_nothing_is_overwritten(clock, group_a, facilitator_a, coordinator_x):
    group_a.themes.add(ThemeFactory())  # the coordinator's form requires one
    url = reverse("workspace:group_edit", args=[group_a.slug])
    facilitator, coordinator = signed_in(facilitator_a), signed_in(coordinator_x)
    first, second = loaded(facilitator, url), loaded(coordinator, url)
    clock.shift(timedelta(minutes=2))
    assert facilitator.post(url, {**first, "description": "Ci vediamo nella sala grande."}).status_code == 302

    clock.shift(timedelta(minutes=1))
    response = coordinator.post(url, {**second, "description": "Testo del coordinatore"})
    assert response.status_code == 200
    page = response.content.decode()
    assert STALE in page and "ricarica la pagina" in page
    assert "Testo del coordinatore" in page  # what was typed is still there
    assert Group.objects.get(pk=group_a.pk).description == "Ci vediamo nella sala grande."

    # After a reload the coordinator sees the facilitator's text and can save.
    again = loaded(coordinator, url)
    assert again["description"] == "Ci vediamo nella sala grande."
    assert coordinator.post(url, {**again, "description": "Testo del coordinatore"}).status_code == 302
    assert Group.objects.get(pk=group_a.pk).description == "Testo del coordinatore"


def test_the_second_editor_of_a_venue_is_told_and_nothing_is_overwritten(clock, group_a, coordinator_x):
    venue = group_a.venue
    url = reverse("workspace:venue_edit", args=[venue.pk])
    one, two = signed_in(coordinator_x), signed_in(coordinator_x)  # the same person in two tabs counts too
    first, second = loaded(one, url), loaded(two, url)
    clock.shift(timedelta(minutes=2))
    assert one.post(url, {**first, "address": "Via dei Mille 12"}).status_code == 302

    clock.shift(timedelta(minutes=1))
    response = two.post(url, {**second, "transport_notes": "Autobus 5"})
    assert response.status_code == 200
    assert STALE in response.content.decode() and "Autobus 5" in response.content.decode()
    stored = Venue.objects.get(pk=venue.pk)
    assert (stored.address, stored.transport_notes) == ("Via dei Mille 12", "")


def test_finding_the_coordinates_keeps_the_version_the_page_was_loaded_with(clock, group_a, coordinator_x):
    venue = group_a.venue
    url = reverse("workspace:venue_edit", args=[venue.pk])
    client = signed_in(coordinator_x)
    loaded_version = loaded(client, url)["seen_version"]
    clock.shift(timedelta(minutes=2))
    services.venue_update(venue=Venue.objects.get(pk=venue.pk), by=None, address="Via dei Mille 12")
    response = client.post(url, {**loaded(client, url), "seen_version": loaded_version, "locate": "1"})
    assert response.context["form"]["seen_version"].value() == loaded_version


def test_the_second_editor_of_a_rhythm_is_told_and_nothing_is_overwritten(clock, group_a, facilitator_a, coordinator_x):
    schedule = weekly(group_a)
    url = reverse("workspace:group_rhythm", args=[group_a.slug])
    facilitator, coordinator = signed_in(facilitator_a), signed_in(coordinator_x)
    first, second = loaded(facilitator, url), loaded(coordinator, url)
    clock.shift(timedelta(minutes=2))
    assert facilitator.post(url, {**first, "start_time": "18:00"}).status_code == 302

    clock.shift(timedelta(minutes=1))
    response = coordinator.post(url, {**second, "start_time": "21:00", "duration_minutes": "90"})
    assert response.status_code == 200
    assert STALE in response.content.decode() and "21:00" in response.content.decode()
    stored = Schedule.objects.get(pk=schedule.pk)
    assert (stored.start_time.strftime("%H:%M"), stored.duration_minutes) == ("18:00", 120)


def test_a_mangled_version_is_refused_rather_than_forced_through(clock, group_a, facilitator_a):
    url = reverse("workspace:group_edit", args=[group_a.slug])
    client = signed_in(facilitator_a)
    response = client.post(url, {**loaded(client, url), "seen_version": "ieri", "description": "Nuovo"})
    assert STALE in response.content.decode()
    assert Group.objects.get(pk=group_a.pk).description != "Nuovo"


def test_services_without_a_version_save_as_before(clock, group_a):
    services.group_update(group=group_a, by=None, description="Senza controllo")
    assert Group.objects.get(pk=group_a.pk).description == "Senza controllo"


def test_the_service_refuses_a_stale_version(clock, group_a):
    seen = Group.objects.get(pk=group_a.pk).updated_at
    clock.shift(timedelta(seconds=1))
    services.group_update(group=Group.objects.get(pk=group_a.pk), by=None, description="Prima")
    with pytest.raises(Refused, match=STALE):
        services.group_update(
            group=Group.objects.get(pk=group_a.pk), by=None, description="Seconda", expected_updated_at=seen
        )
    assert Group.objects.get(pk=group_a.pk).description == "Prima"
