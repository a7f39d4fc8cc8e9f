"""Second-factor secrets are stored encrypted and never shown, not even to site administrators."""

import importlib

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.apps import apps
from django.core.management import call_command

from conftest import enrol_totp, totp_code
from privacy.models import AuditAction, AuditEvent
from privacy.tests.test_privacy import all_text_in_database

pytestmark = pytest.mark.django_db


def test_after_enrolling_totp_the_secret_is_in_no_table(participant):
    secret = enrol_totp(participant)
    seed = RecoveryCodes.activate(participant).instance
    dump = all_text_in_database()
    assert secret not in dump and secret.lower() not in dump
    codes = RecoveryCodes(seed).generate_codes()
    assert codes and not any(code in dump for code in codes)
    assert "seed" in Authenticator.objects.get(pk=seed.pk).data  # still readable through allauth
    assert TOTP(Authenticator.objects.get(type=Authenticator.Type.TOTP)).validate_code(totp_code(secret))


def test_second_factors_stored_in_clear_before_are_encrypted_by_the_migration(participant):
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    clear = Authenticator.objects.create(user=participant, type=Authenticator.Type.TOTP, data={"secret": secret})
    migration = importlib.import_module("accounts.migrations.0002_encrypt_mfa_secrets")

    migration.encrypt_secrets(apps, None)
    migration.encrypt_secrets(apps, None)  # running it again does not encrypt twice

    clear.refresh_from_db()
    assert clear.data["secret"] != secret and secret not in all_text_in_database()
    assert TOTP(clear).validate_code(totp_code(secret))


def test_rotating_the_encryption_keys_re_encrypts_second_factor_secrets(participant, settings):
    from cryptography.fernet import Fernet

    secret = enrol_totp(participant)
    before = Authenticator.objects.get().data["secret"]
    settings.CERCHIO_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *settings.CERCHIO_ENCRYPTION_KEYS]
    call_command("rotate_encryption_keys")
    settings.CERCHIO_ENCRYPTION_KEYS = settings.CERCHIO_ENCRYPTION_KEYS[:1]
    authenticator = Authenticator.objects.get()
    assert authenticator.data["secret"] != before
    assert TOTP(authenticator).validate_code(totp_code(secret))


def test_the_admin_shows_second_factors_without_their_secret_and_audits_the_look(client, site_admin, participant):
    secret = enrol_totp(participant)
    authenticator = Authenticator.objects.get(user=participant)
    stored = authenticator.data["secret"]
    client.force_login(site_admin)

    listing = client.get("/it/admin/mfa/authenticator/")
    page = client.get(f"/it/admin/mfa/authenticator/{authenticator.pk}/change/")

    assert listing.status_code == page.status_code == 200
    for body in (listing.content.decode(), page.content.decode()):
        assert secret not in body and stored not in body and "secret" not in body
    assert 'name="data"' not in page.content.decode()
    assert client.get("/it/admin/mfa/authenticator/add/").status_code == 403
    assert client.post(f"/it/admin/mfa/authenticator/{authenticator.pk}/change/", {"data": "{}"}).status_code == 403
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEWED, actor=site_admin, subject=participant, object_id=str(authenticator.pk)
    ).exists()


def test_an_administrator_removing_a_second_factor_is_audited(client, site_admin, participant):
    enrol_totp(participant)
    authenticator = Authenticator.objects.get(user=participant)
    client.force_login(site_admin)
    response = client.post(f"/it/admin/mfa/authenticator/{authenticator.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Authenticator.objects.filter(pk=authenticator.pk).exists()
    assert AuditEvent.objects.filter(action=AuditAction.MFA_REMOVED, actor=site_admin, subject=participant).exists()
