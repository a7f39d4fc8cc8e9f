"""Signing in, second factor, password reset, brute force, sessions and security headers."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from allauth.usersessions.models import UserSession
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import reverse

from accounts.services import account_create
from conftest import PASSWORD, enrol_totp, totp_code
from network.models import AssociationMembership, AssociationRole
from notifications.delivery import deliver_due
from privacy.models import AuditAction, AuditEvent
from privacy.sealing import pseudo_for, unseal

LOGIN_URL = "/it/accounts/login/"
PROFILE_URL = "/it/accounts/profile/"
NEW_PASSWORD = "Girasole-Nebbia-2847"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    # Rate limits live in the cache (a database table): every test starts from zero.
    cache.clear()
    yield
    cache.clear()


def _make_user(email: str, **extra):
    return account_create(email=email, password=PASSWORD, **extra)


@pytest.fixture
def new_coordinator(association_x):
    """A coordinator who has not set up a second factor yet."""
    user = _make_user("nuovo.coordinatore@example.org", is_staff=True)
    AssociationMembership.objects.create(user=user, association=association_x, role=AssociationRole.COORDINATOR)
    return user


@pytest.fixture
def coordinator_with_totp(new_coordinator):
    """A coordinator with TOTP; returns (user, secret) so tests can make codes."""
    return new_coordinator, enrol_totp(new_coordinator)


def _login(client, email: str, password: str):
    # People type their real address; accounts hold it only sealed.
    return client.post(LOGIN_URL, {"login": unseal(email), "password": password})


def _signed_in_id(client):
    return client.session.get("_auth_user_id")


def _mfa_authenticate_url():
    return reverse("mfa_authenticate")


# --- 1. Login by e-mail and its audit trail --------------------------------------------------------


def test_a_participant_signs_in_with_email_and_password_and_the_login_is_audited(client, participant):
    response = _login(client, participant.email, PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == PROFILE_URL
    assert _signed_in_id(client) == str(participant.pk)
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, actor=participant, subject=participant).count() == 1


def test_a_wrong_password_shows_an_italian_error_and_audits_the_failure_without_the_email(client, participant):
    response = _login(client, participant.email, "not-the-password")

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "non sono corretti" in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.LOGIN).exists()

    failed = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert failed.subject == participant
    assert failed.actor is None
    for field in AuditEvent._meta.concrete_fields:
        value = str(getattr(failed, field.attname))
        assert "@" not in value, f"{field.name} holds an e-mail address: {value!r}"
        assert participant.email not in value and unseal(participant.email) not in value


def test_a_wrong_password_for_an_unknown_address_is_audited_with_no_subject(client, participant):
    response = _login(client, "nessuno@example.org", "not-the-password")

    assert response.status_code == 200
    failed = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert failed.subject is None
    assert failed.object_type == ""
    assert failed.object_id == ""


# --- 2. Brute force ---------------------------------------------------------------------------------


def test_after_five_failures_even_the_right_password_is_refused_until_the_window_passes(client, participant):
    with time_machine.travel(datetime(2026, 3, 2, 10, 0, tzinfo=UTC)) as traveller:
        for _attempt in range(5):
            response = _login(client, participant.email, "wrong-password-guess")
            assert response.status_code == 200
            assert "non sono corretti" in response.content.decode()

        # allauth refuses with a form error on the login page (not a 429).
        response = _login(client, participant.email, PASSWORD)
        assert response.status_code == 200
        assert "Troppi tentativi di accesso" in response.content.decode()
        assert "_auth_user_id" not in client.session
        assert not AuditEvent.objects.filter(action=AuditAction.LOGIN).exists()

        traveller.shift(timedelta(minutes=6))
        response = _login(client, participant.email, PASSWORD)
        assert response.status_code == 302
        assert _signed_in_id(client) == str(participant.pk)


def test_the_lockout_concerns_one_account_and_not_the_others(client, participant, facilitator_a):
    for _attempt in range(5):
        _login(client, participant.email, "wrong-password-guess")

    response = _login(client, facilitator_a.email, PASSWORD)

    assert response.status_code == 302
    assert _signed_in_id(client) == str(facilitator_a.pk)


# --- 3. Second factor is required for some roles ---------------------------------------------------


@pytest.mark.parametrize("path", ["/it/", "/it/admin/"])
def test_a_coordinator_without_a_second_factor_is_sent_to_set_one_up(client, new_coordinator, path):
    response = _login(client, new_coordinator.email, PASSWORD)
    assert response.status_code == 302
    assert _signed_in_id(client) == str(new_coordinator.pk)

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    assert response["Location"].startswith("/it/accounts/")


def test_that_coordinator_can_reach_the_setup_page_after_confirming_the_password(client, new_coordinator):
    _login(client, new_coordinator.email, PASSWORD)
    activate_url = reverse("mfa_activate_totp")

    # allauth asks to confirm the password before adding a second factor; that page is not blocked.
    response = client.get(activate_url)
    assert response.status_code == 302
    reauthenticate_url = response["Location"]
    assert reauthenticate_url.startswith(reverse("account_reauthenticate"))
    assert client.get(reauthenticate_url).status_code == 200

    response = client.post(reauthenticate_url, {"password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == activate_url

    response = client.get(activate_url)
    assert response.status_code == 200
    assert 'name="code"' in response.content.decode()


def test_a_participant_is_not_asked_for_a_second_factor(client, participant):
    _login(client, participant.email, PASSWORD)

    response = client.get("/it/")

    assert response.status_code == 200


def test_in_demo_mode_the_demo_coordinator_without_a_second_factor_is_let_through(client, new_coordinator, settings):
    settings.CERCHIO_DEMO = True
    type(new_coordinator).objects.filter(pk=new_coordinator.pk).update(username="demo-coordinator")
    _login(client, new_coordinator.email, PASSWORD)

    response = client.get("/it/")

    assert response.status_code == 200


def test_in_demo_mode_other_coordinators_still_need_a_second_factor(client, new_coordinator, settings):
    settings.CERCHIO_DEMO = True
    _login(client, new_coordinator.email, PASSWORD)

    response = client.get("/it/")

    assert response.status_code == 302


# --- 4. Signing in with a second factor --------------------------------------------------------


def test_a_coordinator_with_totp_needs_the_right_code_after_the_password(client, coordinator_with_totp):
    user, secret = coordinator_with_totp

    response = _login(client, user.email, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == _mfa_authenticate_url()
    assert "_auth_user_id" not in client.session
    assert not AuditEvent.objects.filter(action=AuditAction.LOGIN).exists()

    # Skipping the second step does not open the profile.
    response = client.get(PROFILE_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_URL)

    wrong_code = f"{(int(totp_code(secret)) + 1) % 1_000_000:06d}"
    response = client.post(_mfa_authenticate_url(), {"code": wrong_code})
    assert response.status_code == 200
    assert "Codice errato" in response.content.decode()
    assert "_auth_user_id" not in client.session
    failed = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert failed.subject == user

    response = client.post(_mfa_authenticate_url(), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert response["Location"] == "/it/workspace/"  # people with a role land in their workspace
    assert _signed_in_id(client) == str(user.pk)
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, subject=user).count() == 1


def test_the_coordinator_persona_is_asked_for_the_second_factor(client, coordinator_x):
    response = _login(client, coordinator_x.email, PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == _mfa_authenticate_url()
    assert "_auth_user_id" not in client.session


# --- 5. Password reset ----------------------------------------------------------------------------


def test_a_password_reset_does_not_sign_in_nor_skip_the_second_factor_and_its_link_works_once(
    client, coordinator_with_totp, mailoutbox
):
    user, _secret = coordinator_with_totp

    response = client.post(reverse("account_reset_password"), {"email": "nuovo.coordinatore@example.org"})
    assert response.status_code == 302
    assert len(mailoutbox) == 0  # the link waits in the outbox, encrypted, for the worker
    deliver_due(worker_id="test")
    assert len(mailoutbox) == 1
    # The message goes to the real address, which the database holds only sealed.
    assert mailoutbox[0].to == ["nuovo.coordinatore@example.org"]
    match = re.search(r"https?://[^/\s]+(/\S*/password/reset/key/\S+/)", mailoutbox[0].body)
    assert match, mailoutbox[0].body
    link = match.group(1)

    response = client.get(link)
    assert response.status_code == 302
    set_password_url = response["Location"]
    assert set_password_url.endswith("-set-password/")
    assert set_password_url != link

    response = client.post(set_password_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_from_key_done")
    assert "_auth_user_id" not in client.session
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(action=AuditAction.PASSWORD_RESET, subject=user).exists()

    response = _login(client, user.email, PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session

    response = _login(client, user.email, NEW_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == _mfa_authenticate_url()
    assert "_auth_user_id" not in client.session

    other = client.__class__()
    response = other.get(link)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Token non valido" in body
    assert "non è valido" in body
    assert 'name="password1"' not in body


# --- 6. Session lifetime ---------------------------------------------------------------------------

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_a_facilitator_idle_for_31_minutes_is_signed_out(client, facilitator_a):
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(facilitator_a)
        assert client.get(PROFILE_URL).status_code == 200

        traveller.shift(timedelta(minutes=31))
        response = client.get(PROFILE_URL)

        assert response.status_code == 302
        assert response["Location"] == f"{LOGIN_URL}?next={PROFILE_URL}"
        assert "_auth_user_id" not in client.session
        assert client.get(PROFILE_URL).status_code == 302
        assert AuditEvent.objects.filter(action=AuditAction.LOGOUT, subject=facilitator_a).exists()


def test_a_facilitator_active_every_20_minutes_stays_signed_in(client, facilitator_a):
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(facilitator_a)
        for _step in range(6):
            assert client.get(PROFILE_URL).status_code == 200
            traveller.shift(timedelta(minutes=20))
        assert client.get(PROFILE_URL).status_code == 200
        assert _signed_in_id(client) == str(facilitator_a.pk)


def test_a_participant_idle_for_31_minutes_stays_signed_in(client, participant):
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(participant)
        assert client.get(PROFILE_URL).status_code == 200

        traveller.shift(timedelta(minutes=31))
        response = client.get(PROFILE_URL)

        assert response.status_code == 200
        assert _signed_in_id(client) == str(participant.pk)


def test_an_active_facilitator_is_signed_out_after_twelve_hours(client, facilitator_a):
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(facilitator_a)
        for _step in range(12 * 3):
            assert client.get(PROFILE_URL).status_code == 200
            traveller.shift(timedelta(minutes=20))
        # Exactly twelve hours after the first request: still in.
        assert client.get(PROFILE_URL).status_code == 200

        traveller.shift(timedelta(minutes=1))
        response = client.get(PROFILE_URL)

        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN_URL)
        assert "_auth_user_id" not in client.session


def test_a_participant_is_signed_out_after_twelve_hours_even_if_active(client, participant):
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(participant)
        for _step in range(12):
            assert client.get(PROFILE_URL).status_code == 200
            traveller.shift(timedelta(hours=1))

        traveller.shift(timedelta(minutes=1))
        response = client.get(PROFILE_URL)

        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN_URL)
        assert "_auth_user_id" not in client.session


# --- 7. A person's own sessions ---------------------------------------------------------------------


def test_a_person_can_see_their_own_sessions(client, participant):
    _login(client, participant.email, PASSWORD)
    assert UserSession.objects.filter(user=participant).count() == 1

    response = client.get(reverse("usersessions_list"))

    assert response.status_code == 200
    assert response.request["PATH_INFO"] == "/it/accounts/sessions/"


def test_the_sessions_page_asks_an_anonymous_visitor_to_sign_in(client):
    response = client.get("/it/accounts/sessions/")

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_URL)


# --- 8. Sign-up passwords -------------------------------------------------------------------------


def _signup(client, email: str, password: str):
    return client.post(reverse("account_signup"), {"email": email, "password1": password, "password2": password})


def test_sign_up_with_a_common_password_is_refused_in_italian(client, db):
    response = _signup(client, "nuova.persona@example.org", "password1234")

    assert response.status_code == 200
    assert "troppo comune" in response.content.decode()
    assert not get_user_model().objects.filter(email=pseudo_for("nuova.persona@example.org")).exists()


def test_sign_up_with_a_short_password_is_refused_in_italian(client, db):
    response = _signup(client, "nuova.persona@example.org", "Ab3$xq")

    assert response.status_code == 200
    assert not get_user_model().objects.filter(email=pseudo_for("nuova.persona@example.org")).exists()
    body = response.content.decode()
    assert "too short" not in body
    assert "troppo corta" in body


def test_sign_up_with_a_good_password_creates_a_user_whose_username_hides_the_email(client, db):
    response = _signup(client, "nuova.persona@example.org", NEW_PASSWORD)

    assert response.status_code == 302
    user = get_user_model().objects.get(email=pseudo_for("nuova.persona@example.org"))
    assert unseal(user.email) == "nuova.persona@example.org"
    assert re.fullmatch(r"u-[0-9a-f]{16}", user.username)
    assert "nuova" not in user.username
    assert "@" not in user.username
    assert user.check_password(NEW_PASSWORD)


# --- 9. Caching of personal pages ---------------------------------------------------------------


def test_the_profile_page_is_never_stored_by_caches(client, participant):
    client.force_login(participant)

    response = client.get(PROFILE_URL)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_the_login_page_is_never_stored_by_caches(client, db):
    response = client.get(LOGIN_URL)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_the_public_home_may_be_cached_for_an_anonymous_visitor(client, db):
    response = client.get("/it/")

    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_the_public_home_is_not_cached_for_a_signed_in_person(client, participant):
    client.force_login(participant)

    response = client.get("/it/")

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


# --- 10. Security headers ----------------------------------------------------------------------


def test_pages_carry_a_strict_content_security_policy_and_other_security_headers(client, db):
    response = client.get("/it/")

    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
