"""The lifecycle of a new group: each move a service, activation gated by the mandatory agreements."""

import pytest

from founding.tests.conftest import agree_everything, in_days
from network.agreements import group_agreements_set, missing_agreements
from network.models import Activity, Entry, Group, GroupStatus
from network.services import Refused, group_set_status
from network.tests.factories import GroupFactory


@pytest.fixture
def planned(association_x):
    return GroupFactory(association=association_x, status=GroupStatus.PLANNED)


@pytest.mark.parametrize("start", [GroupStatus.PLANNED, GroupStatus.FIRST_MEETING_HELD])
def test_a_group_being_started_cannot_become_active_without_its_agreements(association_x, someone, start):
    group = GroupFactory(association=association_x, status=start)
    with pytest.raises(Refused) as refused:
        group_set_status(group=group, status=GroupStatus.ACTIVE, by=someone)
    message = " ".join(refused.value.messages)
    assert "non può ancora diventare attivo" in message
    assert "il giorno, l'ora, il ritmo" in message and "criteri" in message
    group.refresh_from_db()
    assert group.status == start
    assert not Activity.objects.filter(action="group.status").exists()
    assert not Group.objects.public().filter(status=GroupStatus.ACTIVE, pk=group.pk).exists()


def test_each_missing_agreement_alone_keeps_the_gate_shut(planned, someone, frozen):
    agree_everything(planned)
    assert missing_agreements(planned) == []
    for name, value in [
        ("joining", ""),
        ("family_may_attend", None),
        ("facilitator_count", None),
        ("ama_rules_accepted", False),
        ("contact_through_association", False),
        ("confidential", False),
    ]:
        before = getattr(planned.agreements, name)
        group_agreements_set(group=planned, by=someone, **{name: value})
        assert missing_agreements(planned), name
        with pytest.raises(Refused):
            group_set_status(group=planned, status=GroupStatus.ACTIVE, by=someone)
        group_agreements_set(group=planned, by=someone, **{name: before})
    group_agreements_set(group=planned, by=someone, entry=Entry.CLOSED, entry_moments="a settembre")
    assert missing_agreements(planned) == []


def test_a_group_with_all_its_agreements_goes_the_whole_way(planned, someone, frozen):
    agree_everything(planned, first_meeting_at=in_days(8))
    group_set_status(group=planned, status=GroupStatus.PROMOTING, by=someone)
    assert Group.objects.public().filter(pk=planned.pk).exists(), "starting soon: public"

    with pytest.raises(Refused, match="non c'è ancora stato"):
        group_set_status(group=planned, status=GroupStatus.FIRST_MEETING_HELD, by=someone)

    frozen.shift(9 * 24 * 3600)
    group_set_status(group=planned, status=GroupStatus.FIRST_MEETING_HELD, by=someone)
    assert Group.objects.public().filter(pk=planned.pk).exists()
    group_set_status(group=planned, status=GroupStatus.ACTIVE, by=someone)
    group_set_status(group=planned, status=GroupStatus.CLOSED, by=someone)
    assert not Group.objects.public().filter(pk=planned.pk).exists(), "closed groups disappear"
    moves = [a.payload for a in Activity.objects.filter(action="group.status", group=planned).order_by("pk")]
    assert moves == [
        {"from": "planned", "to": "promoting"},
        {"from": "promoting", "to": "first_meeting_held"},
        {"from": "first_meeting_held", "to": "active"},
        {"from": "active", "to": "closed"},
    ]
    assert all(a.actor == someone for a in Activity.objects.filter(action="group.status"))


def test_first_meeting_held_needs_a_first_meeting(association_x, someone):
    group = GroupFactory(association=association_x, status=GroupStatus.PROMOTING)
    with pytest.raises(Refused, match="data del primo incontro"):
        group_set_status(group=group, status=GroupStatus.FIRST_MEETING_HELD, by=someone)


def test_a_promoting_group_cannot_skip_its_first_meeting(association_x, someone, frozen):
    group = GroupFactory(association=association_x, status=GroupStatus.PROMOTING)
    agree_everything(group)
    with pytest.raises(Refused, match="non può passare"):
        group_set_status(group=group, status=GroupStatus.ACTIVE, by=someone)


def test_a_spontaneous_group_with_its_agreements_goes_straight_to_active(planned, someone, frozen):
    agree_everything(planned)
    group_set_status(group=planned, status=GroupStatus.ACTIVE, by=someone)
    planned.refresh_from_db()
    assert planned.status == GroupStatus.ACTIVE


def test_a_suspended_group_is_not_gated_again(association_x, someone):
    group = GroupFactory(association=association_x)  # an active group from before the agreements
    group_set_status(group=group, status=GroupStatus.SUSPENDED, by=someone)
    group_set_status(group=group, status=GroupStatus.ACTIVE, by=someone)
    group.refresh_from_db()
    assert group.status == GroupStatus.ACTIVE


def test_the_status_page_refuses_an_ungated_activation_with_its_reason(client, coordinator_x, association_x):
    group = GroupFactory(association=association_x, status=GroupStatus.PLANNED)
    client.force_login(coordinator_x)
    from django.urls import reverse

    response = client.post(reverse("workspace:group_status", args=[group.slug]), {"status": "active"})
    assert response.status_code == 400
    assert "mancano gli accordi" in response.content.decode()
    group.refresh_from_db()
    assert group.status == GroupStatus.PLANNED


def test_the_admin_refuses_an_ungated_activation_on_the_form(client, site_admin, association_x):
    group = GroupFactory(association=association_x, status=GroupStatus.PLANNED)
    client.force_login(site_admin)
    url = f"/it/admin/network/group/{group.pk}/change/"
    data = {
        "themes": [],
        "status": GroupStatus.ACTIVE,
        "name": group.name,
        "slug": group.slug,
        "description": group.description,
        "audience": group.audience,
        "facilitator_kind": group.facilitator_kind,
        "venue": group.venue_id,
        "language": "it",
        "entry": group.entry,
        "max_size": 12,
        "schedules-TOTAL_FORMS": "0",
        "schedules-INITIAL_FORMS": "0",
        "schedules-MIN_NUM_FORMS": "0",
        "schedules-MAX_NUM_FORMS": "0",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "mancano gli accordi" in response.content.decode()
    group.refresh_from_db()
    assert group.status == GroupStatus.PLANNED
