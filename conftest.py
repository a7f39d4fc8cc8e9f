"""Shared fixtures: fast hashing, the gazetteer loaded once, and the personas."""

import time

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from allauth.mfa.totp.internal.auth import app_settings as totp_settings

from accounts.services import account_create
from directory.places import load_gazetteer
from network.models import AssociationMembership, AssociationRole, GroupMembership, GroupRole
from network.tests.factories import AssociationFactory, GroupFactory


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # The gazetteer is reference data: load it once per test database.
    with django_db_blocker.unblock():
        load_gazetteer()


PASSWORD = "pw-for-tests"


def _user(email: str, **extra):
    return account_create(email=email, password=PASSWORD, **extra)


def enrol_totp(user) -> str:
    """Give a person a TOTP second factor; returns its secret so tests can make codes."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def totp_code(secret: str, *, valid_for: float = 2.0) -> str:
    """The code an authenticator app shows, once it stays valid for `valid_for` more seconds.

    A code is good only for its own 30-second period: a code made just before the period ends
    would be refused by the time a browser journey has typed it, so wait for the next period.
    """
    period = totp_settings.TOTP_PERIOD
    left = period - time.time() % period
    if left < valid_for:
        time.sleep(left + 0.05)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


@pytest.fixture
def association_x(db):
    return AssociationFactory(name="AMA X", slug="ama-x")


@pytest.fixture
def association_y(db):
    return AssociationFactory(name="AMA Y", slug="ama-y")


@pytest.fixture
def group_a(association_x):
    return GroupFactory(association=association_x, name="Gruppo A", slug="gruppo-a")


@pytest.fixture
def group_b(association_x):
    return GroupFactory(association=association_x, name="Gruppo B", slug="gruppo-b")


@pytest.fixture
def group_y(association_y):
    return GroupFactory(association=association_y, name="Gruppo Y", slug="gruppo-y")


@pytest.fixture
def facilitator_a(group_a):
    user = _user("facilitatore.a@example.org", is_staff=True)
    GroupMembership.objects.create(user=user, group=group_a, role=GroupRole.FACILITATOR)
    return user


@pytest.fixture
def facilitator_b(group_b):
    user = _user("facilitatore.b@example.org", is_staff=True)
    GroupMembership.objects.create(user=user, group=group_b, role=GroupRole.FACILITATOR)
    return user


@pytest.fixture
def coordinator_x(association_x):
    user = _user("coordinatore.x@example.org", is_staff=True)
    AssociationMembership.objects.create(user=user, association=association_x, role=AssociationRole.COORDINATOR)
    enrol_totp(user)
    return user


@pytest.fixture
def coordinator_y(association_y):
    user = _user("coordinatore.y@example.org", is_staff=True)
    AssociationMembership.objects.create(user=user, association=association_y, role=AssociationRole.COORDINATOR)
    enrol_totp(user)
    return user


@pytest.fixture
def site_admin(db):
    user = _user("admin@example.org", is_staff=True, is_superuser=True)
    enrol_totp(user)
    return user


@pytest.fixture
def intake_operator(association_x):
    user = _user("accoglienza.x@example.org", is_staff=True)
    AssociationMembership.objects.create(user=user, association=association_x, role=AssociationRole.INTAKE)
    enrol_totp(user)
    return user


@pytest.fixture
def referrer_x(association_x):
    """A referring professional (a social worker, a clinic) known to association X."""
    user = _user("servizio.x@example.org")
    AssociationMembership.objects.create(user=user, association=association_x, role=AssociationRole.REFERRER)
    return user


@pytest.fixture
def participant(group_a):
    """A pseudonymous participant: an e-mail and a nickname, nothing else."""
    user = _user("lupo.solitario@example.org")
    GroupMembership.objects.create(user=user, group=group_a, role=GroupRole.PARTICIPANT)
    return user


@pytest.fixture
def outsider(db):
    """Signed in, but with no role anywhere."""
    return _user("outsider@example.org", is_staff=True)
