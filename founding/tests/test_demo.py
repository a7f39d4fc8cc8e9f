"""The demo has a group being started by open invitation, "starting soon" with its first meeting."""

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from founding.demo import SLUG
from founding.models import FoundingPath
from network.agreements import missing_agreements
from network.models import Group, GroupStatus, StartMode


def test_the_demo_starts_a_group_by_open_invitation_and_stays_idempotent(db, client):
    call_command("seed_demo")
    call_command("seed_demo")
    path = FoundingPath.objects.get(group__slug=SLUG)
    group = Group.objects.get(slug=SLUG)
    assert path.start_mode == StartMode.OPEN_INVITATION and path.invitations_sent == 60
    assert group.status == GroupStatus.PROMOTING
    assert missing_agreements(group) == []
    assert group.agreements.first_meeting_at > timezone.now()
    page = client.get(reverse("founding:starting_soon", args=[SLUG])).content.decode()
    assert "Dopo una perdita" in page and "20:30" in page


def test_the_demo_starts_a_group_on_request_from_the_demand_board(db):
    call_command("seed_demo")
    call_command("seed_demo")
    path = FoundingPath.objects.get(start_mode=StartMode.ON_REQUEST)
    assert path.group.status == GroupStatus.PLANNED and path.group.start_mode == StartMode.ON_REQUEST
    # The four people asking about loneliness in Trento are counted, and their demand now has a group.
    assert path.requesters_count == 4
    assert path.group.name == "Non più soli – Trento"
