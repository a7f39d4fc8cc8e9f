"""The association's figures: attendance per group, month by month, and the CSV export.

Counts of people of 1 or 2 are never exported, and are hidden on screen too for
associations seen only as their coordination: a small count can point at a person.
"""

import csv
from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from companion import selectors
from lib.dates import date_label
from network.access import Cap, access_for
from workspace.decorators import workspace_view
from workspace.views.association import _chosen_association, _several

CAP = Cap.NETWORK_VIEW_FIGURES
MONTHS = 12


def _month_label(month: date) -> str:
    return date_label(month).split(" ", 1)[1]  # "agosto 2027"


def _display(value, *, hide_small: bool):
    return selectors.suppressed(value) if hide_small else value


def _figures(request: HttpRequest):
    association = _chosen_association(request, CAP)
    access = access_for(request)
    # Its own coordinators (and site administrators) see exact counts; a coordination does not.
    hide_small = not access.can(Cap.ASSOCIATION_MANAGE_GROUPS, association)
    groups = access.groups(CAP).filter(association=association)
    return association, hide_small, selectors.monthly_figures(groups, months=MONTHS)


@workspace_view(CAP)
def figures(request: HttpRequest) -> HttpResponse:
    association, hide_small, table = _figures(request)
    rows = []
    totals: dict[date, dict] = {}
    for item in table:
        months = []
        for month in item.months:
            months.append(
                {
                    "label": _month_label(month.month),
                    "held": month.held,
                    "average": _display(month.average, hide_small=hide_small),
                    "newcomers": _display(month.newcomers, hide_small=hide_small),
                }
            )
            total = totals.setdefault(month.month, {"held": 0, "counted": 0, "participants": 0, "newcomers": 0})
            total["held"] += month.held
            total["counted"] += month.counted
            total["participants"] += month.participants
            total["newcomers"] += month.newcomers
        rows.append(
            {
                "group": item.group,
                "held": item.held,
                "average": _display(item.average, hide_small=hide_small),
                "newcomers": _display(item.newcomers, hide_small=hide_small),
                "months": months[::-1],  # the latest month first
            }
        )
    network = [
        {
            "label": _month_label(month),
            "held": total["held"],
            "average": _display(
                round(total["participants"] / total["counted"], 1) if total["counted"] else None, hide_small=hide_small
            ),
            "newcomers": _display(total["newcomers"], hide_small=hide_small),
        }
        for month, total in sorted(totals.items())
    ]
    since = selectors.month_starts(until=timezone.localdate(), count=MONTHS)[0]
    return render(
        request,
        "workspace/figures.html",
        {
            "association": association,
            "associations": _several(request, CAP),
            "rows": rows,
            "network": network,
            "hide_small": hide_small,
            "reflections": selectors.shared_reflection_totals([association], since=since),
            "months": MONTHS,
        },
    )


@workspace_view(CAP)
def figures_export(request: HttpRequest) -> HttpResponse:
    """The same figures as CSV; counts of people below 3 always suppressed."""
    association, _hide, table = _figures(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="cerchio-presenze-{association.slug}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            _("gruppo"),
            _("mese"),
            _("incontri tenuti"),
            _("incontri con presenze registrate"),
            _("presenze medie"),
            _("persone nuove"),
        ]
    )
    for item in table:
        for month in item.months:
            average = selectors.suppressed(month.average)
            newcomers = selectors.suppressed(month.newcomers) if month.counted else None
            writer.writerow(
                [
                    item.group.name,
                    month.month.strftime("%Y-%m"),
                    month.held,
                    month.counted,
                    "" if average is None else average,
                    "" if newcomers is None else newcomers,
                ]
            )
    return response
