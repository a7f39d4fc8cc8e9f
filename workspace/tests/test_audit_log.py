"""The audit log page: a coordinator reads the events of their own association, filters and exports them."""

import csv
import io
from datetime import date

import pytest
import time_machine
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Profile
from accounts.services import account_create
from conftest import enrol_totp
from network.models import Association, AssociationMembership, AssociationRole
from privacy.audit import audit
from privacy.models import AuditAction, AuditEvent

URL = reverse("workspace:audit")


@pytest.fixture
def events(association_x, association_y, group_a, group_y, coordinator_x, coordinator_y, facilitator_a, participant):
    """Events of X's people and objects, and of Y's, on two days (signing in in a test adds LOGIN rows today)."""
    Profile.objects.create(user=facilitator_a, nickname="Airone")
    with time_machine.travel("2027-03-01 10:00Z", tick=False):
        made = {
            "x_facilitator_login": audit(AuditAction.LOGIN, actor=facilitator_a, subject=facilitator_a),
            "y_group_viewed": audit(
                AuditAction.VIEWED, actor=coordinator_y, target=group_y, association_id=group_y.association_id
            ),
        }
    with time_machine.travel("2027-03-05 10:00Z", tick=False):
        made |= {
            "x_participant_password": audit(AuditAction.PASSWORD_CHANGED, actor=participant, subject=participant),
            "y_coordinator_login": audit(AuditAction.LOGIN, actor=coordinator_y, subject=coordinator_y),
            "x_group_refused": audit(
                AuditAction.AUTHORIZATION_FAILED,
                actor=coordinator_y,
                target=group_a,
                association_id=group_a.association_id,
            ),
        }
    return made


def listed(response) -> list[dict]:
    return response.context["events"]


def shown(response, events) -> set[str]:
    """Which of the fixture's events the page lists."""
    names = {(event.action, event.at, event.actor_id, event.object_id): name for name, event in events.items()}
    return {
        names[key]
        for key in ((row["action"], row["at"], row["actor_id"], row["object_id"]) for row in listed(response))
        if key in names
    }


def test_coordinator_x_sees_xs_events_but_not_ys(client, events, coordinator_x):
    client.force_login(coordinator_x)
    response = client.get(URL)
    assert response.status_code == 200
    # Y's coordinator tried X's group: that refusal is X's business; Y's own login and views are not.
    assert shown(response, events) == {"x_facilitator_login", "x_participant_password", "x_group_refused"}


def test_coordinator_y_sees_ys_events_but_not_xs(client, events, coordinator_y):
    client.force_login(coordinator_y)
    assert shown(client.get(URL), events) == {"y_group_viewed", "y_coordinator_login"}


def test_people_are_shown_by_nickname_or_number_never_by_address(client, events, coordinator_x, participant):
    client.force_login(coordinator_x)
    page = client.get(URL).content.decode()
    assert "Airone" in page and f"persona n. {participant.pk}" in page
    assert "@example.org" not in page


@pytest.mark.parametrize("persona", ["facilitator_a", "intake_operator", "participant"])
def test_a_person_without_the_audit_capability_gets_403(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403


def test_a_coordination_does_not_read_its_members_log(client, events, association_x, group_a):
    coordination = Association.objects.create(name="Coordinamento", slug="coordinamento")
    Association.objects.filter(pk=association_x.pk).update(coordination=coordination)
    head = account_create(email="coordinamento@example.org", password="pw-for-tests", is_staff=True)
    AssociationMembership.objects.create(user=head, association=coordination, role=AssociationRole.COORDINATOR)
    enrol_totp(head)
    client.force_login(head)
    assert not shown(client.get(URL), events)
    assert client.get(URL, {"association": association_x.pk}).status_code == 404


def test_the_site_administrator_sees_every_event(client, events, site_admin):
    client.force_login(site_admin)
    assert shown(client.get(URL), events) == set(events)


def test_filters_by_person_action_object_and_dates(client, events, coordinator_x, participant, facilitator_a, group_a):
    client.force_login(coordinator_x)

    def found(**filters):
        return {(row["action"], row["actor_id"]) for row in listed(client.get(URL, filters))}

    assert found(person=participant.pk) == {(AuditAction.PASSWORD_CHANGED, participant.pk)}
    assert found(action=AuditAction.LOGIN, since="2027-01-01", until="2027-12-31") == {
        (AuditAction.LOGIN, facilitator_a.pk)
    }
    assert found(object_type="network.group", object_id=group_a.pk) == {
        (AuditAction.AUTHORIZATION_FAILED, events["x_group_refused"].actor_id)
    }
    assert found(since="2027-03-02", until="2027-03-31") == {
        (AuditAction.PASSWORD_CHANGED, participant.pk),
        (AuditAction.AUTHORIZATION_FAILED, events["x_group_refused"].actor_id),
    }
    assert found(since="2027-03-01", until="2027-03-01") == {(AuditAction.LOGIN, facilitator_a.pk)}
    assert found(since="2027-03-02", until="2027-03-01") == set()  # an error on the form, no rows


def test_a_person_outside_the_association_cannot_be_chosen(client, events, coordinator_x, coordinator_y):
    client.force_login(coordinator_x)
    response = client.get(URL, {"person": coordinator_y.pk})
    assert response.status_code == 200 and response.context["form"].errors and not listed(response)


def test_the_csv_export_has_the_filtered_rows_and_is_itself_audited(client, events, coordinator_x, association_x):
    client.force_login(coordinator_x)
    response = client.get(URL, {"format": "csv", "since": "2027-03-02", "until": "2027-03-31"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert sorted(row["action"] for row in rows) == sorted([AuditAction.PASSWORD_CHANGED, "authorization_failed"])
    assert "@example.org" not in str(rows)
    export = AuditEvent.objects.get(action=AuditAction.EXPORTED)
    assert (export.actor, export.object_type, export.association_id) == (
        coordinator_x,
        "privacy.auditevent",
        association_x.pk,
    )
    assert "since=2027-03-02" in export.object_id


def test_a_nickname_cannot_become_a_spreadsheet_formula(client, events, coordinator_x, facilitator_a):
    Profile.objects.filter(user=facilitator_a).update(nickname="=HYPERLINK(1)")
    client.force_login(coordinator_x)
    content = b"".join(client.get(URL, {"format": "csv"}).streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in content


def test_the_page_is_in_the_navigation_of_coordinators_only(client, coordinator_x, facilitator_a):
    client.force_login(coordinator_x)
    assert f'href="{URL}"' in client.get(reverse("workspace:home")).content.decode()
    client.force_login(facilitator_a)
    assert f'href="{URL}"' not in client.get(reverse("workspace:home")).content.decode()


HOSTILE = st.one_of(
    st.sampled_from(
        ["", "0", "-1", "²", "9" * 30, "2027-02-30", "0001-01-01", "9999-12-31", "\x00", "<b>x</b>", "csv"]
    ),
    st.text(max_size=200),
    st.dates().map(date.isoformat),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    association=HOSTILE,
    person=HOSTILE,
    action=HOSTILE,
    object_type=HOSTILE,
    object_id=HOSTILE,
    since=HOSTILE,
    until=HOSTILE,
    page=HOSTILE,
    fmt=HOSTILE,
)
def test_hostile_filter_input_never_gives_a_500(
    client, events, coordinator_x, association, person, action, object_type, object_id, since, until, page, fmt
):
    client.force_login(coordinator_x)
    response = client.get(
        URL,
        {
            "association": association,
            "person": person,
            "action": action,
            "object_type": object_type,
            "object_id": object_id,
            "since": since,
            "until": until,
            "page": page,
            "format": fmt,
        },
    )
    assert response.status_code in (200, 404)
    if response.status_code == 200 and response.streaming:
        b"".join(response.streaming_content)
