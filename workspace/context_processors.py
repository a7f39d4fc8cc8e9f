from network.access import access_for
from workspace.navigation import navigation_for


def workspace(request):
    """The workspace's navigation, on workspace pages only (public pages never pay for it)."""
    match = getattr(request, "resolver_match", None)
    if match is None or match.namespace != "workspace" or not request.user.is_authenticated:
        return {}
    return {"workspace_nav": navigation_for(access_for(request), request.path)}
