import json
import secrets

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language

from accounts import throttle
from accounts.messages import ACCOUNT_MAIL
from lib.client import client_ip
from notifications.services import message_enqueue
from privacy import crypto
from privacy.sealing import claim, seal, unseal


def _login_of(credentials: dict) -> str:
    return credentials.get("email") or credentials.get("username") or ""


class AccountAdapter(DefaultAccountAdapter):
    def populate_username(self, request, user):
        # Usernames are internal only; deriving them from the e-mail would copy it in clear.
        user.username = f"u-{secrets.token_hex(8)}"

    def get_login_redirect_url(self, request):
        # People with a role land in their workspace (request.access is set by network's middleware).
        access = getattr(request, "access", None)
        if access is not None and access.has_workspace:
            return reverse("workspace:home")
        return super().get_login_redirect_url(request)

    def is_open_for_signup(self, request):
        return True

    def clean_email(self, email: str) -> str:
        # Every address a form accepts is sealed before allauth stores or compares it.
        return seal(super().clean_email(email))

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            claim(user=user)
        return user

    def get_client_ip(self, request) -> str:
        # One answer everywhere (rate limits, the sessions page): only declared proxies are believed.
        return client_ip(request)

    def pre_authenticate(self, request, **credentials) -> None:
        # Before allauth's per-client count: the (account, client) pair and the account-wide limit.
        if not throttle.password_allowed(request, _login_of(credentials)):
            raise self.validation_error("too_many_login_attempts")
        super().pre_authenticate(request, **credentials)

    def authentication_failed(self, request, **credentials) -> None:
        super().authentication_failed(request, **credentials)
        throttle.password_failed(request, _login_of(credentials))

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # allauth's mails (confirmation, reset, "you already have an account") go through the outbox
        # like every other: the request does the same work whether or not the address has an account,
        # and a slow mail server neither shows in the response time nor loses a message.
        from allauth.core import context as allauth_context
        from django.contrib.sites.shortcuts import get_current_site

        request = allauth_context.request
        address = unseal(email)
        rendered = self.render_mail(
            template_prefix,
            address,
            {"request": request, "email": address, "current_site": get_current_site(request), **context},
        )
        html = next((body for body, kind in getattr(rendered, "alternatives", []) if kind == "text/html"), "")
        message_enqueue(
            kind=ACCOUNT_MAIL,
            key=secrets.token_hex(16),
            to=address,
            language=get_language() if get_language() in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE,
            # The mail may carry a one-time link: it waits in the outbox encrypted, never in clear.
            context={
                "sealed": crypto.encrypt(json.dumps({"subject": rendered.subject, "text": rendered.body, "html": html}))
            },
        )


class MFAAdapter(DefaultMFAAdapter):
    """Second-factor secrets (TOTP keys, recovery-code seeds) are stored encrypted like contact details."""

    def encrypt(self, text: str) -> str:
        return crypto.encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return crypto.decrypt(encrypted_text)
