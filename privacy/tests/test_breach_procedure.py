"""The breach procedure of docs/privacy.md, followed step by step: nobody is locked out."""

import secrets

import pytest
from allauth.account.models import EmailAddress
from cryptography.fernet import Fernet
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Profile
from accounts.services import account_create
from conftest import PASSWORD, enrol_totp, totp_code
from network import services
from network.models import AssociationMembership, AssociationRole, Invitation
from privacy.subjects import subject_export, subject_index

pytestmark = pytest.mark.django_db
PEOPLE = {
    "lupo.solitario@example.org": "+39 333 1234567",
    "facilitatore.a@example.org": "+39 02 1234567",
    "coordinatrice@example.org": "+39 0372 123456",
}
INVITEE = "nuova.volontaria@example.org"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def people(association_x):
    accounts = {}
    for address, phone in PEOPLE.items():
        user = account_create(email=address, password=PASSWORD, is_staff="coordinatrice" in address)
        Profile.objects.create(user=user, nickname=address.split("@")[0], phone=phone, notes="la sera")
        accounts[address] = user
    coordinator = accounts["coordinatrice@example.org"]
    AssociationMembership.objects.create(user=coordinator, association=association_x, role=AssociationRole.COORDINATOR)
    totp_secret = enrol_totp(coordinator)
    services.invitation_send(association=association_x, role="intake", email=INVITEE, by=coordinator)
    return accounts, totp_secret


def _sign_in(client, address: str, totp_secret: str | None = None) -> bool:
    client.logout()
    response = client.post("/it/accounts/login/", {"login": address, "password": PASSWORD})
    if totp_secret and response.get("Location") == reverse("mfa_authenticate"):
        client.post(reverse("mfa_authenticate"), {"code": totp_code(totp_secret)})
    return "_auth_user_id" in client.session


def test_after_rotating_all_three_keys_as_documented_everyone_signs_in_and_contact_details_decrypt(
    client, settings, people, capsys
):
    accounts, totp_secret = people
    client.force_login(accounts["lupo.solitario@example.org"])
    assert client.get("/it/accounts/profile/").status_code == 200

    # Step 2.2: a new SECRET_KEY ends every session.
    settings.SECRET_KEY = secrets.token_urlsafe(50)
    assert client.get("/it/accounts/profile/").status_code == 302

    # Step 2.3: a new encryption key first, rotate_encryption_keys, then only the new key.
    new_encryption_key = Fernet.generate_key().decode()
    settings.CERCHIO_ENCRYPTION_KEYS = [new_encryption_key, *settings.CERCHIO_ENCRYPTION_KEYS]
    call_command("rotate_encryption_keys")
    settings.CERCHIO_ENCRYPTION_KEYS = [new_encryption_key]

    # Step 2.4: a new blind-index key first, rotate_blind_index_key, then only the new key.
    new_blind_index_key = secrets.token_urlsafe(48)
    settings.CERCHIO_BLIND_INDEX_KEYS = [new_blind_index_key, *settings.CERCHIO_BLIND_INDEX_KEYS]
    call_command("rotate_blind_index_key")
    assert "the older keys can be removed" in capsys.readouterr().out
    settings.CERCHIO_BLIND_INDEX_KEYS = [new_blind_index_key]

    # Step 2.5: everyone signs in with their e-mail and password (and second factor).
    for address, user in accounts.items():
        secret = totp_secret if address == "coordinatrice@example.org" else None
        assert _sign_in(client, address, secret), address
        assert client.session["_auth_user_id"] == str(user.pk)
        assert Profile.objects.get(user=user).phone == PEOPLE[address]
    client.force_login(accounts["lupo.solitario@example.org"])
    assert "lupo.solitario@example.org" in client.get("/it/accounts/email/").content.decode()
    assert EmailAddress.objects.count() == len(PEOPLE)
    # The invitee's address still decrypts and their data is still found by their address.
    assert Invitation.objects.get().email == INVITEE
    assert subject_export(index=subject_index(INVITEE))["data"]
