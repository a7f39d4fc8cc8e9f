"""The synthetic network for benchmarks: bulk-written, yet what the normal path would write."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from network.models import Group, Meeting
from network.services import group_sync_meetings, search_fields_for

pytestmark = pytest.mark.django_db

SEARCH_COLUMNS = ["latitude", "longitude", "meeting_weekdays", "meeting_slots", "search_text"]


def synthetic_groups():
    return Group.objects.filter(association__slug="rete-sintetica")


def test_seed_synthetic_writes_groups_meetings_and_search_columns():
    call_command("seed_synthetic", groups=30)

    groups = synthetic_groups().select_related("venue").prefetch_related("themes")
    assert groups.count() == 30
    for group in groups:
        assert group.meetings.exists(), group.slug
        assert group.schedules.count() == 1
        assert group.themes.count() == 1
        assert group.venue is not None or group.online_url

    for group in list(groups.order_by("pk"))[::5]:
        upcoming = list(
            group.meetings.filter(starts_at__gte=timezone.now()).select_related("schedule").order_by("starts_at")
        )
        expected = search_fields_for(group=group, upcoming=upcoming)
        assert {name: getattr(group, name) for name in SEARCH_COLUMNS} == expected, group.slug


def test_seed_synthetic_meetings_are_those_a_resync_keeps():
    call_command("seed_synthetic", groups=12)

    for group in synthetic_groups().order_by("pk")[:4]:
        before = list(Meeting.objects.filter(group=group).order_by("original_start").values())
        group_sync_meetings(group=group)
        assert list(Meeting.objects.filter(group=group).order_by("original_start").values()) == before


def test_seed_synthetic_is_idempotent_in_count():
    call_command("seed_synthetic", groups=30)
    call_command("seed_synthetic", groups=30)
    assert synthetic_groups().count() == 30

    call_command("seed_synthetic", groups=35)
    assert synthetic_groups().count() == 35
    assert synthetic_groups().values("slug").distinct().count() == 35
