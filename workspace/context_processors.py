from network.access import Cap, access_for
from workspace.navigation import navigation_for


def workspace(request):
    """The workspace's navigation, on workspace pages only (public pages never pay for it)."""
    match = getattr(request, "resolver_match", None)
    if match is None or match.namespace != "workspace" or not request.user.is_authenticated:
        return {}
    access = access_for(request)
    return {
        "workspace_nav": navigation_for(access, request.path),
        # The groups whose meetings get a link to the facilitator's companion.
        "companion_groups": {pk for pk, caps in access.by_group.items() if Cap.GROUP_COMPANION in caps},
    }
