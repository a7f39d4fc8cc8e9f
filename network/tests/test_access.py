"""Capabilities come from one table; coordination reaches any depth, read-only; scoping is one function."""

import pytest

from conftest import _user
from network.access import COORDINATION_CAPABILITIES, ROLE_CAPABILITIES, Access, Cap
from network.models import AssociationMembership, AssociationRole, GroupRole
from network.tests.factories import AssociationFactory, GroupFactory

pytestmark = pytest.mark.django_db


def test_every_role_has_a_row_in_the_capability_table():
    assert set(ROLE_CAPABILITIES) == set(AssociationRole.values) | set(GroupRole.values)


def test_a_national_coordination_sees_local_associations_two_levels_down():
    national = AssociationFactory(slug="nazionale")
    region = AssociationFactory(slug="regione", coordination=national)
    local = AssociationFactory(slug="locale", coordination=region)
    outside = AssociationFactory(slug="fuori")
    local_group = GroupFactory(association=local)
    GroupFactory(association=outside)
    user = _user("nazionale@example.org")
    AssociationMembership.objects.create(user=user, association=national, role=AssociationRole.COORDINATOR)
    access = Access.of(user)
    assert set(access.associations(Cap.ASSOCIATION_VIEW)) == {national, region, local}
    assert list(access.groups(Cap.GROUP_VIEW)) == [local_group]


def test_a_coordination_sees_its_members_groups_but_does_not_edit_them():
    region = AssociationFactory(slug="regione")
    local = AssociationFactory(slug="locale", coordination=region)
    group = GroupFactory(association=local)
    user = _user("regione@example.org")
    AssociationMembership.objects.create(user=user, association=region, role=AssociationRole.COORDINATOR)
    access = Access.of(user)
    assert access.can(Cap.GROUP_VIEW, group)
    assert not access.can(Cap.GROUP_EDIT, group)
    assert not access.can(Cap.ASSOCIATION_MANAGE_GROUPS, local)
    assert Cap.ASSOCIATION_MANAGE_GROUPS not in COORDINATION_CAPABILITIES


def test_a_loop_of_coordinations_does_not_hang_the_scope():
    first = AssociationFactory(slug="prima")
    second = AssociationFactory(slug="seconda", coordination=first)
    first.coordination = second
    first.save()
    user = _user("giro@example.org")
    AssociationMembership.objects.create(user=user, association=first, role=AssociationRole.COORDINATOR)
    assert set(Access.of(user).associations(Cap.ASSOCIATION_VIEW)) == {first, second}


def test_facilitator_edits_only_their_own_group(facilitator_a, group_a, group_b, group_y):
    access = Access.of(facilitator_a)
    assert list(access.groups(Cap.GROUP_MANAGE_MEETINGS)) == [group_a]
    assert access.can(Cap.GROUP_EDIT, group_a) and not access.can(Cap.GROUP_EDIT, group_b)
    assert not access.has(Cap.ASSOCIATION_INVITE_STAFF)


def test_intake_operators_work_intake_and_see_groups_but_do_not_edit_them(intake_operator, group_a):
    access = Access.of(intake_operator)
    assert access.has(Cap.INTAKE_WORK)
    assert access.can(Cap.GROUP_VIEW, group_a)
    assert not access.can(Cap.GROUP_EDIT, group_a)


def test_intake_operators_and_coordinators_need_a_second_factor_but_participants_and_facilitators_do_not(
    intake_operator, coordinator_x, participant, facilitator_a
):
    assert Access.of(intake_operator).requires_mfa
    assert Access.of(coordinator_x).requires_mfa
    assert not Access.of(participant).requires_mfa
    assert not Access.of(facilitator_a).requires_mfa


def test_participants_have_no_workspace_and_facilitators_do(participant, facilitator_a):
    assert not Access.of(participant).has_workspace
    assert Access.of(facilitator_a).has_workspace


def test_an_anonymous_visitor_holds_nothing(group_a):
    from django.contrib.auth.models import AnonymousUser

    access = Access.of(AnonymousUser())
    assert not access.has_workspace
    assert not access.groups(Cap.GROUP_VIEW).exists()
