"""Who sees the demand board and the figures, and who may start a group or change the settings."""

import pytest
from django.urls import reverse

from intake.models import DemandRecord
from intake.tests.demand_factories import make_request, make_waiting
from network.models import AssociationMembership, AssociationRole
from network.tests.factories import AssociationFactory, ThemeFactory
from privacy.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(association_x, association_y):
    lutto = ThemeFactory(slug="lutto", name_it="Lutto")
    fumo = ThemeFactory(slug="fumo", name_it="Smettere di fumare")
    x_records = [make_waiting(association_x, lutto, area="Trento") for _ in range(6)]
    y_records = [make_waiting(association_y, fumo, area="Bolzano") for _ in range(6)]
    for _ in range(4):
        make_request(association_y, theme=fumo, state="closed")
    return {"x": x_records, "y": y_records}


@pytest.fixture
def coordination(association_x):
    """A regional coordination with association X as a member, and its coordinator."""
    from conftest import _user, enrol_totp

    parent = AssociationFactory(name="Coordinamento", slug="coordinamento")
    association_x.coordination = parent
    association_x.save()
    user = _user("coordinamento@example.org", is_staff=True)
    AssociationMembership.objects.create(user=user, association=parent, role=AssociationRole.COORDINATOR)
    enrol_totp(user)
    return user


def test_a_coordinator_never_sees_another_associations_demand_or_figures(client, coordinator_x, association_y, world):
    client.force_login(coordinator_x)
    own = client.get(reverse("workspace:demand")).content.decode()
    assert "Lutto" in own and "Smettere di fumare" not in own and "Bolzano" not in own
    for name in ("workspace:demand", "workspace:intake_figures", "workspace:intake_figures_csv"):
        assert client.get(reverse(name), {"association": association_y.pk}).status_code == 404, name
    other = world["y"][0]
    for method in ("get", "post"):
        response = getattr(client, method)(reverse("workspace:demand_start", kwargs={"pk": other.pk}))
        assert response.status_code == 404
    assert AuditEvent.objects.filter(
        action=AuditAction.AUTHORIZATION_FAILED, object_type="intake.demandrecord", object_id=str(other.pk)
    ).exists()
    assert not DemandRecord.objects.filter(group__isnull=False).exists()
    # Nor its settings.
    response = client.post(
        reverse("workspace:intake_settings"),
        {
            "association": association_y.pk,
            "response_working_days": "5",
            "demand_threshold": "3",
            "demand_radius_km": "5",
            "demand_window_months": "2",
        },
    )
    assert response.status_code == 404


def test_intake_operators_facilitators_and_referrers_do_not_see_the_board_or_the_figures(
    client, intake_operator, facilitator_a, referrer_x, world
):
    for user in (intake_operator, facilitator_a, referrer_x):
        client.force_login(user)
        for name in ("workspace:demand", "workspace:intake_figures", "workspace:intake_figures_csv"):
            assert client.get(reverse(name)).status_code == 403, (user, name)
        start = reverse("workspace:demand_start", kwargs={"pk": world["x"][0].pk})
        assert client.get(start).status_code == 403


def test_a_coordination_reads_its_members_board_and_figures_but_never_starts_their_groups(
    client, coordination, association_x, association_y, world
):
    client.force_login(coordination)
    board = client.get(reverse("workspace:demand"), {"association": association_x.pk})
    assert board.status_code == 200
    html = board.content.decode()
    assert "Lutto" in html and "soglia raggiunta" in html
    assert "/start/" not in html  # no way to start another association's group
    figures = client.get(reverse("workspace:intake_figures"), {"association": association_x.pk})
    assert figures.status_code == 200
    start = reverse("workspace:demand_start", kwargs={"pk": world["x"][0].pk})
    assert client.post(start, {"name": "Nostro"}).status_code == 404
    assert client.get(reverse("workspace:demand"), {"association": association_y.pk}).status_code == 404
    assert not DemandRecord.objects.filter(group__isnull=False).exists()


def test_the_navigation_shows_the_demand_pages_only_to_those_who_can_use_them(client, coordinator_x, intake_operator):
    client.force_login(coordinator_x)
    home = client.get(reverse("workspace:home")).content.decode()
    assert reverse("workspace:demand") in home and reverse("workspace:figures") in home
    # The intake figures are a tab of "Numeri", not a second entry.
    assert reverse("workspace:intake_figures") not in home
    figures = client.get(reverse("workspace:figures")).content.decode()
    assert reverse("workspace:intake_figures") in figures
    intake = client.get(reverse("workspace:intake_figures")).content.decode()
    assert 'aria-current="page">Accoglienza</a>' in intake
    client.force_login(intake_operator)
    home = client.get(reverse("workspace:home")).content.decode()
    assert reverse("workspace:demand") not in home and reverse("workspace:figures") not in home
