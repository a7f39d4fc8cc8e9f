"""A group's English name, description and notes are edited in the workspace and shown on /en/."""

import pytest

from network.models import Group
from network.tests.factories import ThemeFactory, make_group

pytestmark = pytest.mark.django_db


def test_a_facilitator_writes_the_english_description_and_notes(client, facilitator_a, group_a):
    client.force_login(facilitator_a)
    page = client.get(f"/it/workspace/groups/{group_a.slug}/edit/").content.decode()
    assert 'name="description_en"' in page and 'name="accessibility_notes_en"' in page
    response = client.post(
        f"/it/workspace/groups/{group_a.slug}/edit/",
        {
            "description": group_a.description,
            "accessibility_notes": "",
            "accepting_newcomers": "on",
            "description_en": "A group for people who share the same path.",
            "accessibility_notes_en": "Step-free entrance.",
        },
    )
    assert response.status_code == 302
    group = Group.objects.get(pk=group_a.pk)
    assert group.description_en == "A group for people who share the same path."
    assert "share the same path" in group.search_text


def test_a_coordinator_sets_the_english_name(client, coordinator_x, association_x):
    group = make_group(slug="g", association=association_x, venue=None, online_url="https://meet.example.org/x")
    client.force_login(coordinator_x)
    page = client.get("/it/workspace/groups/g/edit/").content.decode()
    assert 'name="name_en"' in page
    data = {
        "name": group.name,
        "themes": [],
        "description": group.description,
        "audience": group.audience,
        "facilitator_kind": group.facilitator_kind,
        "entry": group.entry,
        "accepting_newcomers": "on",
        "max_size": 12,
        "venue": "",
        "online_url": group.online_url,
        "language": "it",
        "name_en": "Online circle",
    }
    data["themes"] = [ThemeFactory().pk]
    response = client.post("/it/workspace/groups/g/edit/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Group.objects.get(pk=group.pk).name_en == "Online circle"
    assert '<h1 lang="en">Online circle</h1>' in client.get("/en/groups/g/").content.decode()
