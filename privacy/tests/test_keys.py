"""The keys of data at rest are separate and each can be rotated without locking anyone out."""

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.core.management import call_command

from conftest import PASSWORD
from network import services
from network.models import Invitation
from notifications.models import OutboxMessage
from privacy.crypto import blind_index
from privacy.models import SealedEmail
from privacy.registry import REGISTRY
from privacy.sealing import pseudo_for
from privacy.subjects import subject_has_data, subject_index

pytestmark = pytest.mark.django_db
NEW_KEY = "n" * 16 + "-a-new-blind-index-key-for-tests"
INVITEE = "nuova.volontaria@example.org"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()  # rate limits on sign-in live in the cache
    yield
    cache.clear()


def _signs_in(client, address: str) -> bool:
    client.logout()
    client.post("/it/accounts/login/", {"login": address, "password": PASSWORD})
    return "_auth_user_id" in client.session


@pytest.fixture
def invited(association_x, coordinator_x):
    invitation, _token = services.invitation_send(
        association=association_x, role="intake", email=INVITEE, by=coordinator_x
    )
    return invitation


def test_the_blind_index_key_is_a_list_separate_from_the_secret_key(settings):
    assert settings.CERCHIO_BLIND_INDEX_KEYS
    assert settings.SECRET_KEY not in settings.CERCHIO_BLIND_INDEX_KEYS


def test_changing_the_secret_key_does_not_change_the_keyed_hashes(settings):
    before = pseudo_for("lupo.solitario@example.org")
    settings.SECRET_KEY = "a-brand-new-secret-key-after-a-breach-0123456789abcdef"
    assert pseudo_for("lupo.solitario@example.org") == before


def test_people_still_sign_in_after_a_new_blind_index_key_is_added_and_before_rotation(client, settings, participant):
    settings.CERCHIO_BLIND_INDEX_KEYS = [NEW_KEY, *settings.CERCHIO_BLIND_INDEX_KEYS]
    assert _signs_in(client, "lupo.solitario@example.org")
    # Signing up again with the same address still collides with the account under the old key.
    assert pseudo_for("lupo.solitario@example.org") == participant.email


def test_an_invitee_still_finds_their_data_after_a_new_key_is_added_and_before_rotation(settings, invited):
    settings.CERCHIO_BLIND_INDEX_KEYS = [NEW_KEY, *settings.CERCHIO_BLIND_INDEX_KEYS]
    assert subject_has_data(index=subject_index(INVITEE))


def test_rotate_blind_index_key_rewrites_every_stored_keyed_hash_so_the_old_key_can_go(
    client, settings, participant, facilitator_a, invited, capsys
):
    old_keys = list(settings.CERCHIO_BLIND_INDEX_KEYS)
    old_pseudo = participant.email
    outbox_before = set(OutboxMessage.objects.values_list("recipient_index", flat=True))
    settings.CERCHIO_BLIND_INDEX_KEYS = [NEW_KEY, *old_keys]

    call_command("rotate_blind_index_key")
    assert "the older keys can be removed" in capsys.readouterr().out

    settings.CERCHIO_BLIND_INDEX_KEYS = [NEW_KEY]
    participant.refresh_from_db()
    assert participant.email != old_pseudo and participant.email == pseudo_for("lupo.solitario@example.org")
    assert EmailAddress.objects.filter(user=participant, email=participant.email).exists()
    assert not EmailAddress.objects.filter(email=old_pseudo).exists()
    assert SealedEmail.objects.get(pseudo=participant.email).address == "lupo.solitario@example.org"
    assert not SealedEmail.objects.filter(pseudo=old_pseudo).exists()
    invited.refresh_from_db()
    assert invited.email_index == blind_index(INVITEE)
    outbox_after = set(OutboxMessage.objects.values_list("recipient_index", flat=True))
    assert outbox_after and not outbox_after & outbox_before
    assert subject_has_data(index=subject_index(INVITEE))
    assert _signs_in(client, "lupo.solitario@example.org")
    assert _signs_in(client, "facilitatore.a@example.org")


def test_rotating_twice_changes_nothing_more(settings, participant, invited):
    settings.CERCHIO_BLIND_INDEX_KEYS = [NEW_KEY, *settings.CERCHIO_BLIND_INDEX_KEYS]
    call_command("rotate_blind_index_key")
    participant.refresh_from_db()
    pseudo, index = participant.email, Invitation.objects.get().email_index
    call_command("rotate_blind_index_key")
    participant.refresh_from_db()
    assert (participant.email, Invitation.objects.get().email_index) == (pseudo, index)


def test_every_keyed_hash_in_the_registry_names_the_encrypted_value_it_is_computed_from():
    missing = [label for label, entry in REGISTRY.items() if entry.email_index and not entry.email_field]
    assert missing == []
