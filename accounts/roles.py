"""Questions about a person's roles, asked by middleware, rules and views."""

from accounts.models import MFA_ROLES, AssociationMembership, GroupMembership, GroupRole


def requires_mfa(user) -> bool:
    """Site administrators, coordinators and intake operators must use a second factor."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or AssociationMembership.objects.filter(user=user, role__in=MFA_ROLES).exists()


def is_staff_role(user) -> bool:
    """Anyone who works on other people's data: the short idle timeout applies."""
    if not user.is_authenticated:
        return False
    return (
        user.is_superuser
        or user.is_staff
        or AssociationMembership.objects.filter(user=user).exists()
        or GroupMembership.objects.filter(user=user, role=GroupRole.FACILITATOR).exists()
    )
