"""Object permissions (django-rules): who may view or change which object.

Querysets are scoped in accounts/scopes.py; these predicates answer the same
question for one object, so a view can declare the permission it needs.
"""

import rules

from accounts.scopes import coordinated_associations, editable_groups


@rules.predicate
def facilitates_or_coordinates_group(user, group) -> bool:
    return group is not None and editable_groups(user).filter(pk=group.pk).exists()


@rules.predicate
def coordinates_association(user, association) -> bool:
    return association is not None and coordinated_associations(user).filter(pk=association.pk).exists()


@rules.predicate
def coordinates_group_association(user, group) -> bool:
    return group is not None and coordinated_associations(user).filter(pk=group.association_id).exists()


rules.add_perm("directory.view_group", facilitates_or_coordinates_group)
rules.add_perm("directory.change_group", facilitates_or_coordinates_group)
rules.add_perm("directory.delete_group", coordinates_group_association)
rules.add_perm("directory.view_association", coordinates_association)
rules.add_perm("directory.change_association", coordinates_association)
