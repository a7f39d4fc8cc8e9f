"""One meeting: cancel it, move it, hold it at another venue, or restore it.

Each action is two taps from the workspace home: the action's link, then its button.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from intake.selectors import newcomers_for_meeting
from lib.dates import when_label
from network import services
from network.access import Cap
from network.models import Venue
from workspace.decorators import workspace_view
from workspace.forms import CancelMeetingForm, MeetingVenueForm, MoveMeetingForm, add_refusal
from workspace.scoping import mark_paused, meeting_for

CAP = Cap.GROUP_MANAGE_MEETINGS


def _when(meeting) -> str:
    return when_label(meeting.starts_at)


def _back(request, meeting) -> str:
    """Back where the person came from: the group page, or the workspace home."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target in ("home", ""):
        return "workspace:home"
    return "workspace:group"


def _done(request, meeting, text: str) -> HttpResponse:
    messages.success(request, text)
    if _back(request, meeting) == "workspace:group":
        return redirect("workspace:group", slug=meeting.group.slug)
    return redirect("workspace:home")


def _render(request, template: str, meeting, form, **extra) -> HttpResponse:
    if _back(request, meeting) == "workspace:group":
        back_url = reverse("workspace:group", kwargs={"slug": meeting.group.slug})
    else:
        back_url = reverse("workspace:home")
    context = {"meeting": meeting, "group": meeting.group, "form": form, "back_url": back_url}
    return render(request, template, {**context, "next": request.GET.get("next", ""), **extra})


@workspace_view(CAP)
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk, CAP)
    mark_paused([meeting])
    return render(
        request,
        "workspace/meeting_detail.html",
        {"meeting": meeting, "group": meeting.group, "newcomers": newcomers_for_meeting(meeting=meeting)},
    )


@workspace_view(CAP, methods=("GET", "POST"))
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk, CAP)
    if meeting.is_cancelled:
        messages.info(request, _("Questo incontro è già annullato."))
        return redirect("workspace:meeting", pk=meeting.pk)
    form = CancelMeetingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_cancel(meeting=meeting, note=form.cleaned_data["note"], by=request.user)
        except ValidationError as error:
            add_refusal(form, error)
        else:
            return _done(request, meeting, _("Incontro di %(when)s annullato.") % {"when": _when(meeting)})
    return _render(request, "workspace/meeting_cancel.html", meeting, form)


@workspace_view(CAP, methods=("GET", "POST"))
def meeting_restore(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk, CAP)
    if request.method == "POST":
        try:
            services.meeting_restore(meeting=meeting, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("workspace:meeting", pk=meeting.pk)
        return _done(request, meeting, _("L'incontro di %(when)s si tiene.") % {"when": _when(meeting)})
    return _render(request, "workspace/meeting_restore.html", meeting, None)


@workspace_view(CAP, methods=("GET", "POST"))
def meeting_move(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk, CAP)
    local = timezone.localtime(meeting.starts_at)
    form = MoveMeetingForm(
        request.POST if request.method == "POST" else None,
        initial={"new_date": local.date(), "new_time": local.time(), "note": meeting.note},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_move(
                meeting=meeting,
                new_date=data["new_date"],
                new_time=data["new_time"],
                note=data["note"],
                by=request.user,
            )
        except ValidationError as error:
            add_refusal(form, error)
        else:
            return _done(request, meeting, _("Incontro spostato a %(when)s.") % {"when": _when(meeting)})
    return _render(request, "workspace/meeting_move.html", meeting, form)


@workspace_view(CAP, methods=("GET", "POST"))
def meeting_venue(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk, CAP)
    group = meeting.group
    # The association's venues, and the one the meeting already has even if it belongs elsewhere:
    # a form must never silently drop a stored value.
    venues = Venue.objects.filter(Q(association_id=group.association_id) | Q(pk=meeting.venue_id)).order_by(
        "comune", "name"
    )
    form = MeetingVenueForm(
        request.POST if request.method == "POST" else None, venues=venues, initial={"venue": meeting.venue_id}
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_change_venue(
                meeting=meeting, venue=form.cleaned_data["venue"], note=form.cleaned_data["note"], by=request.user
            )
        except ValidationError as error:
            add_refusal(form, error)
        else:
            return _done(
                request,
                meeting,
                _("L'incontro di %(when)s sarà a %(venue)s.") % {"when": _when(meeting), "venue": meeting.venue},
            )
    return _render(request, "workspace/meeting_venue.html", meeting, form)
