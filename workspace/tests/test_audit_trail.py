"""What the workspace writes to the audit log: refusals name their object, views of roles are logged."""

from django.urls import reverse

from network.models import GroupMembership
from privacy.models import AuditAction, AuditEvent


def refusals():
    return AuditEvent.objects.filter(action=AuditAction.AUTHORIZATION_FAILED)


def test_a_refused_group_is_logged_with_the_group_and_its_association(client, coordinator_y, group_a):
    client.force_login(coordinator_y)
    assert client.get(reverse("workspace:group", args=[group_a.slug])).status_code == 404
    event = refusals().get()
    assert (event.actor, event.object_type, event.object_id) == (coordinator_y, "network.group", str(group_a.pk))
    assert event.association_id == group_a.association_id


def test_a_refused_association_is_logged_with_the_association(client, coordinator_y, association_x):
    client.force_login(coordinator_y)
    assert client.get(reverse("workspace:people"), {"association": association_x.pk}).status_code == 404
    event = refusals().get()
    assert (event.object_type, event.object_id, event.association_id) == (
        "network.association",
        str(association_x.pk),
        association_x.pk,
    )


def test_a_refused_role_is_logged_with_the_role(client, coordinator_y, facilitator_a, group_a):
    membership = GroupMembership.objects.get(user=facilitator_a)
    client.force_login(coordinator_y)
    assert client.get(reverse("workspace:role_end", args=["group", membership.pk])).status_code == 404
    event = refusals().get()
    assert (event.object_type, event.object_id, event.association_id) == (
        "network.groupmembership",
        str(membership.pk),
        group_a.association_id,
    )


def test_an_object_that_does_not_exist_writes_no_refusal(client, coordinator_y, group_a):
    client.force_login(coordinator_y)
    assert client.get(reverse("workspace:group", args=["non-esiste"])).status_code == 404
    assert not refusals().exists()


def test_a_refused_capability_is_logged_once_with_the_page_name(client, facilitator_a):
    client.force_login(facilitator_a)
    assert client.get(reverse("workspace:people")).status_code == 403
    event = refusals().get()
    assert (event.actor, event.object_type, event.object_id) == (facilitator_a, "url", "workspace:people")


def test_a_refused_capability_names_the_page_arguments(client, facilitator_a, group_a):
    client.force_login(facilitator_a)
    assert client.get(reverse("workspace:group_status", args=[group_a.slug])).status_code == 403
    assert refusals().get().object_id == f"workspace:group_status slug={group_a.slug}"


def test_a_person_without_a_role_is_refused_with_the_page_named(client, outsider):
    client.force_login(outsider)
    assert client.get(reverse("workspace:home")).status_code == 403
    assert refusals().get().object_id == "workspace:home"


def test_viewing_the_people_page_writes_a_viewed_row_with_the_association(client, coordinator_x, association_x):
    client.force_login(coordinator_x)
    assert client.get(reverse("workspace:people")).status_code == 200
    event = AuditEvent.objects.get(action=AuditAction.VIEWED)
    assert (event.actor, event.object_type, event.object_id, event.association_id) == (
        coordinator_x,
        "network.association",
        str(association_x.pk),
        association_x.pk,
    )


def test_viewing_a_role_before_ending_it_writes_a_viewed_row_naming_the_person(client, coordinator_x, facilitator_a):
    membership = GroupMembership.objects.get(user=facilitator_a)
    client.force_login(coordinator_x)
    assert client.get(reverse("workspace:role_end", args=["group", membership.pk])).status_code == 200
    event = AuditEvent.objects.get(action=AuditAction.VIEWED)
    assert (event.subject, event.object_type, event.object_id) == (
        facilitator_a,
        "network.groupmembership",
        str(membership.pk),
    )


def test_an_association_parameter_that_is_not_a_plain_number_is_not_a_500(client, coordinator_x, association_x):
    client.force_login(coordinator_x)
    for raw in ["²", "٣", "9" * 30]:
        assert client.get(reverse("workspace:people"), {"association": raw}).status_code == 200
        assert client.get(reverse("workspace:venues"), {"association": raw}).status_code == 200
