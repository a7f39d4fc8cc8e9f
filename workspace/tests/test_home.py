"""The workspace home: what each person needs first."""

from datetime import time

import pytest
from django.utils import timezone

from network import services
from network.models import Meeting

pytestmark = pytest.mark.django_db


def test_a_coordinator_sees_groups_without_a_rhythm_and_the_changes_of_the_next_two_weeks(
    client, coordinator_x, group_a, group_b
):
    services.schedule_create(group=group_a, rrule="FREQ=WEEKLY;BYDAY=TU", start_time=time(20, 30), by=None)
    soon = Meeting.objects.filter(group=group_a, starts_at__gt=timezone.now()).order_by("starts_at")[0]
    services.meeting_cancel(meeting=soon, note="Festa del paese", by=None)
    client.force_login(coordinator_x)
    body = client.get("/it/workspace/").content.decode()
    assert "Da tenere d&#x27;occhio" in body or "Da tenere d'occhio" in body
    assert f"/it/workspace/groups/{group_b.slug}/rhythm/" in body  # group B has no rhythm yet
    assert f"/it/workspace/groups/{group_a.slug}/rhythm/" not in body
    assert "Festa del paese" in body


def test_a_facilitator_does_not_see_the_coordinators_sections(client, facilitator_a, group_b):
    client.force_login(facilitator_a)
    body = client.get("/it/workspace/").content.decode()
    assert "occhio" not in body
    assert f"/it/workspace/groups/{group_b.slug}/" not in body


def test_a_time_change_on_the_same_day_says_the_old_time_not_the_same_date(client, facilitator_a, group_a):
    services.schedule_create(group=group_a, rrule="FREQ=WEEKLY;BYDAY=TU", start_time=time(20, 30), by=None)
    meeting = Meeting.objects.filter(group=group_a, starts_at__gt=timezone.now()).order_by("starts_at")[0]
    services.meeting_move(meeting=meeting, new_date=meeting.original_date, new_time=time(18, 0), by=facilitator_a)
    client.force_login(facilitator_a)
    body = client.get("/it/workspace/").content.decode()
    assert "era alle 20:30" in body


def test_a_referring_professional_finds_how_to_refer_someone(client, association_x):
    from conftest import _user
    from network.models import AssociationMembership, AssociationRole

    referrer = _user("assistente.sociale@example.org")
    AssociationMembership.objects.create(user=referrer, association=association_x, role=AssociationRole.REFERRER)
    client.force_login(referrer)
    body = client.get("/it/workspace/").content.decode()
    assert association_x.public_phone in body and "consenso" in body
