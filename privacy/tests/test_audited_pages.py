"""Pages that show second factors or roles, outside Cerchio's own views, are written to the audit log."""

from allauth.mfa.models import Authenticator
from django.urls import reverse

from network.models import GroupMembership
from privacy.models import AuditAction, AuditEvent


def viewed():
    return AuditEvent.objects.filter(action=AuditAction.VIEWED)


def test_viewing_ones_own_second_factor_page_writes_a_row(client, coordinator_x):
    client.force_login(coordinator_x)
    assert client.get(reverse("mfa_index")).status_code == 200
    event = viewed().get()
    assert (event.actor, event.subject, event.object_type, event.object_id) == (
        coordinator_x,
        coordinator_x,
        "mfa.authenticator",
        "mfa_index",
    )


def test_viewing_a_second_factor_in_the_admin_writes_a_row_naming_its_owner(client, site_admin, coordinator_x):
    authenticator = Authenticator.objects.get(user=coordinator_x)
    client.force_login(site_admin)
    url = reverse("admin:mfa_authenticator_change", args=[authenticator.pk])
    assert client.get(url).status_code == 200
    event = viewed().get()
    assert (event.actor, event.subject, event.object_type, event.object_id) == (
        site_admin,
        coordinator_x,
        "mfa.authenticator",
        str(authenticator.pk),
    )


def test_the_admin_list_of_second_factors_writes_a_row(client, site_admin, coordinator_x):
    client.force_login(site_admin)
    assert client.get(reverse("admin:mfa_authenticator_changelist")).status_code == 200
    assert viewed().get().object_id == "admin:mfa_authenticator_changelist"


def test_viewing_a_role_in_the_admin_writes_a_row_with_the_association(client, site_admin, facilitator_a, group_a):
    membership = GroupMembership.objects.get(user=facilitator_a)
    client.force_login(site_admin)
    assert client.get(reverse("admin:network_groupmembership_change", args=[membership.pk])).status_code == 200
    event = viewed().get()
    assert (event.subject, event.association_id) == (facilitator_a, group_a.association_id)


def test_a_page_that_was_not_shown_writes_no_viewed_row(client, participant):
    client.force_login(participant)
    client.get(reverse("admin:mfa_authenticator_changelist"))  # sent to the admin's login
    assert not viewed().exists()
