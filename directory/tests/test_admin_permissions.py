"""The back office as a permission matrix: persona × page → expected status.

Out-of-scope objects do not exist for a person: the admin redirects away (302)
from them, exactly as for a deleted object.
"""

import pytest

from directory.models import Meeting

PERSONAS = ["anonymous", "outsider", "facilitator_a", "facilitator_b", "coordinator_x", "coordinator_y", "site_admin"]

# url template → expected status per persona, in the order of PERSONAS.
MATRIX = {
    "/it/admin/": [302, 200, 200, 200, 200, 200, 200],
    "/it/admin/directory/group/": [302, 403, 200, 200, 200, 200, 200],
    "/it/admin/directory/group/{group_a}/change/": [302, 403, 200, 302, 200, 302, 200],
    "/it/admin/directory/group/{group_y}/change/": [302, 403, 302, 302, 302, 200, 200],
    "/it/admin/directory/group/add/": [302, 403, 403, 403, 200, 200, 200],
    "/it/admin/directory/schedule/": [302, 403, 200, 200, 200, 200, 200],
    "/it/admin/directory/schedule/{schedule_a}/change/": [302, 403, 200, 302, 200, 302, 200],
    "/it/admin/directory/meeting/": [302, 403, 200, 200, 200, 200, 200],
    "/it/admin/directory/venue/": [302, 403, 200, 200, 200, 200, 200],
    "/it/admin/directory/theme/": [302, 403, 200, 200, 200, 200, 200],
    "/it/admin/directory/association/": [302, 403, 403, 403, 200, 200, 200],
    "/it/admin/directory/association/{association_x}/change/": [302, 403, 403, 403, 200, 302, 200],
    "/it/admin/accounts/groupmembership/": [302, 403, 403, 403, 200, 200, 200],
    "/it/admin/accounts/associationmembership/": [302, 403, 403, 403, 200, 200, 200],
}
CASES = [(url, persona, statuses[i]) for url, statuses in MATRIX.items() for i, persona in enumerate(PERSONAS)]


@pytest.fixture
def world(
    request, group_a, group_b, group_y, facilitator_a, facilitator_b, coordinator_x, coordinator_y, site_admin, outsider
):
    from directory.models import Schedule

    schedule_a = Schedule.objects.create(
        group=group_a, rrule="FREQ=WEEKLY;BYDAY=TU", starts_on="2026-01-01", start_time="20:30"
    )
    return {
        "group_a": group_a.pk,
        "group_y": group_y.pk,
        "schedule_a": schedule_a.pk,
        "association_x": group_a.association_id,
    }


@pytest.mark.parametrize(("url", "persona", "expected"), CASES)
def test_back_office_permission_matrix(client, request, world, url, persona, expected):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    response = client.get(url.format(**world))
    assert response.status_code == expected, (persona, url)


def test_every_admin_page_has_a_row_in_the_matrix():
    from django.contrib import admin

    listed = {url.split("/")[3] + "/" + url.split("/")[4] for url in MATRIX if url.count("/") > 4}
    registered = {f"{model._meta.app_label}/{model._meta.model_name}" for model in admin.site._registry}
    missing = registered - listed - {"auth/user", "auth/group"}
    assert not missing, f"add these admin pages to the matrix: {missing}"


def test_coordinator_lists_only_their_associations_groups(client, world, coordinator_x):
    client.force_login(coordinator_x)
    body = client.get("/it/admin/directory/group/").content.decode()
    assert "Gruppo A" in body and "Gruppo B" in body
    assert "Gruppo Y" not in body


def test_facilitator_lists_only_their_own_group(client, world, facilitator_a):
    client.force_login(facilitator_a)
    body = client.get("/it/admin/directory/group/").content.decode()
    assert "Gruppo A" in body
    assert "Gruppo B" not in body and "Gruppo Y" not in body


def test_facilitator_cannot_change_a_theme(client, world, facilitator_a):
    client.force_login(facilitator_a)
    theme = __import__("directory.tests.factories", fromlist=["ThemeFactory"]).ThemeFactory()
    response = client.post(f"/it/admin/directory/theme/{theme.pk}/change/", {"name_it": "Altro", "slug": theme.slug})
    assert response.status_code == 403


def test_facilitator_adds_a_schedule_in_words_and_meetings_appear(client, world, facilitator_a, group_a):
    client.force_login(facilitator_a)
    response = client.post(
        "/it/admin/directory/schedule/add/",
        {
            "group": group_a.pk,
            "pattern": "monthly",
            "weekday": "2",
            "ordinals": ["2", "4"],
            "rrule": "",
            "starts_on": "2026-01-01",
            "start_time": "20:30",
            "duration_minutes": "120",
            "timezone": "Europe/Rome",
            "exceptions-TOTAL_FORMS": "0",
            "exceptions-INITIAL_FORMS": "0",
            "exceptions-MIN_NUM_FORMS": "0",
            "exceptions-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    schedule = group_a.schedules.exclude(pk=world["schedule_a"]).get()
    assert schedule.rrule == "FREQ=MONTHLY;BYDAY=2TU,4TU"
    assert Meeting.objects.filter(schedule=schedule).exists()


def test_facilitator_cannot_add_a_schedule_to_another_group(client, world, facilitator_a, group_y):
    client.force_login(facilitator_a)
    response = client.post(
        "/it/admin/directory/schedule/add/",
        {
            "group": group_y.pk,
            "pattern": "weekly",
            "weekday": "1",
            "starts_on": "2026-01-01",
            "start_time": "20:30",
            "duration_minutes": "120",
            "timezone": "Europe/Rome",
            "exceptions-TOTAL_FORMS": "0",
            "exceptions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200  # the form is shown again with an error
    assert not group_y.schedules.exists()
