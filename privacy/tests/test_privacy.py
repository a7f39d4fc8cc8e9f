"""Encryption at rest, the personal-data registry, export, erasure and retention."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.apps import apps
from django.db import connection
from django.utils import timezone

from accounts.models import Profile
from network.models import GroupMembership
from privacy.audit import audit
from privacy.models import AuditAction, AuditEvent
from privacy.registry import NOT_PERSONAL, REGISTRY, looks_personal
from privacy.services import purge_expired, user_erase, user_export

pytestmark = pytest.mark.django_db
PHONE = "+39 333 1234567"
NOTE = "Preferisce essere chiamata la sera"


@pytest.fixture
def profiled(participant):
    Profile.objects.create(user=participant, nickname="Lupastro Ventoso", phone=PHONE, notes=NOTE)
    audit(AuditAction.VIEWED, actor=participant, subject=participant)
    return participant


def all_text_in_database() -> str:
    """Every text value of every table, as a database dump would show it."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (table names from introspection)
            for row in cursor.fetchall():
                chunks.extend(str(value) for value in row if value is not None)
    return "\n".join(chunks)


def test_contact_details_are_not_in_clear_in_the_database(profiled):
    dump = all_text_in_database()
    assert PHONE not in dump and "1234567" not in dump
    assert NOTE not in dump
    assert Profile.objects.get(user=profiled).phone == PHONE


def test_keys_can_be_rotated(profiled, settings, capsys):
    from cryptography.fernet import Fernet
    from django.core.management import call_command

    old_key = settings.CERCHIO_ENCRYPTION_KEYS[0]
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM accounts_profile")
        (before,) = cursor.fetchone()
    settings.CERCHIO_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), old_key]
    call_command("rotate_encryption_keys")
    settings.CERCHIO_ENCRYPTION_KEYS = settings.CERCHIO_ENCRYPTION_KEYS[:1]  # the old key is gone
    assert Profile.objects.get(user=profiled).phone == PHONE
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM accounts_profile")
        (after,) = cursor.fetchone()
    assert after != before


def test_every_model_with_personal_data_is_registered():
    unregistered = [
        model._meta.label_lower
        for model in apps.get_models()
        if looks_personal(model)
        and model._meta.label_lower not in REGISTRY
        and model._meta.label_lower not in NOT_PERSONAL
    ]
    assert unregistered == [], f"register these in privacy/registry.py: {unregistered}"


def test_export_holds_everything_about_the_person_and_nothing_else(profiled, facilitator_a):
    data = json.loads(json.dumps(user_export(user=profiled, by=profiled), default=str))["data"]
    assert set(data) == set(REGISTRY)
    assert data["accounts.user"][0]["email"] == "lupo.solitario@example.org"
    assert data["accounts.profile"][0]["phone"] == PHONE
    assert data["network.groupmembership"] == [{"group__name": "Gruppo A", "role": "participant"}]
    assert {row["action"] for row in data["privacy.auditevent"]} >= {"viewed"}
    assert "facilitatore.a@example.org" not in json.dumps(data, default=str)
    assert AuditEvent.objects.filter(action=AuditAction.EXPORTED, subject=profiled).exists()


def test_export_page_asks_to_sign_in_again_then_downloads(client, profiled):
    from conftest import PASSWORD

    client.force_login(profiled)
    response = client.get("/it/accounts/my-data/export/")
    assert response.status_code == 302 and "reauthenticate" in response.url
    client.post(response.url, {"password": PASSWORD})
    response = client.get("/it/accounts/my-data/export/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "no-store" in response["Cache-Control"]
    assert json.loads(response.content)["data"]["accounts.profile"][0]["nickname"] == "Lupastro Ventoso"


def test_erasure_leaves_no_trace(client, profiled):
    from conftest import PASSWORD

    client.force_login(profiled)
    reauth = client.get("/it/accounts/my-data/erase/").url
    client.post(reauth, {"password": PASSWORD})
    user_id = profiled.pk
    events_before = AuditEvent.objects.count()
    response = client.post("/it/accounts/my-data/erase/", {"confirm": "CANCELLA"})
    assert response.status_code == 302
    # The audit log keeps its rows (figures do not change) but no longer names the person.
    assert AuditEvent.objects.count() >= events_before
    dump = all_text_in_database()
    assert "lupo.solitario@example.org" not in dump
    assert "Lupastro Ventoso" not in dump
    assert not AuditEvent.objects.filter(actor_id=user_id).exists()
    assert not AuditEvent.objects.filter(subject_id=user_id).exists()
    assert not GroupMembership.objects.filter(user_id=user_id).exists()
    assert "_auth_user_id" not in client.session


def test_erasure_needs_the_confirmation_word(client, profiled):
    from conftest import PASSWORD

    client.force_login(profiled)
    client.post(client.get("/it/accounts/my-data/erase/").url, {"password": PASSWORD})
    response = client.post("/it/accounts/my-data/erase/", {"confirm": "forse"})
    assert response.status_code == 200
    assert "CANCELLA" in response.content.decode()
    assert type(profiled).objects.filter(pk=profiled.pk).exists()


def test_audit_log_is_append_only(profiled):
    event = AuditEvent.objects.first()
    event.action = AuditAction.DELETED
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()


def test_audit_log_holds_references_not_personal_data(profiled):
    columns = {field.name for field in AuditEvent._meta.concrete_fields}
    assert columns == {"id", "at", "actor", "action", "subject", "object_type", "object_id", "association_id"}
    row = AuditEvent.objects.values().first()
    assert PHONE not in str(row) and "lupo" not in str(row).lower()


def test_retention_purges_what_is_expired_and_is_safe_to_run_twice(settings, participant, facilitator_a):
    settings.CERCHIO_RETENTION_DAYS = {**settings.CERCHIO_RETENTION_DAYS, "audit_log": 30, "inactive_participant": 365}
    long_ago = timezone.now() - timedelta(days=400)
    with time_machine.travel(long_ago, tick=False):
        old_event = audit(AuditAction.VIEWED, actor=facilitator_a, subject=facilitator_a)
        stale = type(participant).objects.create_user(username="u-stale", email="stale@example.org", password="x")
        type(participant).objects.filter(pk=stale.pk).update(last_login=timezone.now())
        type(participant).objects.filter(pk=facilitator_a.pk).update(last_login=timezone.now())
    recent = audit(AuditAction.VIEWED, actor=facilitator_a, subject=facilitator_a)

    first = purge_expired()
    second = purge_expired()

    assert not AuditEvent.objects.filter(pk=old_event.pk).exists()
    assert AuditEvent.objects.filter(pk=recent.pk).exists()
    assert not type(participant).objects.filter(pk=stale.pk).exists()
    # A facilitator is not a participant-only account: their account is kept.
    assert type(participant).objects.filter(pk=facilitator_a.pk).exists()
    assert first["inactive_participants"] == 1 and first["privacy.auditevent"] >= 1
    assert second["inactive_participants"] == 0 and second["privacy.auditevent"] == 0


def test_retention_deletes_expired_cache_rows_that_hold_client_addresses():
    from django.core.cache import cache

    cache.clear()
    cache.set("allauth:rl:login_failed:ip:203.0.113.7", [1], timeout=60)
    cache.set("allauth:rl:login:ip:198.51.100.9", [1], timeout=24 * 60 * 60)
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        counts = purge_expired()
    assert counts["cache"] == 1
    dump = all_text_in_database()
    assert "203.0.113.7" not in dump and "198.51.100.9" in dump
    assert purge_expired()["cache"] == 0
    cache.clear()


def test_purge_command_runs(capsys):
    from django.core.management import call_command

    call_command("purge_expired")
    assert "inactive_participants" in capsys.readouterr().out


def test_user_erase_service_removes_the_user(participant):
    user_erase(user=participant)
    assert not type(participant).objects.filter(pk=participant.pk).exists()


def test_an_administrator_looking_at_an_account_is_logged(client, site_admin, participant):
    client.force_login(site_admin)
    assert client.get(f"/it/admin/accounts/user/{participant.pk}/change/").status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.VIEWED, actor=site_admin, subject=participant).exists()


def test_erasure_removes_back_office_history_about_the_person(client, site_admin, participant):
    from django.contrib.admin.models import LogEntry

    client.force_login(site_admin)
    response = client.post(
        f"/it/admin/accounts/user/{participant.pk}/change/",
        {
            "username": participant.username,
            "email": participant.email,
            "is_active": "on",
            "language": "it",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
            "initial-date_joined_0": "2026-01-01",
            "initial-date_joined_1": "10:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert LogEntry.objects.filter(object_id=str(participant.pk)).exists()
    user_erase(user=participant)
    assert "lupo.solitario@example.org" not in all_text_in_database()


def test_a_staff_member_who_erases_keeps_the_trail_of_what_they_saw(facilitator_a, participant):
    event = audit(AuditAction.VIEWED, actor=facilitator_a, subject=participant)
    user_erase(user=facilitator_a)
    event = AuditEvent.objects.get(pk=event.pk)
    assert event.actor_id is None and event.subject_id == participant.pk


def test_staff_cannot_erase_themselves_from_the_website(client, facilitator_a):
    from conftest import PASSWORD

    client.force_login(facilitator_a)
    reauth = client.get("/it/accounts/my-data/erase/").url
    client.post(reauth, {"password": PASSWORD})
    response = client.post("/it/accounts/my-data/erase/", {"confirm": "CANCELLA"})
    # The page explains who closes the account and how to ask; nothing is erased.
    body = response.content.decode()
    assert response.status_code == 200
    assert "lo chiude l'amministratore del sito" in body
    association = facilitator_a.group_memberships.get().group.association
    assert f'href="mailto:{association.public_email}?subject=' in body
    assert type(facilitator_a).objects.filter(pk=facilitator_a.pk).exists()


def test_bulk_deleting_accounts_erases_each_person(client, site_admin, participant):
    client.force_login(site_admin)
    audit(AuditAction.VIEWED, actor=site_admin, subject=participant)
    response = client.post(
        "/it/admin/accounts/user/",
        {"action": "delete_selected", "_selected_action": [participant.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(subject_id=participant.pk).exists()
    assert "lupo.solitario@example.org" not in all_text_in_database()


def test_login_addresses_are_not_in_clear_in_the_database(participant, site_admin):
    dump = all_text_in_database()
    assert "lupo.solitario@example.org" not in dump
    assert "admin@example.org" not in dump
    assert "@sealed.cerchio.invalid" in dump


def test_unclaimed_addresses_are_forgotten_after_a_day(client, db):
    from privacy.models import SealedEmail

    client.post("/it/accounts/password/reset/", {"email": "nessuno@example.org"})
    assert SealedEmail.objects.filter(user__isnull=True).count() == 1
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        purge_expired()
    assert not SealedEmail.objects.filter(user__isnull=True).exists()
