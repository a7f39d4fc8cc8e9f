"""What each role sees and may change in the back office.

The status of every page for every persona is in cerchio/tests/test_permission_matrix.py;
these tests check the content of the pages and the writes.
"""

import pytest

from directory.models import Meeting


@pytest.fixture
def world(group_a, group_b, group_y, facilitator_a, facilitator_b, coordinator_x, coordinator_y):
    from directory.models import Schedule

    schedule_a = Schedule.objects.create(
        group=group_a, rrule="FREQ=WEEKLY;BYDAY=TU", starts_on="2026-01-01", start_time="20:30"
    )
    return {"schedule_a": schedule_a.pk}


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


def test_moving_a_venue_moves_its_groups_in_the_search(client, world, coordinator_x, group_a):
    from directory.search import GroupSearchForm, search_groups

    client.force_login(coordinator_x)
    venue = group_a.venue
    response = client.post(
        f"/it/admin/directory/venue/{venue.pk}/change/",
        {
            "association": venue.association_id,
            "name": venue.name,
            "address": venue.address,
            "comune": "Bolzano",
            "province": "BZ",
            "latitude": "46.4983",
            "longitude": "11.3548",
            "transport_notes": "",
        },
    )
    assert response.status_code == 302
    group_a.refresh_from_db()
    assert (group_a.latitude, group_a.longitude) == (46.4983, 11.3548)
    form = GroupSearchForm({"lat": "46.4983", "lon": "11.3548", "radius_km": "5"})
    assert form.is_valid()
    assert [g.slug for g in search_groups(form.cleaned_data).groups] == ["gruppo-a"]


def test_coordinator_cancels_a_meeting_from_the_schedule_page(client, world, coordinator_x, group_a):
    from datetime import date

    from directory.models import Schedule

    client.force_login(coordinator_x)
    schedule = Schedule.objects.get(pk=world["schedule_a"])
    page = client.get(f"/it/admin/directory/schedule/{schedule.pk}/change/").content.decode()
    assert "exceptions-TOTAL_FORMS" in page
    response = client.post(
        f"/it/admin/directory/schedule/{schedule.pk}/change/",
        {
            "group": group_a.pk,
            "pattern": "weekly",
            "weekday": "2",
            "rrule": "",
            "starts_on": "2026-01-01",
            "start_time": "20:30",
            "duration_minutes": "120",
            "timezone": "Europe/Rome",
            "exceptions-TOTAL_FORMS": "1",
            "exceptions-INITIAL_FORMS": "0",
            "exceptions-0-original_date": "2026-12-01",
            "exceptions-0-kind": "cancelled",
            "exceptions-0-public_note": "Festività",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert schedule.meetings.get(original_start__date=date(2026, 12, 1)).is_cancelled


def test_coordinator_deletes_a_group_with_its_meetings(client, world, coordinator_x, group_b):
    from directory.models import Meeting, Schedule

    Schedule.objects.create(group=group_b, rrule="FREQ=WEEKLY;BYDAY=MO", starts_on="2026-01-01", start_time="18:00")
    from directory.services import group_sync_meetings

    group_sync_meetings(group=group_b)
    assert Meeting.objects.filter(group=group_b).exists()
    client.force_login(coordinator_x)
    response = client.post(f"/it/admin/directory/group/{group_b.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not type(group_b).objects.filter(pk=group_b.pk).exists()


def test_looking_at_another_groups_page_is_logged(client, world, facilitator_b, group_a):
    from privacy.models import AuditAction, AuditEvent

    client.force_login(facilitator_b)
    assert client.get(f"/it/admin/directory/group/{group_a.pk}/change/").status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.AUTHORIZATION_FAILED, actor=facilitator_b).exists()


def test_a_role_is_enough_to_enter_the_back_office(client, group_a):
    from accounts.models import GroupMembership
    from conftest import _user

    user = _user("senza.staff@example.org")
    GroupMembership.objects.create(user=user, group=group_a, role="facilitator")
    client.force_login(user)
    assert client.get("/it/admin/directory/group/").status_code == 200
