"""The association's figures: attendance per group, month by month, charts drawn by the server, the CSV export.

Counts of people of 1 or 2 are never exported ("meno di 3", lib/figures.py), and are
hidden on screen too for associations seen only as their coordination: a small count
can point at a person. The number of meetings is not a count of people and is shown.
"""

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from companion import selectors
from lib.charts import Series, bar_chart
from lib.dates import date_label
from lib.figures import csv_response, suppress, suppressed_label
from network.access import Cap, access_for
from workspace.decorators import workspace_view
from workspace.views.association import _chosen_association, _several

CAP = Cap.NETWORK_VIEW_FIGURES
MONTHS = 12


def _month_label(month: date) -> str:
    return date_label(month).split(" ", 1)[1]  # "agosto 2027"


def _short_month(month: date) -> str:
    return date_label(month).split(" ")[1][:3]  # "ago"


def _figures(request: HttpRequest):
    association = _chosen_association(request, CAP)
    access = access_for(request)
    # Its own coordinators (and site administrators) see exact counts; a coordination does not.
    hide_small = not access.can(Cap.ASSOCIATION_MANAGE_GROUPS, association)
    groups = access.groups(CAP).filter(association=association)
    return association, hide_small, selectors.monthly_figures(groups, months=MONTHS)


def _cell(value, *, hide_small: bool) -> str:
    if value is None:
        return "–"
    return suppressed_label(value) if hide_small else str(value)


def _month_rows(months, *, hide_small: bool) -> list[dict]:
    return [
        {
            "label": _month_label(month.month),
            "held": month.held,
            "average": _cell(month.average, hide_small=hide_small),
            "newcomers": _cell(month.newcomers if month.counted else None, hide_small=hide_small),
        }
        for month in months
    ]


@workspace_view(CAP)
def figures(request: HttpRequest) -> HttpResponse:
    association, hide_small, table = _figures(request)
    network: dict[date, selectors.Month] = {}
    rows = []
    for item in table:
        for month in item.months:
            total = network.setdefault(month.month, selectors.Month(month=month.month))
            total.held += month.held
            total.counted += month.counted
            total.participants += month.participants
            total.newcomers += month.newcomers
        rows.append(
            {
                "group": item.group,
                "held": item.held,
                "average": _cell(item.average, hide_small=hide_small),
                "newcomers": _cell(item.newcomers, hide_small=hide_small),
                "months": _month_rows(item.months[::-1], hide_small=hide_small),  # the latest month first
            }
        )
    months = [network[key] for key in sorted(network)]
    categories = [_short_month(month.month) for month in months]
    # A chart shows what the table next to it shows: hidden counts are drawn as "<3".
    shown = suppress if hide_small else (lambda value: value)
    charts = [
        bar_chart(
            title=_("Incontri tenuti, mese per mese"),
            description=_("Gli incontri non annullati di tutti i gruppi; i numeri sono nella tabella qui sotto."),
            categories=categories,
            series=[Series(_("Incontri tenuti"), [month.held for month in months])],
        ),
        bar_chart(
            title=_("Presenze medie e persone nuove, mese per mese"),
            description=_("Dai numeri registrati dai facilitatori; i numeri sono nella tabella qui sotto."),
            categories=categories,
            series=[
                Series(_("Presenze medie per incontro"), [shown(month.average or 0) for month in months]),
                Series(_("Persone nuove"), [shown(month.newcomers) for month in months]),
            ],
        ),
    ]
    since = selectors.month_starts(until=timezone.localdate(), count=MONTHS)[0]
    return render(
        request,
        "workspace/figures.html",
        {
            "association": association,
            "associations": _several(request, CAP),
            "rows": rows,
            "network": _month_rows(months, hide_small=hide_small),
            "charts": charts,
            "hide_small": hide_small,
            "reflections": selectors.shared_reflection_totals([association], since=since),
            "months": MONTHS,
        },
    )


@workspace_view(CAP)
def figures_export(request: HttpRequest) -> HttpResponse:
    """The same figures as CSV; counts of people below 3 always suppressed ("meno di 3")."""
    association, _hide, table = _figures(request)

    def exported(value) -> str:
        return "" if value is None else suppressed_label(value)

    rows = [
        [
            item.group.name,
            month.month.strftime("%Y-%m"),
            month.held,
            month.counted,
            exported(month.average),
            exported(month.newcomers if month.counted else None),
        ]
        for item in table
        for month in item.months
    ]
    return csv_response(
        filename=f"cerchio-presenze-{association.slug}.csv",
        header=[
            _("gruppo"),
            _("mese"),
            _("incontri tenuti"),
            _("incontri con presenze registrate"),
            _("presenze medie"),
            _("persone nuove"),
        ],
        rows=rows,
    )
