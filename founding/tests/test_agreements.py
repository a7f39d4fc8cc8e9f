"""Incomplete or contradictory agreements get clear messages, and the form keeps what was typed."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from founding.tests.conftest import agree_everything, in_days
from network.agreements import group_agreements_set
from network.models import Activity, Entry, GroupAgreements, GroupStatus
from network.services import Refused
from network.tests.factories import GroupFactory, VenueFactory


@pytest.fixture
def planned(association_x):
    return GroupFactory(association=association_x, status=GroupStatus.PLANNED)


def refusal(group, **values) -> dict:
    with pytest.raises(Refused) as refused:
        group_agreements_set(group=group, by=None, **values)
    return refused.value.message_dict


def test_a_closed_group_must_say_when_people_enter(planned):
    assert "entry_moments" in refusal(planned, entry=Entry.CLOSED, entry_moments="  ")
    planned.refresh_from_db()
    assert planned.entry == Entry.OPEN
    group_agreements_set(group=planned, by=None, entry=Entry.CLOSED, entry_moments="A gennaio e a settembre")
    planned.refresh_from_db()
    assert planned.entry == Entry.CLOSED and planned.agreements.entry_moments == "A gennaio e a settembre"


@pytest.mark.parametrize("size", [0, 2, 21, 40])
def test_a_maximum_size_outside_three_to_twenty_is_refused(planned, size):
    assert "max_size" in refusal(planned, max_size=size)


@pytest.mark.parametrize("size", [3, 12, 13, 20])
def test_a_maximum_size_from_three_to_twenty_is_kept(planned, size):
    group_agreements_set(group=planned, by=None, max_size=size)
    planned.refresh_from_db()
    assert planned.max_size == size


def test_a_first_meeting_in_the_past_is_refused_but_a_held_one_may_stay(planned, frozen):
    assert "first_meeting_at" in refusal(planned, first_meeting_at=timezone.now() - timedelta(hours=1))
    group_agreements_set(group=planned, by=None, first_meeting_at=in_days(3))
    frozen.shift(4 * 24 * 3600)
    # Saving the other agreements again with the date now past is fine: the meeting took place.
    group_agreements_set(group=planned, by=None, first_meeting_at=in_days(3), facilitator_count=2)
    assert GroupAgreements.objects.get(group=planned).facilitator_count == 2


def test_several_problems_are_all_named_at_once(planned, frozen):
    errors = refusal(planned, entry=Entry.CLOSED, max_size=30, first_meeting_at=in_days(-2))
    assert set(errors) == {"entry_moments", "max_size", "first_meeting_at"}


def test_a_venue_of_another_association_is_refused(planned, association_y):
    assert "venue" in refusal(planned, venue=VenueFactory(association=association_y))
    assert "first_meeting_venue" in refusal(planned, first_meeting_venue=VenueFactory(association=association_y))


def test_saving_agreements_logs_the_fields_never_their_content(planned, someone):
    group_agreements_set(group=planned, by=someone, own_rules="Si spengono i telefoni.", joining="intake_talk")
    entry = Activity.objects.get(action="group.agreements")
    assert entry.payload == {"fields": ["joining", "own_rules"]}
    assert "telefoni" not in str(entry.payload)


# --- The form in the workspace ---------------------------------------------------------


def _form_data(**changes):
    data = {
        "entry": "open",
        "joining": "intake_talk",
        "max_size": "10",
        "audience": "affected",
        "family_may_attend": "no",
        "facilitator_kind": "peer",
        "facilitator_count": "1",
        "ama_rules_accepted": "on",
        "own_rules": "Si spengono i telefoni.",
        "contact_through_association": "on",
        "self_led": "on",
        "meets_regularly": "on",
        "voluntary": "on",
        "not_for_profit": "on",
        "confidential": "on",
        "first_meeting_date": "2027-03-16",
        "first_meeting_time": "20:30",
    }
    data.update(changes)
    return data


@pytest.fixture
def as_coordinator(client, coordinator_x):
    client.force_login(coordinator_x)
    return client


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"entry": "closed", "entry_moments": ""}, "Un gruppo chiuso deve dire quando entrano"),
        ({"max_size": "2"}, "va da 3 a 20"),
        ({"max_size": "25"}, "va da 3 a 20"),
        ({"first_meeting_date": "2027-02-20"}, "deve essere nel futuro"),
        ({"first_meeting_time": ""}, "sia la data sia l&#x27;ora"),
        ({"max_size": "dieci"}, "numero intero"),
    ],
)
def test_bad_agreements_are_refused_on_the_page_keeping_what_was_typed(
    frozen, as_coordinator, association_x, changes, message
):
    group = GroupFactory(association=association_x, status=GroupStatus.PLANNED)
    response = as_coordinator.post(reverse("workspace:group_agreements", args=[group.slug]), _form_data(**changes))
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "Si spengono i telefoni." in page, "what was typed is kept"
    assert not GroupAgreements.objects.filter(group=group).exists()


def test_the_form_saves_and_warns_above_twelve(frozen, as_coordinator, association_x):
    group = GroupFactory(association=association_x, status=GroupStatus.PLANNED)
    response = as_coordinator.post(
        reverse("workspace:group_agreements", args=[group.slug]), _form_data(max_size="14"), follow=True
    )
    assert response.status_code == 200
    assert "oltre" in response.content.decode() or "Più di 12" in response.content.decode()
    agreements = GroupAgreements.objects.get(group=group)
    group.refresh_from_db()
    assert group.max_size == 14 and agreements.family_may_attend is False and agreements.criteria_confirmed
    assert timezone.localtime(agreements.first_meeting_at).strftime("%Y-%m-%d %H:%M") == "2027-03-16 20:30"


def test_the_form_shows_what_was_agreed(frozen, as_coordinator, association_x):
    group = GroupFactory(association=association_x, status=GroupStatus.PLANNED)
    agree_everything(group, first_meeting_at=in_days(15))
    page = as_coordinator.get(reverse("workspace:group_agreements", args=[group.slug])).content.decode()
    assert 'value="2027-03-16"' in page and 'value="20:30"' in page
    assert "ogni 2 settimane" in page.lower() or "martedì" in page.lower()
