from django.apps import apps
from django.utils.cache import add_never_cache_headers

from privacy.audit import audit
from privacy.models import AuditAction


class NoStoreForPersonalPagesMiddleware:
    """Pages shown to a signed-in person, and account pages, are never cached anywhere."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or "/accounts/" in request.path or "/admin/" in request.path:
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
        return response


# Pages that show personal data and are not Cerchio's own views, by URL name prefix →
# the model they show: the second-factor pages (allauth's, a person's own) and the
# back office's second factors and roles (who belongs to which group).
AUDITED_PAGES = {
    "mfa_": "mfa.authenticator",
    "admin:mfa_authenticator_": "mfa.authenticator",
    "admin:network_associationmembership_": "network.associationmembership",
    "admin:network_groupmembership_": "network.groupmembership",
}


class AuditPersonalPagesMiddleware:
    """Logs each page of `AUDITED_PAGES` that was shown (GET, 200) as a VIEWED audit event."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        user = getattr(request, "user", None)
        if (
            match is None
            or request.method != "GET"
            or response.status_code != 200
            or user is None
            or not user.is_authenticated
        ):
            return response
        label = next((label for prefix, label in AUDITED_PAGES.items() if match.view_name.startswith(prefix)), None)
        if label is not None:
            self._log(request, user, label, match)
        return response

    def _log(self, request, user, label: str, match) -> None:
        object_id = match.kwargs.get("object_id") or match.kwargs.get("pk")
        if object_id is None:
            # A list, or a person's own second-factor page.
            subject = None if match.view_name.startswith("admin:") else user
            audit(AuditAction.VIEWED, actor=user, subject=subject, object_type=label, object_id=match.view_name)
            return
        try:
            obj = apps.get_model(label).objects.filter(pk=object_id).select_related("user").first()
        except (TypeError, ValueError):
            obj = None
        group = getattr(obj, "group", None)
        audit(
            AuditAction.VIEWED,
            actor=user,
            subject=getattr(obj, "user", None),
            object_type=label,
            object_id=str(object_id),
            association_id=getattr(obj, "association_id", None) or getattr(group, "association_id", None),
        )
