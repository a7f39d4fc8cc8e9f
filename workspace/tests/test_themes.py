"""Coordinators keep each theme's variants and synonyms; the directory finds the groups by them at once."""

import pytest
from django.urls import reverse

from network.models import Activity, Theme
from network.tests.factories import ThemeFactory, make_group


@pytest.fixture
def alcohol(db):
    return ThemeFactory(slug="alcol", name_it="Alcol", name_en="Alcohol")


def _found(client, q: str) -> list[str]:
    return [group["slug"] for group in client.get("/api/v1/groups", {"q": q}).json()["results"]]


def test_a_coordinator_adds_a_variant_and_the_search_finds_the_group(client, coordinator_x, association_x, alcohol):
    make_group(association=association_x, slug="alcol-trento", themes=[alcohol])
    assert _found(client, "alcool") == []
    client.force_login(coordinator_x)
    listing = client.get(reverse("workspace:themes"))
    assert "Nessuna variante" in listing.content.decode()
    response = client.post(reverse("workspace:theme_edit", args=["alcol"]), {"synonyms": "alcool, alcolismo"})
    assert response.status_code == 302
    assert Theme.objects.get(slug="alcol").synonyms == "alcool, alcolismo"
    assert _found(client, "alcool") == ["alcol-trento"]
    activity = Activity.objects.get(action="theme.synonyms")
    assert activity.actor == coordinator_x and activity.payload["to"] == ["alcool", "alcolismo"]
    assert "alcool, alcolismo" in client.get(reverse("workspace:themes")).content.decode()


def test_a_refused_list_is_shown_on_the_form_with_what_was_typed(client, coordinator_x, alcohol):
    client.force_login(coordinator_x)
    typed = ", ".join(f"parola{n}" for n in range(45))
    response = client.post(reverse("workspace:theme_edit", args=["alcol"]), {"synonyms": typed})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Al massimo 40 varianti" in body
    assert "parola44" in body
    assert Theme.objects.get(slug="alcol").synonyms == ""


def test_a_facilitator_cannot_edit_themes(client, facilitator_a, alcohol):
    client.force_login(facilitator_a)
    assert client.get(reverse("workspace:themes")).status_code == 403
    assert client.post(reverse("workspace:theme_edit", args=["alcol"]), {"synonyms": "x"}).status_code == 403
    assert Theme.objects.get(slug="alcol").synonyms == ""


def test_the_site_admin_edits_variants_in_the_admin_through_the_service(client, site_admin, association_x, alcohol):
    make_group(association=association_x, slug="alcol-trento", themes=[alcohol])
    client.force_login(site_admin)
    url = reverse("admin:network_theme_change", args=[alcohol.pk])
    response = client.post(url, {"name_it": "Alcol", "name_en": "Alcohol", "synonyms": "alcool;  alcolismo"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Theme.objects.get(slug="alcol").synonyms == "alcool, alcolismo"
    assert _found(client, "alcolismo") == ["alcol-trento"]
    assert Activity.objects.filter(action="theme.synonyms", actor=site_admin).exists()
