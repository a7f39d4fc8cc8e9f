"""Only the group's facilitators reach the companion; a self-reflection is read by its author alone.

Not coordinators, not site administrators: in every page, in the admin and in every export.
"""

import json
from datetime import timedelta

import pytest
from django.contrib import admin
from django.urls import reverse

from companion import services
from companion.models import Agreement, Attendance, Reflection
from network.models import GroupMembership, GroupRole
from privacy.services import export_json, user_erase, user_export

pytestmark = pytest.mark.django_db

NOTE = "Mi sono sentita stanca, ho interrotto due volte."
PAGES = ["workspace:companion", "workspace:companion_close", "workspace:reflection"]


@pytest.fixture
def reflected(last_a, facilitator_a):
    return services.reflection_save(
        meeting=last_a, went_well=["do7"], hard=["dont9"], note=NOTE, share_totals=True, by=facilitator_a
    )


@pytest.fixture
def co_facilitator(group_a):
    from conftest import _user

    user = _user("cofacilitatrice.a@example.org", is_staff=True)
    GroupMembership.objects.create(user=user, group=group_a, role=GroupRole.FACILITATOR)
    return user


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("facilitator_a", 200),
        ("facilitator_b", 404),  # a facilitator, of another group: the meeting does not exist for them
        ("coordinator_x", 403),  # the group's own association: counts reach it as figures only
        ("coordinator_y", 403),
        ("intake_operator", 403),
        ("site_admin", 403),
        ("participant", 403),
        ("referrer_x", 403),
    ],
)
def test_only_the_groups_facilitators_open_the_companion(client, request, last_a, name, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse(name, kwargs={"pk": last_a.pk})).status_code == status


def test_no_one_else_can_post_counts_or_a_reflection(client, last_a, coordinator_x, site_admin, facilitator_b):
    for person in (coordinator_x, site_admin, facilitator_b):
        client.force_login(person)
        client.post(reverse("workspace:companion_close", kwargs={"pk": last_a.pk}), {"participants": "3"})
        client.post(reverse("workspace:reflection", kwargs={"pk": last_a.pk}), {"note": "x"})
    assert not Attendance.objects.exists() and not Reflection.objects.exists()


def test_a_co_facilitator_sees_the_groups_counts_but_never_the_others_reflection(
    client, last_a, reflected, co_facilitator
):
    client.force_login(co_facilitator)
    for name in PAGES:
        assert NOTE not in client.get(reverse(name, kwargs={"pk": last_a.pk})).content.decode()
    period = {"since": "2027-01-01", "until": "2027-12-31", "notes": "on"}
    summary = client.get(reverse("workspace:reflections"), period)
    assert NOTE not in summary.content.decode() and summary.context["reflections"] == []
    # Posting their own does not touch the other's.
    client.post(reverse("workspace:reflection", kwargs={"pk": last_a.pk}), {"went_well": ["do1"], "note": "mia"})
    assert Reflection.objects.get(pk=reflected.pk).note == NOTE
    assert Reflection.objects.filter(meeting=last_a).count() == 2
    # Nor delete it.
    client.post(reverse("workspace:reflection", kwargs={"pk": last_a.pk}), {"action": "delete"})
    assert Reflection.objects.filter(pk=reflected.pk).exists()


def test_the_author_reads_their_reflection(client, last_a, reflected, facilitator_a):
    client.force_login(facilitator_a)
    html = client.get(reverse("workspace:reflection", kwargs={"pk": last_a.pk})).content.decode()
    assert NOTE in html


def test_no_page_of_a_coordinator_or_site_administrator_shows_a_reflection(
    client, last_a, reflected, coordinator_x, site_admin
):
    urls = [
        reverse("workspace:home"),
        reverse("workspace:group", kwargs={"slug": last_a.group.slug}),
        reverse("workspace:group_history", kwargs={"slug": last_a.group.slug}),
        reverse("workspace:meeting", kwargs={"pk": last_a.pk}),
        reverse("workspace:history"),
        reverse("workspace:audit"),
        reverse("workspace:figures"),
        reverse("workspace:figures_export"),
        reverse("workspace:reflections"),
        reverse("admin:network_meeting_change", args=[last_a.pk]),
        reverse("admin:network_activity_changelist"),
        reverse("admin:index"),
    ]
    for person in (coordinator_x, site_admin):
        client.force_login(person)
        shown = 0
        for url in urls:
            response = client.get(url)
            body = response.content.decode() if response.status_code == 200 else ""
            shown += response.status_code == 200
            assert NOTE not in body and "Mi sono sentita" not in body, (person, url)
        assert shown >= 8, person  # the pages were really read, not refused


def test_the_reflection_is_not_in_the_admin():
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert "companion.reflection" not in registered
    assert not any(
        getattr(inline, "model", None) is Reflection
        for model_admin in admin.site._registry.values()
        for inline in getattr(model_admin, "inlines", [])
    )


def test_the_authors_export_has_their_reflection_and_nobody_elses(
    last_a, reflected, facilitator_a, coordinator_x, site_admin, co_facilitator
):
    services.reflection_save(meeting=last_a, went_well=[], hard=["do1"], note="quella dell'altra", by=co_facilitator)
    own = export_json(user_export(user=facilitator_a, by=facilitator_a))
    assert NOTE in own and "quella dell'altra" not in own
    rows = json.loads(own)["data"]["companion.reflection"]
    assert rows[0]["went_well"] == ["do7"] and rows[0]["share_totals"] is True
    for other in (coordinator_x, site_admin):
        exported = export_json(user_export(user=other, by=other))
        assert NOTE not in exported and json.loads(exported)["data"]["companion.reflection"] == []


def test_erasing_the_author_erases_their_reflections_and_keeps_the_groups_counts(last_a, reflected, facilitator_a):
    services.meeting_close(meeting=last_a, participants=6, newcomers=1, agreements=[], by=facilitator_a)
    user_erase(user=facilitator_a)
    assert not Reflection.objects.exists()
    assert Attendance.objects.get(meeting=last_a).participants == 6


def test_the_agreements_and_counts_name_no_person(last_a):
    for model in (Attendance, Agreement):
        assert not any(
            field.is_relation and field.related_model and field.related_model._meta.label_lower == "accounts.user"
            for field in model._meta.get_fields()
        )


def test_reflections_expire_after_their_retention_period(last_a, reflected, settings):
    import time_machine

    from privacy.services import purge_expired

    days = settings.CERCHIO_RETENTION_DAYS["reflection"]
    purge_expired()
    assert Reflection.objects.exists()
    with time_machine.travel(reflected.created_at + timedelta(days=days + 1), tick=False):
        counts = purge_expired()
    assert counts["companion.reflection"] == 1 and not Reflection.objects.exists()
