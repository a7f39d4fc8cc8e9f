"""Per request: the person's capabilities, session limits for staff, and the second factor."""

import time

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from network.access import Access

# Only the demo's own staff accounts may skip the second factor, and only in demo mode.
DEMO_USERNAME_PREFIX = "demo-"


class AccessMiddleware:
    """Computes `request.access` once, lazily; ends staff sessions after 30 idle minutes
    and every session after 12 hours; sends staff without a second factor to set one up.
    """

    allowed_prefixes = ("/accounts/", "/static/", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.access = SimpleLazyObject(lambda: Access.of(getattr(request, "user", None)))
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            expired = self._session_expired(request)
            if expired is not None:
                return expired
            if self._needs_mfa(request, user):
                messages.warning(request, _("Per il tuo ruolo serve la verifica in due passaggi: attivala ora."))
                return redirect("mfa_activate_totp")
        return self.get_response(request)

    def _session_expired(self, request):
        now = time.time()
        started = request.session.setdefault("cerchio_started", now)
        last_seen = request.session.get("cerchio_seen", now)
        idle_limit = settings.CERCHIO_STAFF_IDLE_SECONDS if request.access.is_staff else None
        if now - started > settings.CERCHIO_SESSION_ABSOLUTE_SECONDS or (
            idle_limit is not None and now - last_seen > idle_limit
        ):
            logout(request)
            messages.info(request, _("La sessione è scaduta: accedi di nuovo."))
            return redirect(f"{reverse('account_login')}?next={request.path}")
        request.session["cerchio_seen"] = now
        return None

    def _needs_mfa(self, request, user) -> bool:
        if settings.CERCHIO_DEMO and user.username.startswith(DEMO_USERNAME_PREFIX):
            return False
        path = request.path
        stripped = path[3:] if path[:4] in ("/it/", "/en/") else path
        if stripped.startswith(self.allowed_prefixes):
            return False
        return (
            request.access.requires_mfa
            and not Authenticator.objects.filter(
                user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
            ).exists()
        )
