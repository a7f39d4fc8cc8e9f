"""Authentication events go to the audit log."""

from allauth.account.signals import email_added, password_changed, password_reset
from allauth.mfa.signals import authentication_failed as mfa_authentication_failed
from allauth.mfa.signals import authenticator_added, authenticator_removed, authenticator_reset
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from privacy.audit import audit
from privacy.models import AuditAction
from privacy.sealing import claim, pseudo_for


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit(AuditAction.LOGIN, actor=user, subject=user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit(AuditAction.LOGOUT, actor=user, subject=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # Only a reference to an existing account is kept, never the address typed.
    email = credentials.get("email") or credentials.get("username") or ""
    subject = get_user_model().objects.filter(email=pseudo_for(email)).first() if "@" in email else None
    audit(AuditAction.LOGIN_FAILED, subject=subject)


@receiver(email_added)
def _email_added(sender, request, user, email_address, **kwargs):
    claim(user=user)


@receiver(mfa_authentication_failed)
def _mfa_failed(sender, request, user, **kwargs):
    audit(AuditAction.LOGIN_FAILED, subject=user)


@receiver(authenticator_added)
def _mfa_added(sender, request, user, authenticator, **kwargs):
    audit(AuditAction.MFA_ADDED, actor=user, subject=user, target=authenticator)


@receiver(authenticator_removed)
def _mfa_removed(sender, request, user, authenticator, **kwargs):
    audit(AuditAction.MFA_REMOVED, actor=user, subject=user, target=authenticator)


@receiver(authenticator_reset)
def _mfa_reset(sender, request, user, authenticator, **kwargs):
    audit(AuditAction.MFA_RESET, actor=user, subject=user, target=authenticator)


@receiver(password_changed)
def _password_changed(sender, request, user, **kwargs):
    audit(AuditAction.PASSWORD_CHANGED, actor=user, subject=user)


@receiver(password_reset)
def _password_reset(sender, request, user, **kwargs):
    audit(AuditAction.PASSWORD_RESET, actor=user, subject=user)
