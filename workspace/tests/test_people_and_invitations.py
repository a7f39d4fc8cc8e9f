"""People with a role, invitations (sending, withdrawing, accepting) and undelivered messages."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from accounts.models import Profile
from conftest import PASSWORD
from network import services
from network.models import AssociationMembership, AssociationRole, GroupMembership, GroupRole, Invitation

TOKEN = "un-token-di-prova-abbastanza-lungo-0123456789"
NEW_PASSWORD = "una frase lunga da ricordare"


def make_invitation(
    association, *, role=GroupRole.FACILITATOR, group=None, email="nuova.persona@example.org", token=TOKEN, **fields
):
    """An invitation as invitation_send stores it (only the token's hash), without its e-mail."""
    fields.setdefault("expires_at", timezone.now() + timedelta(days=services.INVITATION_DAYS))
    return Invitation.objects.create(
        association=association,
        group=group,
        role=role,
        email=email,
        token_hash=services._token_hash(token),
        **fields,
    )


@pytest.fixture
def as_coordinator(client, coordinator_x):
    client.force_login(coordinator_x)
    return client


@pytest.fixture
def invitation_a(association_x, group_a, coordinator_x):
    return make_invitation(association_x, group=group_a, invited_by=coordinator_x)


def _invite_page(client) -> str:
    """Open the invite form and return its one-time token."""
    page = client.get(reverse("workspace:invite")).content.decode()
    return page.split('name="once" value="')[1].split('"')[0]


# --- The people page ------------------------------------------------------------


def test_people_shows_staff_by_nickname_and_never_their_address(as_coordinator, facilitator_a, intake_operator):
    Profile.objects.update_or_create(user=facilitator_a, defaults={"nickname": "Marta"})
    page = as_coordinator.get(reverse("workspace:people")).content.decode()
    assert "Marta" in page
    assert f"persona n. {intake_operator.pk}" in page
    assert "@example.org" not in page
    assert "facilitatore.a" not in page and "accoglienza.x" not in page


def test_people_lists_invitations_with_their_state_and_never_the_address(as_coordinator, association_x, group_a):
    make_invitation(association_x, group=group_a, token="aperto")
    make_invitation(association_x, role=AssociationRole.INTAKE, token="scaduto", expires_at=timezone.now())
    page = as_coordinator.get(reverse("workspace:people")).content.decode()
    assert "aperto" in page and "scaduto" in page
    assert "nuova.persona" not in page
    assert page.count(">Ritira<") == 1


def test_people_never_shows_another_association(as_coordinator, association_y, group_y, coordinator_y):
    Profile.objects.update_or_create(user=coordinator_y, defaults={"nickname": "Ylenia"})
    make_invitation(association_y, group=group_y, token="di-y")
    page = as_coordinator.get(reverse("workspace:people")).content.decode()
    assert "Ylenia" not in page and "Gruppo Y" not in page


def test_the_messages_section_is_there_even_before_the_outbox_exists(as_coordinator):
    page = as_coordinator.get(reverse("workspace:people")).content.decode()
    assert 'id="messaggi"' in page


def test_a_facilitator_cannot_see_people_or_invite(client, facilitator_a):
    client.force_login(facilitator_a)
    assert client.get(reverse("workspace:people")).status_code == 403
    assert client.get(reverse("workspace:invite")).status_code == 403
    assert client.post(reverse("workspace:invite"), {"email": "x@example.org", "role": "intake"}).status_code == 403
    assert not Invitation.objects.exists()


def test_retrying_a_message_outside_ones_associations_is_not_found(as_coordinator):
    assert as_coordinator.post(reverse("workspace:message_retry", args=[999999])).status_code == 404


# --- Taking a role away -------------------------------------------------------------


def test_a_coordinator_takes_away_a_facilitator_role_after_confirming(as_coordinator, facilitator_a, group_a):
    membership = GroupMembership.objects.get(user=facilitator_a, group=group_a)
    url = reverse("workspace:role_end", args=["group", membership.pk])
    assert as_coordinator.get(url).status_code == 200
    assert GroupMembership.objects.filter(pk=membership.pk).exists()
    assert as_coordinator.post(url).status_code == 302
    assert not GroupMembership.objects.filter(pk=membership.pk).exists()
    assert get_user_model().objects.filter(pk=facilitator_a.pk).exists()


def test_a_role_in_another_association_cannot_be_taken_away(as_coordinator, coordinator_y, group_y):
    facilitator_y = get_user_model().objects.create_user(username="fy", password=PASSWORD)
    membership = GroupMembership.objects.create(user=facilitator_y, group=group_y, role=GroupRole.FACILITATOR)
    assert as_coordinator.post(reverse("workspace:role_end", args=["group", membership.pk])).status_code == 404
    assert GroupMembership.objects.filter(pk=membership.pk).exists()


def test_another_coordinator_role_is_not_taken_away_here(as_coordinator, association_x):
    other = get_user_model().objects.create_user(username="altro", password=PASSWORD)
    membership = AssociationMembership.objects.create(
        user=other, association=association_x, role=AssociationRole.COORDINATOR
    )
    as_coordinator.post(reverse("workspace:role_end", args=["association", membership.pk]))
    assert AssociationMembership.objects.filter(pk=membership.pk).exists()


# --- Inviting -----------------------------------------------------------------


def test_the_invite_form_never_lists_accounts(as_coordinator, facilitator_a, intake_operator):
    page = as_coordinator.get(reverse("workspace:invite")).content.decode()
    assert "@example.org" not in page
    assert "Gruppo A" in page  # the association's groups, for a facilitator


def test_inviting_a_facilitator_requires_a_group(as_coordinator):
    once = _invite_page(as_coordinator)
    response = as_coordinator.post(
        reverse("workspace:invite"),
        {"email": "nuova@example.org", "role": "facilitator", "language": "it", "once": once},
    )
    assert response.status_code == 200
    assert "Scegli il gruppo" in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_group_of_another_association_cannot_be_chosen(as_coordinator, group_y):
    once = _invite_page(as_coordinator)
    response = as_coordinator.post(
        reverse("workspace:invite"),
        {"email": "nuova@example.org", "role": "facilitator", "group": group_y.pk, "language": "it", "once": once},
    )
    assert response.status_code == 200
    assert not Invitation.objects.exists()


def test_a_second_invitation_for_the_same_address_and_role_is_refused(as_coordinator, association_x, group_a):
    make_invitation(association_x, group=group_a, email="nuova.persona@example.org")
    once = _invite_page(as_coordinator)
    response = as_coordinator.post(
        reverse("workspace:invite"),
        {
            "email": "Nuova.Persona@example.org ",
            "role": "facilitator",
            "group": group_a.pk,
            "language": "it",
            "once": once,
        },
    )
    assert "già un invito aperto" in response.content.decode()
    assert Invitation.objects.count() == 1


def test_a_form_sent_again_with_a_used_token_sends_nothing(as_coordinator, group_a):
    response = as_coordinator.post(
        reverse("workspace:invite"),
        {"email": "nuova@example.org", "role": "facilitator", "group": group_a.pk, "language": "it", "once": "vecchio"},
    )
    assert response.status_code == 302
    assert not Invitation.objects.exists()


def test_a_valid_invitation_is_created_once_even_when_sent_twice(as_coordinator, association_x, group_a):
    # needs notifications (merged later): invitation_send puts the e-mail in the outbox.
    once = _invite_page(as_coordinator)
    data = {"email": "nuova@example.org", "role": "facilitator", "group": group_a.pk, "language": "it", "once": once}
    first = as_coordinator.post(reverse("workspace:invite"), data, follow=True)
    as_coordinator.post(reverse("workspace:invite"), data)
    invitation = Invitation.objects.get()
    assert invitation.association == association_x and invitation.group == group_a
    assert invitation.role == GroupRole.FACILITATOR and invitation.state == "open"
    assert "Invito mandato a nuova@example.org" in first.content.decode()
    assert "nuova@example.org" not in as_coordinator.get(reverse("workspace:people")).content.decode()


# --- Withdrawing ----------------------------------------------------------------


def test_withdrawing_asks_first_then_the_link_stops_working(as_coordinator, client, invitation_a):
    url = reverse("workspace:invitation_withdraw", args=[invitation_a.pk])
    assert as_coordinator.get(url).status_code == 200
    invitation_a.refresh_from_db()
    assert invitation_a.state == "open"
    as_coordinator.post(url)
    invitation_a.refresh_from_db()
    assert invitation_a.state == "withdrawn"
    assert invitation_a.email == ""


def test_an_invitation_of_another_association_cannot_be_withdrawn(as_coordinator, association_y, group_y):
    invitation = make_invitation(association_y, group=group_y)
    assert as_coordinator.post(reverse("workspace:invitation_withdraw", args=[invitation.pk])).status_code == 404
    invitation.refresh_from_db()
    assert invitation.state == "open"


# --- Accepting ------------------------------------------------------------------


def _accept(client, token=TOKEN, **extra):
    data = {"nickname": "Marta", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "language": "it", **extra}
    return client.post(reverse("workspace:join", args=[token]), data)


def test_the_join_page_opens_without_signing_in(client, invitation_a):
    response = client.get(reverse("workspace:join", args=[TOKEN]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Gruppo A" in page and 'name="password1"' in page
    assert "nuova.persona" not in page


def test_accepting_creates_the_account_and_the_role_and_opens_the_workspace(client, invitation_a, group_a, group_b):
    response = _accept(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:home")
    user = GroupMembership.objects.get(group=group_a, role=GroupRole.FACILITATOR).user
    assert user.profile.nickname == "Marta"
    assert user.check_password(NEW_PASSWORD)
    invitation_a.refresh_from_db()
    assert invitation_a.state == "accepted" and invitation_a.email == ""
    groups = client.get(reverse("workspace:groups")).content.decode()
    assert "Gruppo A" in groups and "Gruppo B" not in groups
    assert client.get(reverse("workspace:group", args=[group_b.slug])).status_code == 404


def test_the_nickname_is_optional(client, invitation_a, group_a):
    assert _accept(client, nickname="").status_code == 302
    assert GroupMembership.objects.filter(group=group_a, role=GroupRole.FACILITATOR).exists()


def test_a_weak_or_mismatched_password_is_refused_on_the_form(client, invitation_a):
    assert "non sono uguali" in _accept(client, password2="un'altra frase lunga").content.decode()
    response = _accept(client, password1="corta", password2="corta")
    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()
    assert not GroupMembership.objects.filter(role=GroupRole.FACILITATOR).exists()


def test_an_expired_invitation_is_refused_with_a_clear_message(client, association_x, group_a):
    make_invitation(association_x, group=group_a, expires_at=timezone.now() - timedelta(minutes=1))
    for response in (client.get(reverse("workspace:join", args=[TOKEN])), _accept(client)):
        assert response.status_code == 410
        assert "scaduto" in response.content.decode()
    assert not GroupMembership.objects.filter(group=group_a).exists()


def test_a_used_invitation_cannot_be_used_again(client, invitation_a, group_a):
    _accept(client)
    client.logout()
    response = _accept(client, nickname="Qualcun altro")
    assert response.status_code == 410
    assert "già stato usato" in response.content.decode()
    assert GroupMembership.objects.filter(group=group_a, role=GroupRole.FACILITATOR).count() == 1


def test_a_withdrawn_invitation_is_refused(client, invitation_a, coordinator_x):
    services.invitation_withdraw(invitation=invitation_a, by=coordinator_x)
    response = client.get(reverse("workspace:join", args=[TOKEN]))
    assert response.status_code == 410
    assert "ritirato" in response.content.decode()


@pytest.mark.parametrize("token", ["sconosciuto", "x" * 300, "%00", "..%2F", "è"])
def test_an_unknown_token_is_a_clear_page_never_an_error(client, db, token):
    response = client.get(reverse("workspace:join", args=[token]))
    assert response.status_code == 410
    assert "non esiste" in response.content.decode()


def test_a_signed_in_person_accepts_with_their_account(client, participant, association_x, group_a):
    make_invitation(association_x, group=group_a, email="lupo.solitario@example.org")
    client.force_login(participant)
    page = client.get(reverse("workspace:join", args=[TOKEN])).content.decode()
    assert "Accetta con questo account" in page and 'name="password1"' not in page
    response = client.post(reverse("workspace:join", args=[TOKEN]))
    assert response.status_code == 302
    assert GroupMembership.objects.filter(user=participant, group=group_a, role=GroupRole.FACILITATOR).exists()


def test_a_link_sent_to_someone_else_gives_no_role_to_the_signed_in_person(client, outsider, invitation_a, group_a):
    client.force_login(outsider)
    assert "altro indirizzo e-mail" in client.get(reverse("workspace:join", args=[TOKEN])).content.decode()
    response = client.post(reverse("workspace:join", args=[TOKEN]))
    assert response.status_code == 403 and "altro indirizzo e-mail" in response.content.decode()
    assert not GroupMembership.objects.filter(user=outsider).exists()
    invitation_a.refresh_from_db()
    assert invitation_a.accepted_at is None


def test_someone_who_already_has_an_account_is_asked_to_sign_in(client, association_x, facilitator_b):
    make_invitation(association_x, role=AssociationRole.INTAKE, email="facilitatore.b@example.org")
    response = client.get(reverse("workspace:join", args=[TOKEN]))
    page = response.content.decode()
    assert 'name="password1"' not in page
    assert reverse("account_login") in page
    assert get_user_model().objects.count() == 1


def test_a_coordinator_who_accepts_is_sent_to_set_up_the_second_factor(client, association_x):
    make_invitation(association_x, role=AssociationRole.COORDINATOR)
    _accept(client)
    response = client.get(reverse("workspace:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
