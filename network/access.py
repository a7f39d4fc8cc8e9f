"""Who may do what: named capabilities, from one table.

A role (a membership row) grants capabilities over its scope. `Access` answers, once
per request, which capabilities a person holds and over which associations and
groups; views declare the capability they need and fetch objects through
`Access.groups()` / `Access.associations()`, so an object outside the person's scope
simply does not exist for them (404).

A coordination (an association other associations point at, at any depth) sees its
member associations: it holds the read capabilities over them, never the write ones,
so each association stays in charge of its own groups.
"""

from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import Q, QuerySet

from network.models import Association, AssociationMembership, AssociationRole, Group, GroupMembership, GroupRole


class Cap(StrEnum):
    GROUP_VIEW = "group.view"
    GROUP_EDIT = "group.edit"
    GROUP_MANAGE_MEETINGS = "group.manage_meetings"
    GROUP_VIEW_ACTIVITY = "group.view_activity"
    ASSOCIATION_VIEW = "association.view"
    ASSOCIATION_MANAGE_GROUPS = "association.manage_groups"
    ASSOCIATION_INVITE_STAFF = "association.invite_staff"
    ASSOCIATION_VIEW_ACTIVITY = "association.view_activity"
    ASSOCIATION_VIEW_AUDIT = "association.view_audit"
    NETWORK_VIEW_MEETINGS = "network.view_meetings"
    NETWORK_VIEW_FIGURES = "network.view_figures"
    INTAKE_WORK = "intake.work"
    INTAKE_REFER = "intake.refer"
    # Themes are shared by the whole directory: how people also call them (variants, synonyms).
    THEMES_EDIT = "network.edit_themes"
    # The facilitator's companion for a meeting: counts, agreements, the private self-reflection.
    GROUP_COMPANION = "group.companion"


# The one table: role → capabilities over the role's scope.
ROLE_CAPABILITIES: dict[str, frozenset[Cap]] = {
    AssociationRole.COORDINATOR: frozenset(
        {
            Cap.ASSOCIATION_VIEW,
            Cap.ASSOCIATION_MANAGE_GROUPS,
            Cap.ASSOCIATION_INVITE_STAFF,
            Cap.ASSOCIATION_VIEW_ACTIVITY,
            # The audit log of its own association only: never a coordination's (see COORDINATION_CAPABILITIES).
            Cap.ASSOCIATION_VIEW_AUDIT,
            Cap.NETWORK_VIEW_MEETINGS,
            Cap.NETWORK_VIEW_FIGURES,
            Cap.THEMES_EDIT,
            Cap.INTAKE_WORK,
            Cap.GROUP_VIEW,
            Cap.GROUP_EDIT,
            Cap.GROUP_MANAGE_MEETINGS,
            Cap.GROUP_VIEW_ACTIVITY,
        }
    ),
    AssociationRole.INTAKE: frozenset(
        {Cap.ASSOCIATION_VIEW, Cap.INTAKE_WORK, Cap.GROUP_VIEW, Cap.NETWORK_VIEW_MEETINGS}
    ),
    AssociationRole.REFERRER: frozenset({Cap.INTAKE_REFER}),
    GroupRole.FACILITATOR: frozenset(
        {Cap.GROUP_VIEW, Cap.GROUP_EDIT, Cap.GROUP_MANAGE_MEETINGS, Cap.GROUP_VIEW_ACTIVITY, Cap.GROUP_COMPANION}
    ),
    GroupRole.PARTICIPANT: frozenset(),
}
# What a coordination holds over the associations below it, at any depth.
COORDINATION_CAPABILITIES = frozenset(
    {Cap.ASSOCIATION_VIEW, Cap.GROUP_VIEW, Cap.NETWORK_VIEW_MEETINGS, Cap.NETWORK_VIEW_FIGURES}
)
# Held only through one's own role in the group, never through an association or as a site
# administrator: the companion is the facilitator's own tool in the room, and holds their private
# self-reflection. Coordinators see the group's counts as figures instead.
OWN_ROLE_ONLY = frozenset({Cap.GROUP_COMPANION})
# Roles whose holders must use a second factor to sign in (site administrators too).
MFA_ROLES = frozenset({AssociationRole.COORDINATOR, AssociationRole.INTAKE})


def _descendants(association_ids: set[int]) -> set[int]:
    """Associations below the given ones, at any depth (the table is small: one query)."""
    children: dict[int, list[int]] = {}
    for pk, parent in Association.objects.exclude(coordination=None).values_list("pk", "coordination_id"):
        children.setdefault(parent, []).append(pk)
    found: set[int] = set()
    stack = list(association_ids)
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in found and child not in association_ids:
                found.add(child)
                stack.append(child)
    return found


@dataclass
class Access:
    """A person's capabilities, by association and by group. Build it with `Access.of(user)`."""

    is_superuser: bool = False
    by_association: dict[int, set[Cap]] = field(default_factory=dict)
    by_group: dict[int, set[Cap]] = field(default_factory=dict)
    association_roles: set[str] = field(default_factory=set)
    group_roles: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, user) -> "Access":
        if user is None or not user.is_authenticated or not user.is_active:
            return cls()
        access = cls(is_superuser=user.is_superuser)
        coordinated: set[int] = set()
        for association_id, role in AssociationMembership.objects.filter(user=user).values_list(
            "association_id", "role"
        ):
            access.association_roles.add(role)
            access.by_association.setdefault(association_id, set()).update(ROLE_CAPABILITIES.get(role, ()))
            if role == AssociationRole.COORDINATOR:
                coordinated.add(association_id)
        for association_id in _descendants(coordinated):
            access.by_association.setdefault(association_id, set()).update(COORDINATION_CAPABILITIES)
        for group_id, role in GroupMembership.objects.filter(user=user).values_list("group_id", "role"):
            access.group_roles.add(role)
            access.by_group.setdefault(group_id, set()).update(ROLE_CAPABILITIES.get(role, ()))
        return access

    # --- questions -------------------------------------------------------------

    def has(self, cap: Cap) -> bool:
        """Does the person hold the capability anywhere?"""
        if self.is_superuser and cap not in OWN_ROLE_ONLY:
            return True
        return any(cap in caps for caps in self.by_association.values()) or any(
            cap in caps for caps in self.by_group.values()
        )

    def has_any(self, *caps: Cap) -> bool:
        return any(self.has(cap) for cap in caps)

    def can(self, cap: Cap, obj: Association | Group) -> bool:
        """Does the person hold the capability over this association or group?"""
        if self.is_superuser and cap not in OWN_ROLE_ONLY:
            return True
        if isinstance(obj, Group):
            return cap in self.by_group.get(obj.pk, ()) or cap in self.by_association.get(obj.association_id, ())
        return cap in self.by_association.get(obj.pk, ())

    @property
    def has_workspace(self) -> bool:
        """Anyone with a role that grants something has a workspace."""
        return self.is_superuser or any(self.by_association.values()) or any(self.by_group.values())

    @property
    def requires_mfa(self) -> bool:
        return self.is_superuser or bool(self.association_roles & MFA_ROLES)

    @property
    def is_staff(self) -> bool:
        """Works on other people's data: the short idle timeout applies and erasure goes via the administrator."""
        return self.is_superuser or bool(self.association_roles) or GroupRole.FACILITATOR in self.group_roles

    # --- scoped querysets -------------------------------------------------------

    def association_ids(self, cap: Cap) -> set[int]:
        return {pk for pk, caps in self.by_association.items() if cap in caps}

    def associations(self, cap: Cap) -> QuerySet[Association]:
        if self.is_superuser and cap not in OWN_ROLE_ONLY:
            return Association.objects.all()
        return Association.objects.filter(pk__in=self.association_ids(cap))

    def groups(self, cap: Cap) -> QuerySet[Group]:
        """The groups over which the person holds `cap`: the one scoping function for groups."""
        if self.is_superuser and cap not in OWN_ROLE_ONLY:
            return Group.objects.all()
        group_ids = {pk for pk, caps in self.by_group.items() if cap in caps}
        return Group.objects.filter(Q(pk__in=group_ids) | Q(association_id__in=self.association_ids(cap)))


def access_for(request) -> Access:
    """The request's Access, computed once (the middleware sets it; tests and commands may not)."""
    access = getattr(request, "access", None)
    if access is None:
        access = Access.of(getattr(request, "user", None))
        request.access = access
    return access
