import secrets

from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse

from accounts import throttle
from lib.client import client_ip
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
        # The real address is decrypted only here, to hand the message to the mail server.
        super().send_mail(template_prefix, unseal(email), context)
