"""How workspace views declare what they need."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.views.decorators.http import require_http_methods

from network.access import Cap, access_for
from privacy.audit import audit_refused_page


def workspace_view(cap: Cap | None = None, *, methods: tuple[str, ...] = ("GET",)) -> Callable:
    """Sign-in required; then the capability (held anywhere: objects are scoped in the view).

    Without a role the workspace answers 403; objects outside the person's scope
    answer 404 through `workspace.scoping`.
    """

    # HEAD works wherever GET does (link checkers, monitors); it runs the GET branch.
    allowed = [*methods, "HEAD"] if "GET" in methods and "HEAD" not in methods else list(methods)

    def decorate(view: Callable) -> Callable:
        @require_http_methods(allowed)
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            access = access_for(request)
            if not access.has_workspace or (cap is not None and not access.has(cap)):
                audit_refused_page(request)
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.capability = cap
        return wrapper

    return decorate
