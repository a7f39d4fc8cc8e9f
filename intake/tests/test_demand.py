"""The demand board: the threshold by theme within the radius and the window, small counts, settings."""

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from intake import demand
from intake.models import IntakeSettings, RequestState
from intake.tests.demand_factories import LAVIS, PERGINE, PREDAZZO, TRENTO, make_demand, make_waiting
from network.models import Activity
from network.services import Refused
from network.tests.factories import ThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lutto():
    return ThemeFactory(slug="lutto", name_it="Lutto", name_en="Grief")


@pytest.fixture
def azzardo():
    return ThemeFactory(slug="azzardo", name_it="Gioco d'azzardo", name_en="Gambling")


def _row(board, theme):
    return next(row for row in board if row.theme == theme)


def test_six_requests_for_one_theme_within_30_km_reach_the_threshold(association_x, lutto):
    for place, name in [(TRENTO, "Trento"), (TRENTO, "Trento"), (LAVIS, "Lavis"), (LAVIS, "Lavis")]:
        make_waiting(association_x, lutto, at=place, area=name)
    make_waiting(association_x, lutto, at=PERGINE, area="Pergine Valsugana")
    row = _row(demand.demand_board(association_x), lutto)
    assert row.count == 5 and not row.reached
    make_waiting(association_x, lutto, at=PERGINE, area="Pergine Valsugana")
    row = _row(demand.demand_board(association_x), lutto)
    assert row.reached
    assert [area.count for area in row.areas] == [6]
    assert set(row.areas[0].towns) == {"Trento", "Lavis", "Pergine Valsugana"}


def test_requests_beyond_the_radius_make_another_area(association_x, lutto):
    for _ in range(3):
        make_waiting(association_x, lutto, at=TRENTO, area="Trento")
    for _ in range(3):
        make_waiting(association_x, lutto, at=PREDAZZO, area="Predazzo")
    row = _row(demand.demand_board(association_x), lutto)
    assert not row.reached
    assert sorted(area.count for area in row.areas) == [3, 3]
    assert {area.label for area in row.areas} == {"Trento", "Predazzo"}


def test_another_theme_in_the_same_town_does_not_count(association_x, lutto, azzardo):
    for _ in range(5):
        make_waiting(association_x, lutto)
    make_waiting(association_x, azzardo)
    board = demand.demand_board(association_x)
    assert not _row(board, lutto).reached and _row(board, azzardo).count == 1


def test_requests_older_than_the_window_are_not_counted(association_x, lutto):
    this_month = timezone.localdate().replace(day=1)
    for _ in range(5):
        make_waiting(association_x, lutto, month=this_month - relativedelta(months=5))  # the window's first month
    make_waiting(association_x, lutto, month=this_month - relativedelta(months=6))  # just outside
    assert not _row(demand.demand_board(association_x), lutto).reached
    make_waiting(association_x, lutto, month=this_month)
    assert _row(demand.demand_board(association_x), lutto).reached


def test_each_association_sets_its_own_threshold_radius_and_window(association_x, association_y, lutto, coordinator_x):
    for association in (association_x, association_y):
        for _ in range(4):
            make_waiting(association, lutto, at=TRENTO)
        make_waiting(association, lutto, at=PREDAZZO, area="Predazzo")
    demand.intake_settings_update(association=association_y, by=coordinator_x, demand_threshold=4)
    assert not _row(demand.demand_board(association_x), lutto).reached
    assert _row(demand.demand_board(association_y), lutto).reached
    # A wider zone takes Predazzo in too.
    demand.intake_settings_update(association=association_x, by=coordinator_x, demand_radius_km=60)
    assert [area.count for area in _row(demand.demand_board(association_x), lutto).areas] == [5]
    # A shorter window drops last month's requests.
    fumo = ThemeFactory(slug="fumo", name_it="Fumo")
    make_waiting(association_x, fumo, month=timezone.localdate().replace(day=1) - relativedelta(months=1))
    assert any(row.theme == fumo for row in demand.demand_board(association_x))
    demand.intake_settings_update(association=association_x, by=coordinator_x, demand_window_months=1)
    assert all(row.theme != fumo for row in demand.demand_board(association_x))
    assert IntakeSettings.objects.get(association=association_x).demand_window_months == 1


def test_requests_that_found_a_group_or_closed_leave_the_board_but_anonymous_records_stay(association_x, lutto):
    kept = make_waiting(association_x, lutto)
    anonymous = make_demand(association_x, lutto, request=None)
    moved_on = make_waiting(association_x, lutto)
    moved_on.request.state = RequestState.PROPOSED
    moved_on.request.save()
    closed = make_waiting(association_x, lutto)
    closed.request.state, closed.request.outcome = RequestState.CLOSED, "not_interested"
    closed.request.save()
    counted = {record.pk for record in demand.waiting_demand(association_x)}
    assert counted == {kept.pk, anonymous.pk}


def test_the_threshold_cannot_go_below_three_and_a_refusal_says_why(association_x, coordinator_x):
    with pytest.raises(Refused, match="almeno 3"):
        demand.intake_settings_update(association=association_x, by=coordinator_x, demand_threshold=2)
    settings_ = demand.intake_settings_update(
        association=association_x, by=coordinator_x, demand_threshold=8, response_working_days=3
    )
    assert (settings_.demand_threshold, settings_.response_working_days) == (8, 3)
    assert Activity.objects.filter(action="intake.settings", association=association_x).count() == 1


# --- The pages ----------------------------------------------------------------


def test_the_board_highlights_the_area_that_reached_the_threshold(client, coordinator_x, association_x, lutto):
    for _ in range(6):
        make_waiting(association_x, lutto)
    client.force_login(coordinator_x)
    response = client.get(reverse("workspace:demand"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "soglia raggiunta" in html and "ws-demand-reached" in html
    assert "6 richieste" in html
    starts = [reverse("workspace:demand_start", kwargs={"pk": r.pk}) for r in demand.waiting_demand(association_x)]
    assert sum(url in html for url in starts) == 1  # one area, one way to start its group


def test_the_board_neither_counts_nor_names_areas_with_fewer_than_three(client, coordinator_x, association_x, lutto):
    for _ in range(3):
        make_waiting(association_x, lutto, at=TRENTO, area="Trento")
    for _ in range(2):
        make_waiting(association_x, lutto, at=PREDAZZO, area="Predazzo")
    make_waiting(association_x, ThemeFactory(slug="raro", name_it="Tema raro"), at=TRENTO, area="Trento")
    client.force_login(coordinator_x)
    html = client.get(reverse("workspace:demand")).content.decode()
    assert "3 richieste" in html
    assert "Predazzo" not in html
    assert "2 richieste" not in html and "1 richieste" not in html
    assert "meno di 3 richieste per zona" in html
    assert "Tema raro" in html  # the theme is listed, its count and its town are not


def test_intake_settings_are_edited_on_a_page_and_bad_values_keep_what_was_typed(client, coordinator_x, association_x):
    client.force_login(coordinator_x)
    url = reverse("workspace:intake_settings")
    response = client.post(
        url,
        {"response_working_days": "3", "demand_threshold": "2", "demand_radius_km": "25", "demand_window_months": "6"},
    )
    assert response.status_code == 400
    assert 'value="25"' in response.content.decode()
    assert not IntakeSettings.objects.filter(association=association_x).exists()
    response = client.post(
        url,
        {"response_working_days": "3", "demand_threshold": "7", "demand_radius_km": "25", "demand_window_months": "6"},
    )
    assert response.status_code == 302
    saved = IntakeSettings.objects.get(association=association_x)
    assert (saved.response_working_days, saved.demand_threshold, saved.demand_radius_km) == (3, 7, 25)
    response = client.post(url, {"response_working_days": "tre", "demand_threshold": "7"})
    assert response.status_code == 400 and 'value="tre"' in response.content.decode()


def test_a_stale_settings_page_does_not_overwrite_newer_settings(client, coordinator_x, association_x):
    demand.intake_settings_update(association=association_x, by=None, demand_threshold=6)
    client.force_login(coordinator_x)
    page = client.get(reverse("workspace:intake_settings")).content.decode()
    seen = page.split('name="seen_version" value="')[1].split('"')[0]
    demand.intake_settings_update(association=association_x, by=None, demand_threshold=9)
    response = client.post(
        reverse("workspace:intake_settings"),
        {
            "response_working_days": "2",
            "demand_threshold": "5",
            "demand_radius_km": "30",
            "demand_window_months": "6",
            "seen_version": seen,
        },
    )
    assert response.status_code == 400
    assert IntakeSettings.objects.get(association=association_x).demand_threshold == 9


def test_the_request_queue_is_not_shown_on_the_board(client, coordinator_x, association_x, lutto):
    for _ in range(6):
        make_waiting(association_x, lutto, email="anna.rossi@example.org")
    client.force_login(coordinator_x)
    html = client.get(reverse("workspace:demand")).content.decode()
    assert "anna.rossi" not in html and "R-T" not in html and "Anna" not in html
