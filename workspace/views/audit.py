"""The audit log of an association, for its coordinators (site administrators: every event).

Which events concern an association is decided in `workspace.audit.events_concerning`.
The page filters by person, action, object and dates with a GET form, and exports
the same rows as CSV (`?format=csv`); each export is itself written to the log.
"""

import csv
from collections.abc import Iterator
from datetime import UTC

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from network.access import Cap, access_for
from network.models import Association
from privacy.audit import audit
from privacy.models import AuditAction
from workspace.audit import (
    describe_event,
    events_concerning,
    everyone_with_a_role,
    object_type_label,
    people_choices,
    people_ids,
)
from workspace.decorators import workspace_view
from workspace.forms import AuditFilterForm
from workspace.scoping import association_for

CAP = Cap.ASSOCIATION_VIEW_AUDIT
PER_PAGE = 50
OBJECT_TYPES_SHOWN = 50
PEOPLE_SHOWN = 500
CSV_COLUMNS = [
    "at_utc",
    "action",
    "action_label",
    "actor_id",
    "actor",
    "subject_id",
    "subject",
    "object_type",
    "object_id",
    "association_id",
    "association",
]
# A spreadsheet runs a cell that starts with one of these as a formula (nicknames are typed by people).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _chosen_association(request: HttpRequest) -> Association | None:
    """The association asked for (404, logged, outside the scope); None: every event (site administrators)."""
    raw = request.GET.get("association", "")
    pk = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 16 else None
    if pk is None and access_for(request).is_superuser:
        return None
    return association_for(request, CAP, pk)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _csv_rows(events, associations: dict[int, str]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so spreadsheets read the file as UTF-8 (accents in nicknames and labels)
    yield writer.writerow(CSV_COLUMNS)
    for event in events.iterator(chunk_size=500):
        row = describe_event(event, associations)
        row["at_utc"] = event.at.astimezone(UTC).isoformat()
        yield writer.writerow([_cell(row[column]) for column in CSV_COLUMNS])


def _export(request: HttpRequest, events, association: Association | None, associations: dict[int, str]):
    filters = " ".join(f"{key}={value}" for key, value in sorted(request.GET.items()) if key not in ("format", "page"))
    audit(
        AuditAction.EXPORTED,
        actor=request.user,
        object_type="privacy.auditevent",
        object_id=filters,
        association_id=association.pk if association else None,
    )
    name = association.slug if association else "cerchio"
    response = StreamingHttpResponse(_csv_rows(events, associations), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="registro-{name}-{timezone.localdate():%Y-%m-%d}.csv"'
    return response


@workspace_view(CAP)
def audit_log(request: HttpRequest) -> HttpResponse:
    access = access_for(request)
    association = _chosen_association(request)
    everything = access.is_superuser
    associations = list(access.associations(CAP).order_by("name")[:200])
    events = events_concerning(association)
    people = people_ids(association) if association else everyone_with_a_role()
    object_types = events.exclude(object_type="").order_by("object_type").values_list("object_type", flat=True)
    form = AuditFilterForm(
        request.GET or None,
        associations=associations,
        everything=everything,
        people=people_choices(sorted(people)[:PEOPLE_SHOWN]),
        object_types=[(value, object_type_label(value)) for value in object_types.distinct()[:OBJECT_TYPES_SHOWN]],
        initial={"association": str(association.pk) if association else ""},
    )
    if form.is_bound:
        events = form.apply(events)
    events = events.select_related("actor__profile", "subject__profile").order_by("-at", "-pk")
    names = dict(Association.objects.values_list("pk", "name")) if everything else {a.pk: a.name for a in associations}
    if request.GET.get("format") == "csv" and (not form.is_bound or form.is_valid()):
        return _export(request, events, association, names)
    page = Paginator(events, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "workspace/audit.html",
        {
            "association": association,
            "form": form,
            "filtered": form.filtered,
            "page": page,
            "events": [describe_event(event, names) for event in page],
        },
    )
