"""Signing up, signing in and asking for a new password do the same work whether or not the address has an account.

Otherwise the time a response takes, or the mail server's delay, would tell a stranger who uses Cerchio.
"""

from unittest import mock

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

EXISTING = "lupo.solitario@example.org"
NEW = "mai.vista.prima@example.org"
GOOD_PASSWORD = "Girasole-Nebbia-2847"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _work(path: str, data: dict) -> dict:
    """What one request costs: password hashes, queries by kind, outbox rows written."""
    cache.clear()
    hashed = mock.patch.object(MD5PasswordHasher, "encode", autospec=True, side_effect=MD5PasswordHasher.encode)
    outbox_before = OutboxMessage.objects.count()
    with hashed as encode, CaptureQueriesContext(connection) as queries:
        response = Client(REMOTE_ADDR="192.0.2.10").post(path, data)
    verbs = {}
    for query in queries.captured_queries:
        verb = query["sql"].split()[0].upper()
        verbs[verb] = verbs.get(verb, 0) + 1
    return {
        "status": response.status_code,
        "location": response.get("Location", ""),
        "hashes": encode.call_count,
        "queries": verbs,
        "mails": OutboxMessage.objects.count() - outbox_before,
    }


CASES = {
    "signup": ("/it/accounts/signup/", {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}, "email"),
    "login_with_a_wrong_password": ("/it/accounts/login/", {"password": "wrong-password-guess"}, "login"),
    "password_reset": ("/it/accounts/password/reset/", {}, "email"),
}


@pytest.mark.parametrize("case", CASES)
def test_an_existing_and_a_new_address_take_the_same_code_path(participant, case):
    path, data, field = CASES[case]

    existing = _work(path, {**data, field: EXISTING})
    new = _work(path, {**data, field: NEW})

    # The same answer, the same password hashing, one e-mail through the outbox either way.
    assert (existing["status"], existing["location"]) == (new["status"], new["location"])
    assert existing["hashes"] == new["hashes"] == (0 if case == "password_reset" else 1)
    assert existing["mails"] == new["mails"] == (0 if case.startswith("login") else 1)
    # The queries are of the same kinds; an account created or not differs by a few rows at most.
    assert existing["queries"].keys() <= new["queries"].keys() | {"UPDATE"}
    total = sum(existing["queries"].values()), sum(new["queries"].values())
    assert abs(total[0] - total[1]) <= 12, (existing, new)


def test_a_sent_reset_mail_leaves_nothing_of_its_link_in_the_outbox(client, participant, mailoutbox):
    from notifications.delivery import deliver_due
    from notifications.models import OutboxMessage

    client.post("/it/accounts/password/reset/", {"email": "lupo.solitario@example.org"})
    waiting = OutboxMessage.objects.get(kind="account_mail")
    assert waiting.context["sealed"]
    deliver_due(worker_id="test")
    assert "/password/reset/key/" in mailoutbox[-1].body
    waiting.refresh_from_db()
    assert waiting.status == "sent" and waiting.context == {}
