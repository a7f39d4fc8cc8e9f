import time

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.roles import is_staff_role, requires_mfa

# Only the demo's own staff accounts may skip the second factor, and only in demo mode.
DEMO_USERNAME_PREFIX = "demo-"


class SessionLifetimeMiddleware:
    """Staff sessions end after 30 idle minutes; every session ends after 12 hours."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            started = request.session.setdefault("cerchio_started", now)
            last_seen = request.session.get("cerchio_seen", now)
            idle_limit = settings.CERCHIO_STAFF_IDLE_SECONDS if is_staff_role(user) else None
            if now - started > settings.CERCHIO_SESSION_ABSOLUTE_SECONDS or (
                idle_limit is not None and now - last_seen > idle_limit
            ):
                logout(request)
                messages.info(request, _("La sessione è scaduta: accedi di nuovo."))
                return redirect(f"{reverse('account_login')}?next={request.path}")
            request.session["cerchio_seen"] = now
        return self.get_response(request)


class RequireMFAMiddleware:
    """People with staff roles must set up a second factor before anything else.

    In demo mode (never in production) the demo staff accounts may skip it.
    """

    allowed_prefixes = ("/accounts/", "/static/", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not (settings.CERCHIO_DEMO and user.username.startswith(DEMO_USERNAME_PREFIX))
            and not self._allowed(request.path)
            and requires_mfa(user)
            and not Authenticator.objects.filter(
                user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
            ).exists()
        ):
            messages.warning(request, _("Per il tuo ruolo serve la verifica in due passaggi: attivala ora."))
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    def _allowed(self, path: str) -> bool:
        stripped = path[3:] if path[:4] in ("/it/", "/en/") else path
        return stripped.startswith(self.allowed_prefixes)
