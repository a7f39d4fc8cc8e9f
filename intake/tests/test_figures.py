"""The association's intake figures: counts by month, outcome and theme, first contact; small counts suppressed."""

import csv
import io
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from intake.figures import association_figures, suppress_cells
from intake.models import Outcome, RequestState
from intake.tests.demand_factories import make_request
from network.tests.factories import ThemeFactory

pytestmark = pytest.mark.django_db
ROME = ZoneInfo("Europe/Rome")
NOW = datetime(2027, 7, 20, 12, 0, tzinfo=ROME)
JUNE = datetime(2027, 6, 7, 10, 0, tzinfo=ROME)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield NOW


def test_one_hidden_part_of_a_published_total_takes_another_with_it():
    assert suppress_cells([5, 2, 4, 0]) == [5, None, None, 0]
    assert suppress_cells([5, 2, 1, 0]) == [5, None, None, 0]
    assert suppress_cells([5, 3, 4, 0]) == [5, 3, 4, 0]
    assert suppress_cells([2, 0, 0]) == [None, 0, 0]  # nothing else to hide: the total is below 3 as well
    assert suppress_cells([3, 1]) == [None, None]


@pytest.fixture
def june(frozen, association_x):
    """June 2027 at association X: 5 joined, 2 not interested, 4 unreachable; 7 first contacts (4 on time)."""
    lutto = ThemeFactory(slug="lutto", name_it="Lutto")
    azzardo = ThemeFactory(slug="azzardo", name_it="Gioco d'azzardo")
    requests = []
    for index in range(5):
        requests.append(
            make_request(
                association_x,
                theme=lutto,
                state=RequestState.CLOSED,
                outcome=Outcome.JOINED,
                created_at=JUNE + timedelta(days=index),
                first_contact_after=timedelta(hours=[2, 4, 10, 30, 70][index]),
            )
        )
    for index in range(2):
        make_request(
            association_x,
            theme=azzardo,
            state=RequestState.CLOSED,
            outcome=Outcome.NOT_INTERESTED,
            created_at=JUNE + timedelta(days=index),
            first_contact_after=timedelta(hours=60),
        )
    for index in range(4):
        make_request(
            association_x,
            theme=lutto,
            state=RequestState.CLOSED,
            outcome=Outcome.UNREACHABLE,
            created_at=JUNE + timedelta(days=index),
        )
    return requests


def test_requests_per_month_by_outcome_suppress_small_counts(june, association_x):
    figures = association_figures(association_x)
    row = next(row for row in figures.months if row.month.month == 6)
    cells = dict(zip(figures.outcome_labels, row.outcomes, strict=True))
    assert row.received.shown == 11
    assert cells[str(Outcome.JOINED.label)].shown == 5
    assert cells[str(Outcome.NOT_INTERESTED.label)].shown is None
    assert cells[str(Outcome.NOT_INTERESTED.label)].label == "meno di 3"
    # 4 unreachable would give the 2 away (11 - 5 - 4): it is hidden too.
    assert cells[str(Outcome.UNREACHABLE.label)].shown is None
    assert cells[str(Outcome.UNREACHABLE.label)].label == "non diffuso"
    assert len(figures.months) == 12 and figures.months[-1].month.month == 7


def test_time_to_first_contact_and_the_share_on_time(june, association_x):
    figures = association_figures(association_x)
    row = next(row for row in figures.months if row.month.month == 6)
    # Contacted within 48 h: 2, 4, 10 and 30 hours (4); late: 70, 60, 60 hours and the 4 never reached (7).
    assert (row.on_time.shown, row.late.shown) == (4, 7)
    assert row.share_on_time == 36
    assert row.median_hours == 30.0  # of 2, 4, 10, 30, 60, 60, 70
    assert figures.median_hours == 30.0 and figures.share_on_time == 36


def test_a_share_of_a_few_is_not_shown(frozen, association_x):
    for hours in (2, 3, 70):
        make_request(association_x, created_at=JUNE, first_contact_after=timedelta(hours=hours))
    row = next(row for row in association_figures(association_x).months if row.month.month == 6)
    assert (row.on_time.shown, row.late.shown) == (None, None)
    assert row.share_on_time is None
    assert row.median_hours == 3.0  # three first contacts: a median names nobody


def test_requests_by_theme_suppress_small_counts(june, association_x):
    themes = {row.label: row.count for row in association_figures(association_x).themes}
    # Lutto 9, azzardo 2: with the total published, hiding only the 2 would give it away.
    assert themes["Gioco d'azzardo"].label == "meno di 3" and themes["Lutto"].label == "non diffuso"
    fumo = ThemeFactory(slug="fumo", name_it="Smettere di fumare")
    for _ in range(3):
        make_request(association_x, theme=fumo, state=RequestState.NEW, created_at=NOW - timedelta(days=1))
    themes = {row.label: row.count for row in association_figures(association_x).themes}
    assert themes["Lutto"].shown == 9
    assert themes["Smettere di fumare"].shown is None and themes["Smettere di fumare"].label == "non diffuso"
    assert themes["Gioco d'azzardo"].shown is None and themes["Gioco d'azzardo"].label == "meno di 3"


def test_the_page_draws_the_charts_and_the_tables_without_small_counts(client, coordinator_x, june):
    client.force_login(coordinator_x)
    response = client.get(reverse("workspace:intake_figures"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<svg") == 4
    for svg in html.split("<svg")[1:]:
        ET.fromstring("<svg" + svg.split("</svg>")[0] + "</svg>")  # well-formed
    assert "meno di 3" in html and "non diffuso" in html
    table = html.split('id="outcomes-title"')[1].split("</table>")[0]
    cells = [cell.split("<")[0] for cell in table.split("<td>")[1:]]
    assert "2" not in cells and "1" not in cells and "4" not in cells
    assert "11" in cells and "5" in cells


def test_the_csv_holds_the_same_suppressed_figures(client, coordinator_x, june):
    client.force_login(coordinator_x)
    response = client.get(reverse("workspace:intake_figures_csv"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, june_row = rows[0], next(row for row in rows if row[0] == "2027-06")
    assert len(rows) == 13 and header[0] == "mese"
    values = dict(zip(header, june_row, strict=True))
    assert values["richieste ricevute"] == "11"
    assert values[str(Outcome.NOT_INTERESTED.label)] == "meno di 3"
    assert values[str(Outcome.UNREACHABLE.label)] == "non diffuso"
    assert not {"1", "2"} & set(june_row[1:])
    themes = client.get(reverse("workspace:intake_figures_csv"), {"table": "themes"})
    theme_rows = list(csv.reader(io.StringIO(themes.content.decode("utf-8-sig"))))
    assert ["Gioco d'azzardo", "meno di 3"] in theme_rows and ["Lutto", "non diffuso"] in theme_rows


def test_a_calendar_year_can_be_chosen(client, coordinator_x, june, association_x):
    client.force_login(coordinator_x)
    response = client.get(reverse("workspace:intake_figures"), {"year": "2027"})
    assert response.status_code == 200
    figures = association_figures(association_x, year=2027)
    assert [row.month.month for row in figures.months] == list(range(1, 13))
    assert client.get(reverse("workspace:intake_figures"), {"year": "nonsense"}).status_code == 200
    csv_response = client.get(reverse("workspace:intake_figures_csv"), {"year": "2027"})
    assert "2027" in csv_response["Content-Disposition"]
