import secrets

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.urls import reverse

from privacy import crypto
from privacy.sealing import claim, seal, unseal


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

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # The real address is decrypted only here, to hand the message to the mail server.
        super().send_mail(template_prefix, unseal(email), context)


class MFAAdapter(DefaultMFAAdapter):
    """Second-factor secrets (TOTP keys, recovery-code seeds) are stored encrypted like contact details."""

    def encrypt(self, text: str) -> str:
        return crypto.encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return crypto.decrypt(encrypted_text)
