"""The demo shows waiting demand past the threshold, and a year of figures."""

from django.core.management import call_command

from intake import demand
from intake.figures import association_figures
from intake.models import DemandRecord, IntakeRequest
from network.models import Association


def test_the_demo_shows_an_area_past_the_threshold_and_a_year_of_figures(db, capsys):
    call_command("seed_demo")
    counts = (DemandRecord.objects.count(), IntakeRequest.objects.count())
    call_command("seed_demo")
    assert (DemandRecord.objects.count(), IntakeRequest.objects.count()) == counts
    association = Association.objects.get(slug="ama-trentino-demo")
    board = demand.demand_board(association)
    reached = [row for row in board if row.reached]
    assert [str(row.theme) for row in reached] == ["Neomamme"]
    assert reached[0].areas[0].count == 7 and reached[0].areas[0].label == "Rovereto"
    assert not any(row.reached for row in board[1:])
    figures = association_figures(association)
    assert figures.total.shown and figures.total.shown > 100
    assert figures.share_on_time is not None and figures.median_hours is not None
    # The past requests hold no personal data, as retention leaves them.
    assert not IntakeRequest.objects.filter(reference__regex=r"^R-H[0-9]{4}$", redacted_at__isnull=True).exists()
