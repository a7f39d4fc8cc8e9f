"""The association's side of the workspace: its groups, the network's meetings, venues and history.

Views are thin: the access helper gives the object (or 404), a form validates, a
service does the work; refusals come back onto the form with their reason.
"""

from datetime import datetime, time, timedelta
from itertools import groupby

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.places import resolve_place
from network import services
from network.access import Cap, access_for
from network.models import Activity, Group, GroupStatus, Meeting, Schedule, Venue
from workspace.decorators import workspace_view
from workspace.forms import (
    AssociationPublicForm,
    GroupFilterForm,
    GroupStatusForm,
    NewGroupForm,
    VenueForm,
    add_refusal,
)
from workspace.history import describe_activity
from workspace.scoping import association_for, group_for, venue_for

GROUPS_PER_PAGE = 50
HISTORY_PER_PAGE = 30
# A month of a large network fits; past this the page says it shows only the first ones.
NETWORK_MEETINGS_LIMIT = 400

# What each state means, in one line, on the status page.
STATUS_EXPLANATIONS = {
    GroupStatus.PLANNED: gettext_lazy("Si prepara: non compare ancora nella ricerca pubblica."),
    GroupStatus.PROMOTING: gettext_lazy("Compare nella ricerca: si raccolgono le persone interessate."),
    GroupStatus.FIRST_MEETING_HELD: gettext_lazy(
        "Il primo incontro c'è stato: compare ancora come «in avvio» finché non diventa attivo."
    ),
    GroupStatus.ACTIVE: gettext_lazy("Si incontra secondo il suo ritmo e compare nella ricerca."),
    GroupStatus.SUSPENDED: gettext_lazy("Per ora non si incontra: sparisce dalla ricerca, il calendario resta."),
    GroupStatus.CLOSED: gettext_lazy("Il gruppo finisce: il calendario si chiude e gli incontri futuri spariscono."),
    GroupStatus.GEMMATED: gettext_lazy("Il gruppo è diventato autonomo: il calendario qui si chiude."),
}
# Moves that end the group's schedules: they ask for confirmation first.
ENDING_STATUSES = {GroupStatus.CLOSED, GroupStatus.GEMMATED}


def _chosen_association(request: HttpRequest, cap: Cap):
    """The association the person works on: `?association=` when they have several, else their first."""
    raw = request.POST.get("association") or request.GET.get("association") or ""
    pk = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 16 else None
    return association_for(request, cap, pk)


def _several(request: HttpRequest, cap: Cap):
    """The associations the person holds `cap` over, when there is more than one (for a chooser)."""
    associations = list(access_for(request).associations(cap).order_by("name")[:50])
    return associations if len(associations) > 1 else []


def unique_slug(name: str) -> str:
    """A free slug for a new group, from its name: "gruppo-lutto", then "-2", "-3"…"""
    base = slugify(name)[:110].strip("-") or "gruppo"
    taken = set(Group.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    return slug


# --- Groups -------------------------------------------------------------------


@workspace_view(Cap.GROUP_VIEW)
def group_list(request: HttpRequest) -> HttpResponse:
    access = access_for(request)
    scope = access.groups(Cap.GROUP_VIEW)
    form = GroupFilterForm(request.GET or None, groups=scope)
    groups = (
        form.apply(scope)
        .select_related("association", "venue")
        .prefetch_related(
            Prefetch("schedules", queryset=Schedule.objects.current().order_by("start_time"), to_attr="current")
        )
        .order_by("name", "pk")
    )
    page = Paginator(groups, GROUPS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "workspace/group_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "filtered": form.is_bound and form.is_valid() and any(form.cleaned_data.values()),
            "show_association": scope.values("association").distinct().count() > 1,
            "can_create": access.has(Cap.ASSOCIATION_MANAGE_GROUPS),
        },
    )


@workspace_view(Cap.ASSOCIATION_MANAGE_GROUPS, methods=("GET", "POST"))
def group_new(request: HttpRequest) -> HttpResponse:
    association = _chosen_association(request, Cap.ASSOCIATION_MANAGE_GROUPS)
    form = NewGroupForm(request.POST or None, association=association)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.group_create(
                association=association,
                by=request.user,
                themes=form.cleaned_data["themes"],
                status=form.cleaned_data["status"],
                slug=unique_slug(form.cleaned_data["name"]),
                **form.service_fields(),
            )
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Gruppo «%(name)s» creato. Ora scegli quando si incontra.") % {"name": group})
            return redirect("workspace:group_rhythm", slug=group.slug)
    return render(
        request,
        "workspace/group_new.html",
        {"form": form, "association": association, "associations": _several(request, Cap.ASSOCIATION_MANAGE_GROUPS)},
    )


@workspace_view(Cap.ASSOCIATION_MANAGE_GROUPS, methods=("GET", "POST"))
def group_status(request: HttpRequest, slug: str) -> HttpResponse:
    group = group_for(request, slug, Cap.ASSOCIATION_MANAGE_GROUPS)
    confirm = None
    refusal = None
    if request.method == "POST":
        form = GroupStatusForm(request.POST)
        if not form.is_valid():
            refusal = _("Scegli uno degli stati proposti.")
        else:
            status = form.cleaned_data["status"]
            allowed = services.STATUS_TRANSITIONS.get(group.status, set())
            if status in ENDING_STATUSES & allowed and not form.cleaned_data["confirm"]:
                confirm = {
                    "value": status,
                    "label": GroupStatus(status).label,
                    "explanation": STATUS_EXPLANATIONS[status],
                }
            else:
                try:
                    services.group_set_status(group=group, status=status, by=request.user)
                except ValidationError as error:
                    refusal = " ".join(error.messages)
                else:
                    messages.success(
                        request, _("Ora il gruppo è «%(status)s».") % {"status": GroupStatus(status).label}
                    )
                    return redirect("workspace:group", slug=group.slug)
    allowed = sorted(services.STATUS_TRANSITIONS.get(group.status, set()), key=list(GroupStatus).index)
    choices = [
        {
            "value": status,
            "label": GroupStatus(status).label,
            "explanation": STATUS_EXPLANATIONS[status],
            "ends": status in ENDING_STATUSES,
        }
        for status in allowed
    ]
    return render(
        request,
        "workspace/group_status.html",
        {
            "group": group,
            "current": STATUS_EXPLANATIONS[group.status],
            "choices": choices,
            "confirm": confirm,
            "refusal": refusal,
        },
        status=400 if refusal else 200,
    )


# --- The network's meetings ------------------------------------------------------


@workspace_view(Cap.NETWORK_VIEW_MEETINGS)
def network_meetings(request: HttpRequest) -> HttpResponse:
    access = access_for(request)
    period = "month" if request.GET.get("period") == "month" else "week"
    only_changes = request.GET.get("changes") == "1"
    today = timezone.localdate()
    last_day = today + timedelta(days=30 if period == "month" else 6)
    start = timezone.make_aware(datetime.combine(today, time.min))
    end = timezone.make_aware(datetime.combine(last_day + timedelta(days=1), time.min))
    meetings = Meeting.objects.of_groups_between(access.groups(Cap.GROUP_VIEW), start, end)
    if only_changes:
        meetings = meetings.filter(Q(is_cancelled=True) | Q(is_changed=True))
    meetings = list(meetings.select_related("group__association")[: NETWORK_MEETINGS_LIMIT + 1])
    truncated = len(meetings) > NETWORK_MEETINGS_LIMIT
    meetings = meetings[:NETWORK_MEETINGS_LIMIT]
    days = [
        {"day": day, "meetings": list(rows)}
        for day, rows in groupby(meetings, key=lambda meeting: timezone.localtime(meeting.starts_at).date())
    ]
    return render(
        request,
        "workspace/network_meetings.html",
        {
            "period": period,
            "only_changes": only_changes,
            "days": days,
            "first_day": today,
            "last_day": last_day,
            "truncated": truncated,
            "limit": NETWORK_MEETINGS_LIMIT,
            "count": len(meetings),
            "show_association": len(access.association_ids(Cap.NETWORK_VIEW_MEETINGS)) > 1 or access.is_superuser,
        },
    )


# --- Venues -------------------------------------------------------------------


@workspace_view(Cap.ASSOCIATION_MANAGE_GROUPS)
def venue_list(request: HttpRequest) -> HttpResponse:
    associations = access_for(request).associations(Cap.ASSOCIATION_MANAGE_GROUPS)
    venues = (
        Venue.objects.filter(association__in=associations)
        .select_related("association")
        .prefetch_related(Prefetch("groups", queryset=Group.objects.order_by("name")))
        .order_by("association__name", "comune", "name")
    )
    page = Paginator(venues, GROUPS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "workspace/venue_list.html",
        {"page": page, "show_association": associations.count() > 1},
    )


def _locate(request: HttpRequest, form_class, *, instance=None):
    """The "Trova le coordinate dal comune" button: fill empty coordinates, save nothing."""
    data = request.POST.copy()
    comune = data.get("comune", "").strip()
    province = data.get("province", "").strip()
    place = resolve_place(f"{comune} ({province})" if province else comune) if comune else None
    if place is None:
        messages.warning(
            request,
            _("Non troviamo «%(comune)s»: controlla il nome o scrivi le coordinate a mano.") % {"comune": comune}
            if comune
            else _("Scrivi prima il comune."),
        )
    else:
        if not data.get("latitude", "").strip():
            data["latitude"] = f"{place.latitude:.6f}"
        if not data.get("longitude", "").strip():
            data["longitude"] = f"{place.longitude:.6f}"
        messages.info(
            request,
            _(
                "Coordinate del comune di %(place)s: sono il centro del paese. "
                "Se puoi, correggile con quelle della sede."
            )
            % {"place": place.name},
        )
    # Show what was typed (and the coordinates found) without judging the form yet.
    fields = form_class.Meta.fields
    initial = {name: data.get(name) for name in fields if name in data}
    initial["step_free"] = bool(data.get("step_free"))
    if data.get("seen_version"):
        initial["seen_version"] = data["seen_version"]  # the version the page was loaded with, not now's
    return form_class(initial=initial, instance=instance)


@workspace_view(Cap.ASSOCIATION_MANAGE_GROUPS, methods=("GET", "POST"))
def venue_new(request: HttpRequest) -> HttpResponse:
    association = _chosen_association(request, Cap.ASSOCIATION_MANAGE_GROUPS)
    if request.method == "POST" and "locate" in request.POST:
        form = _locate(request, VenueForm)
    else:
        form = VenueForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                venue = services.venue_create(association=association, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_refusal(form, error)
            else:
                messages.success(request, _("Sede «%(name)s» aggiunta.") % {"name": venue.name})
                return redirect("workspace:venues")
    return render(
        request,
        "workspace/venue_form.html",
        {
            "form": form,
            "venue": None,
            "association": association,
            "associations": _several(request, Cap.ASSOCIATION_MANAGE_GROUPS),
        },
    )


@workspace_view(Cap.ASSOCIATION_MANAGE_GROUPS, methods=("GET", "POST"))
def venue_edit(request: HttpRequest, pk: int) -> HttpResponse:
    venue = venue_for(request, pk, Cap.ASSOCIATION_MANAGE_GROUPS)
    if request.method == "POST" and "locate" in request.POST:
        form = _locate(request, VenueForm, instance=venue)
    else:
        form = VenueForm(request.POST or None, instance=venue)
        if request.method == "POST" and form.is_valid():
            fresh = Venue.objects.get(pk=venue.pk)  # the form has already written onto `venue`
            try:
                services.venue_update(
                    venue=fresh, by=request.user, expected_updated_at=form.expected_updated_at, **form.cleaned_data
                )
            except ValidationError as error:
                add_refusal(form, error)
            else:
                messages.success(
                    request, _("Sede aggiornata: i gruppi che si incontrano qui si trovano già al posto giusto.")
                )
                return redirect("workspace:venues")
    groups = list(Group.objects.filter(venue=venue).order_by("name"))
    return render(
        request,
        "workspace/venue_form.html",
        {"form": form, "venue": venue, "association": venue.association, "groups": groups},
    )


# --- History ------------------------------------------------------------------


@workspace_view(Cap.ASSOCIATION_VIEW_ACTIVITY)
def history(request: HttpRequest) -> HttpResponse:
    associations = access_for(request).associations(Cap.ASSOCIATION_VIEW_ACTIVITY)
    groups = Group.objects.filter(association__in=associations).order_by("name")
    entries = Activity.objects.filter(association__in=associations)
    chosen = None
    slug = request.GET.get("group", "")
    if slug:
        chosen = groups.filter(slug=slug).first()
        entries = entries.filter(group=chosen) if chosen else entries.none()
    entries = entries.select_related("actor", "actor__profile", "group")
    page = Paginator(entries, HISTORY_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "workspace/history.html",
        {
            "group": None,
            "page": page,
            "entries": [describe_activity(entry) for entry in page],
            "filter_groups": groups[:200],
            "chosen": chosen,
            "query": f"group={chosen.slug}&" if chosen else "",
        },
    )


# --- What the public pages say about the association -----------------------------------


@workspace_view(Cap.ASSOCIATION_MANAGE_GROUPS, methods=("GET", "POST"))
def association_public(request: HttpRequest) -> HttpResponse:
    """Contact, "chi siamo" and the urgent-help numbers shown on the public pages."""
    association = _chosen_association(request, Cap.ASSOCIATION_MANAGE_GROUPS)
    form = AssociationPublicForm(request.POST if request.method == "POST" else None, instance=association)
    if request.method == "POST" and form.is_valid():
        fresh = type(association).objects.get(pk=association.pk)  # the form has already written onto it
        try:
            services.association_update(association=fresh, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Salvato. Le pagine pubbliche mostrano già le modifiche."))
            return redirect(f"{request.path}?association={fresh.pk}")
    return render(
        request,
        "workspace/association_public.html",
        {"form": form, "association": association, "associations": _several(request, Cap.ASSOCIATION_MANAGE_GROUPS)},
    )
