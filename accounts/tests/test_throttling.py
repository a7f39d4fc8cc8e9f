"""Failed sign-ins slow down the client that fails, never the account holder on their own device."""

import pytest
from allauth.usersessions.models import UserSession
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.services import account_create
from conftest import PASSWORD, enrol_totp, totp_code
from lib.client import client_ip

LOGIN_URL = "/it/accounts/login/"
TOO_MANY = "Troppi tentativi"
VICTIM_IP = "203.0.113.5"
PROXY_IP = "10.0.0.2"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _login(client, login: str, password: str):
    return client.post(LOGIN_URL, {"login": login, "password": password})


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def _refused(response) -> bool:
    # Too many attempts of any kind answer 429; too many failures, an error on the form.
    return response.status_code == 429 or TOO_MANY in response.content.decode()


def _wrong_code(secret: str) -> str:
    return f"{(int(totp_code(secret)) + 1) % 1_000_000:06d}"


def test_the_victim_signs_in_while_an_attacker_keeps_failing_from_another_client(participant):
    address = "lupo.solitario@example.org"
    attacker = Client(REMOTE_ADDR="198.51.100.66")
    for _attempt in range(12):
        _login(attacker, address, "wrong-password-guess")
    assert TOO_MANY in _login(attacker, address, PASSWORD).content.decode()  # the attacker is slowed down

    # Many more clients fail once each: the account is under attack from everywhere.
    for number in range(60):
        _login(Client(REMOTE_ADDR=f"198.51.100.{100 + number}"), address, "wrong-password-guess")

    victim = Client(REMOTE_ADDR=VICTIM_IP)
    response = _login(victim, address, PASSWORD)

    assert response.status_code == 302
    assert _signed_in(victim)


def test_once_an_account_is_under_attack_a_client_that_failed_on_it_waits(participant):
    address = "lupo.solitario@example.org"
    for number in range(60):
        _login(Client(REMOTE_ADDR=f"198.51.100.{100 + number}"), address, "wrong-password-guess")

    # One of the guessing clients now has the right password: it is refused for the rest of the window.
    response = _login(Client(REMOTE_ADDR="198.51.100.100"), address, PASSWORD)

    assert TOO_MANY in response.content.decode()


def test_ten_clients_behind_one_trusted_proxy_are_limited_separately(participant, settings):
    settings.CERCHIO_TRUSTED_PROXIES = 1
    clients = [Client(REMOTE_ADDR=PROXY_IP, HTTP_X_FORWARDED_FOR=f"192.0.2.{number + 1}") for number in range(10)]
    # Together they fail often (mistyped addresses), each within its own allowance.
    for number, client in enumerate(clients):
        for attempt in range(4):
            _login(client, f"nessuno.{number}.{attempt}@example.org", "wrong-password-guess")
    # One of them keeps failing until it is slowed down...
    noisy = clients[0]
    for attempt in range(26):
        _login(noisy, f"ancora.{attempt}@example.org", "wrong-password-guess")
    assert _refused(_login(noisy, "lupo.solitario@example.org", PASSWORD))

    # ...while the other nine, through the same proxy, still sign in.
    for client in clients[1:]:
        response = _login(client, "lupo.solitario@example.org", PASSWORD)
        assert response.status_code == 302
        assert _signed_in(client)


def test_x_forwarded_for_is_ignored_with_no_trusted_proxy(participant, settings):
    settings.CERCHIO_TRUSTED_PROXIES = 0
    request = RequestFactory().get("/", REMOTE_ADDR=VICTIM_IP, HTTP_X_FORWARDED_FOR="192.0.2.1, 192.0.2.2")
    assert client_ip(request) == VICTIM_IP

    # An attacker cannot escape the limit by making up a new forwarded address for every attempt.
    for number in range(5):
        attacker = Client(REMOTE_ADDR="198.51.100.66", HTTP_X_FORWARDED_FOR=f"192.0.2.{number + 1}")
        _login(attacker, "lupo.solitario@example.org", "wrong-password-guess")
    attacker = Client(REMOTE_ADDR="198.51.100.66", HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert TOO_MANY in _login(attacker, "lupo.solitario@example.org", PASSWORD).content.decode()

    # Nor make the sessions page show someone else's address.
    victim = Client(REMOTE_ADDR=VICTIM_IP, HTTP_X_FORWARDED_FOR="192.0.2.77")
    _login(victim, "lupo.solitario@example.org", PASSWORD)
    assert UserSession.objects.get(user=participant).ip == VICTIM_IP


def test_with_two_trusted_proxies_the_client_is_the_second_address_from_the_right(settings):
    settings.CERCHIO_TRUSTED_PROXIES = 2
    forged_then_real = "6.6.6.6, 192.0.2.10, 10.0.0.1"
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY_IP, HTTP_X_FORWARDED_FOR=forged_then_real)
    assert client_ip(request) == "192.0.2.10"
    # Fewer hops than proxies: the request did not come the expected way; the proxy is the client.
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY_IP, HTTP_X_FORWARDED_FOR="192.0.2.10")
    assert client_ip(request) == PROXY_IP


def test_the_second_factor_step_has_its_own_limit_per_account_and_client(db):
    address = "coordinatrice.totp@example.org"
    secret = enrol_totp(account_create(email=address, password=PASSWORD))
    mfa_url = reverse("mfa_authenticate")

    # Someone who knows the password but not the code keeps guessing codes.
    attacker = Client(REMOTE_ADDR="198.51.100.66")
    assert _login(attacker, address, PASSWORD).status_code == 302
    for _attempt in range(5):
        assert "Codice errato" in attacker.post(mfa_url, {"code": _wrong_code(secret)}).content.decode()
    response = attacker.post(mfa_url, {"code": totp_code(secret)})
    assert TOO_MANY in response.content.decode()
    assert not _signed_in(attacker)

    # The coordinator, on their own device, passes both steps.
    victim = Client(REMOTE_ADDR=VICTIM_IP)
    assert _login(victim, address, PASSWORD).status_code == 302
    response = victim.post(mfa_url, {"code": totp_code(secret)})
    assert response.status_code == 302
    assert _signed_in(victim)


def test_a_stranger_asking_for_someones_reset_never_uses_up_the_owners_own(participant, mailoutbox):
    from django.test import Client

    from notifications.delivery import deliver_due

    stranger = Client(REMOTE_ADDR="198.51.100.7")
    for _ in range(6):
        stranger.post("/it/accounts/password/reset/", {"email": "lupo.solitario@example.org"})
    owner = Client(REMOTE_ADDR="203.0.113.20")
    response = owner.post("/it/accounts/password/reset/", {"email": "lupo.solitario@example.org"})
    assert response.status_code == 302
    deliver_due(worker_id="test")
    assert len(mailoutbox) == 4  # three from the stranger's client, then the owner's own
    refused = stranger.post("/it/accounts/password/reset/", {"email": "lupo.solitario@example.org"})
    assert refused.status_code in (200, 429)


def test_many_clients_cannot_flood_one_inbox_with_reset_emails(participant, mailoutbox):
    from notifications.delivery import deliver_due
    from notifications.models import OutboxMessage

    answers = []
    for n in range(8):
        client = Client(REMOTE_ADDR=f"198.51.100.{n + 1}")
        answers.append(client.post("/it/accounts/password/reset/", {"email": "lupo.solitario@example.org"}))
    # Every client gets the same answer; past the fifth, nothing is queued.
    assert {response.status_code for response in answers} == {302}
    assert len({response["Location"] for response in answers}) == 1
    assert OutboxMessage.objects.count() == 5
    deliver_due(worker_id="test")
    assert len(mailoutbox) == 5
    # Another address is not held back.
    Client(REMOTE_ADDR="198.51.100.99").post("/it/accounts/password/reset/", {"email": "nessuno@example.org"})
    assert OutboxMessage.objects.count() == 6
