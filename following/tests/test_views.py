"""Following from the group page: double opt-in, what I follow, bad links, people with an account."""

import pytest
from django.core import signing
from django.urls import reverse

from following import tokens
from following.models import Follow, Follower
from following.tests.conftest import link, send_all
from privacy import subjects
from privacy.models import AuditEvent


def _follow(client, group, email="nuova@example.org"):
    return client.post(reverse("following:follow", kwargs={"slug": group.slug}), {"email": email})


def test_the_group_page_has_the_follow_form(client, group):
    page = client.get(group.get_absolute_url()).content.decode()
    assert reverse("following:follow", kwargs={"slug": group.slug}) in page and 'name="email"' in page


def test_double_opt_in_and_a_confirmation_link_used_twice_is_harmless(client, group, outbox_mail):
    response = _follow(client, group)
    assert response.status_code == 200 and "Controlla la posta" in response.content.decode()
    follow = Follow.objects.get()
    assert follow.confirmed_at is None
    follower = follow.follower
    assert follower.email == "nuova@example.org"
    assert "nuova" not in Follower.objects.values_list("email_index", flat=True)[0]
    _follow(client, group)  # sent again the same day: still one message
    send_all()
    (message,) = outbox_mail
    assert group.name not in message.subject and group.name not in message.body
    path = link(message.body, "/following/confirm/")
    page = client.get(path)  # a mail scanner opening the link confirms nothing
    assert page.status_code == 200 and Follow.objects.get().confirmed_at is None
    done = client.post(path)
    assert done.status_code == 200 and group.name in done.content.decode()
    confirmed_at = Follow.objects.get().confirmed_at
    assert confirmed_at is not None
    again = client.post(path)
    assert again.status_code == 200
    assert Follow.objects.get().confirmed_at == confirmed_at
    # Asking again once confirmed sends nothing and says the same as before.
    outbox_mail.clear()
    assert "Controlla la posta" in _follow(client, group).content.decode()
    send_all()
    assert outbox_mail == []


def test_bad_input_keeps_what_was_typed(client, group):
    response = _follow(client, group, "nuova@example")
    body = response.content.decode()
    assert response.status_code == 400
    assert 'value="nuova@example"' in body and "chiocciola" in body
    assert not Follower.objects.exists()


@pytest.mark.parametrize("view", ["following:confirm", "following:manage", "following:leave"])
def test_bad_and_expired_links_give_a_clear_page(client, group, view, monkeypatch):
    bad = client.get(reverse(view, kwargs={"token": "not-a-real-token"}))
    assert bad.status_code == 400 and "non è valido" in bad.content.decode()
    follower = Follower.objects.create(email="x@example.org", email_index="x")
    follow = Follow.objects.create(follower=follower, group=group)
    token = {
        "following:confirm": tokens.confirm_token(follow_id=follow.pk, secret=follower.secret),
        "following:manage": tokens.manage_token(follower_id=follower.pk, secret=follower.secret),
        "following:leave": tokens.leave_token(follower_id=follower.pk, group_id=group.pk, secret=follower.secret),
    }[view]
    import time

    later = time.time() + 500 * 24 * 3600
    monkeypatch.setattr(signing.time, "time", lambda: later)
    expired = client.post(reverse(view, kwargs={"token": token}))
    assert expired.status_code == 400 and "scaduto" in expired.content.decode()
    assert Follow.objects.filter(pk=follow.pk).exists()


def test_the_follower_sees_and_leaves_what_they_follow_from_one_page(client, group, outbox_mail):
    from network.tests.factories import make_group

    other = make_group(name="Altro gruppo", slug="altro")
    for g in (group, other):
        _follow(client, g, "tutto@example.org")
    send_all()
    for message in outbox_mail:
        client.post(link(message.body, "/following/confirm/"))
    follower = Follower.objects.get()
    token = tokens.manage_token(follower_id=follower.pk, secret=follower.secret)
    url = reverse("following:manage", kwargs={"token": token})
    page = client.get(url).content.decode()
    assert group.name in page and other.name in page
    assert AuditEvent.objects.filter(action="viewed", object_type="following.follower").exists()
    client.post(url, {"action": "reminders_off"})
    follower.refresh_from_db()
    assert follower.reminders is False
    client.post(url, {"action": "leave", "group": other.pk})
    assert list(follower.follows.values_list("group__slug", flat=True)) == [group.slug]
    gone = client.post(url, {"action": "leave_all"})
    assert gone.status_code == 200 and not Follower.objects.exists()
    assert client.get(url).status_code == 400  # the link died with the follower


def test_a_signed_in_person_follows_with_one_button(client, group, participant):
    client.force_login(participant)
    response = client.post(reverse("following:follow", kwargs={"slug": group.slug}))
    assert response.status_code == 200
    follow = Follow.objects.get()
    assert follow.follower.user == participant and follow.confirmed_at is not None


def test_an_address_only_follower_can_export_and_erase_their_data_by_e_mail(client, group):
    _follow(client, group, "privata@example.org")
    index = subjects.subject_index("privata@example.org")
    exported = subjects.subject_export(index=index)
    assert exported["data"]["following.follower"][0]["follows__group__name"] == group.name
    subjects.subject_erase(index=index)
    assert not Follower.objects.exists() and not Follow.objects.exists()
