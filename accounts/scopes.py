"""What a signed-in person may see and change, as querysets.

Every back-office query goes through these functions, so one association's data
never leaks into another's and a facilitator sees only their own groups.
"""

from django.db.models import Q, QuerySet

from accounts.models import AssociationMembership, AssociationRole, GroupMembership, GroupRole
from directory.models import Association, Group


def coordinated_associations(user) -> QuerySet[Association]:
    """Associations the user coordinates, and those below them for a regional coordination."""
    if not user.is_authenticated:
        return Association.objects.none()
    if user.is_superuser:
        return Association.objects.all()
    direct = AssociationMembership.objects.filter(user=user, role=AssociationRole.COORDINATOR).values("association_id")
    return Association.objects.filter(Q(pk__in=direct) | Q(coordination_id__in=direct))


def editable_groups(user) -> QuerySet[Group]:
    if not user.is_authenticated:
        return Group.objects.none()
    if user.is_superuser:
        return Group.objects.all()
    facilitated = GroupMembership.objects.filter(user=user, role=GroupRole.FACILITATOR).values("group_id")
    return Group.objects.filter(Q(pk__in=facilitated) | Q(association__in=coordinated_associations(user)))


def has_back_office(user) -> bool:
    return user.is_active and (
        user.is_superuser
        or AssociationMembership.objects.filter(user=user, role=AssociationRole.COORDINATOR).exists()
        or GroupMembership.objects.filter(user=user, role=GroupRole.FACILITATOR).exists()
    )
