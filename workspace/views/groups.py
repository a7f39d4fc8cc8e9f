"""A group in the workspace: its next meetings, its rhythm, its pauses, its public text, its history."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from following.models import ReminderPlan
from following.reminders import plan_summary
from network import services
from network.access import Cap, access_for
from network.models import Activity, Meeting
from workspace.decorators import workspace_view
from workspace.forms import GroupDayToDayForm, GroupForm, PauseForm, RhythmForm, add_refusal
from workspace.history import describe_activity
from workspace.scoping import group_for, mark_paused, pause_for

GROUP_MEETINGS = 12


@workspace_view(Cap.GROUP_VIEW)
def group_detail(request: HttpRequest, slug: str) -> HttpResponse:
    group = group_for(request, slug, Cap.GROUP_VIEW)
    access = access_for(request)
    meetings = list(
        Meeting.objects.filter(group=group, is_scheduled=True, ends_at__gte=timezone.now())
        .select_related("venue", "schedule", "group")
        .order_by("starts_at")[:GROUP_MEETINGS]
    )
    mark_paused(meetings)
    schedules = list(group.schedules.current())
    can_manage = access.can(Cap.GROUP_MANAGE_MEETINGS, group)
    return render(
        request,
        "workspace/group_detail.html",
        {
            "group": group,
            "meetings": meetings,
            "schedules": schedules,
            "pauses": group.pauses.filter(ends_on__gte=timezone.localdate()),
            "can_manage": can_manage,
            "reminder_summary": plan_summary(ReminderPlan.objects.filter(group=group).first()) if can_manage else "",
            "can_edit": access.can(Cap.GROUP_EDIT, group),
            "can_manage_groups": access.can(Cap.ASSOCIATION_MANAGE_GROUPS, group.association),
            "can_see_history": access.can(Cap.GROUP_VIEW_ACTIVITY, group),
        },
    )


@workspace_view(Cap.GROUP_EDIT, methods=("GET", "POST"))
def group_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """A facilitator edits the day-to-day text; a coordinator edits everything about the group."""
    group = group_for(request, slug, Cap.GROUP_EDIT)
    full = access_for(request).can(Cap.ASSOCIATION_MANAGE_GROUPS, group.association)
    if full:
        form = GroupForm(
            request.POST if request.method == "POST" else None, instance=group, association=group.association
        )
    else:
        form = GroupDayToDayForm(request.POST if request.method == "POST" else None, instance=group)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields() if full else dict(form.cleaned_data)
        themes = form.cleaned_data["themes"] if full else None
        fresh = type(group).objects.get(pk=group.pk)  # the form has already written onto `group`
        try:
            services.group_update(
                group=fresh, by=request.user, themes=themes, expected_updated_at=form.expected_updated_at, **fields
            )
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Gruppo aggiornato. La pagina pubblica mostra già le modifiche."))
            return redirect("workspace:group", slug=fresh.slug)
    return render(request, "workspace/group_edit.html", {"group": group, "form": form, "full": full})


@workspace_view(Cap.GROUP_MANAGE_MEETINGS, methods=("GET", "POST"))
def group_rhythm(request: HttpRequest, slug: str) -> HttpResponse:
    group = group_for(request, slug, Cap.GROUP_MANAGE_MEETINGS)
    schedules = list(group.schedules.current().order_by("start_time"))
    schedule = schedules[0] if schedules else None
    form = RhythmForm(
        request.POST if request.method == "POST" else None,
        initial=RhythmForm.initial_for(schedule),
        version=schedule.updated_at if schedule else None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if schedule is None:
                services.schedule_create(
                    group=group,
                    rrule=data["rrule"],
                    start_time=data["start_time"],
                    duration_minutes=data["duration_minutes"],
                    starts_on=data["starts_on"],
                    by=request.user,
                )
            else:
                services.schedule_change(
                    schedule=schedule,
                    rrule=data["rrule"],
                    start_time=data["start_time"],
                    duration_minutes=data["duration_minutes"],
                    starts_on=data["starts_on"],
                    by=request.user,
                    expected_updated_at=form.expected_updated_at,
                )
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Nuovo ritmo salvato: i prossimi incontri sono già aggiornati."))
            return redirect("workspace:group", slug=group.slug)
    return render(
        request,
        "workspace/group_rhythm.html",
        {"group": group, "form": form, "schedule": schedule, "other_schedules": schedules[1:]},
    )


@workspace_view(Cap.GROUP_MANAGE_MEETINGS, methods=("GET", "POST"))
def group_pause(request: HttpRequest, slug: str) -> HttpResponse:
    group = group_for(request, slug, Cap.GROUP_MANAGE_MEETINGS)
    form = PauseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.group_pause(
                group=group, starts_on=data["starts_on"], ends_on=data["ends_on"], note=data["note"], by=request.user
            )
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Pausa salvata: gli incontri di quel periodo risultano annullati."))
            return redirect("workspace:group", slug=group.slug)
    pauses = group.pauses.filter(ends_on__gte=timezone.localdate())
    return render(request, "workspace/group_pause.html", {"group": group, "form": form, "pauses": pauses})


@workspace_view(Cap.GROUP_MANAGE_MEETINGS, methods=("GET", "POST"))
def pause_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    group = group_for(request, slug, Cap.GROUP_MANAGE_MEETINGS)
    pause = pause_for(request, pk, Cap.GROUP_MANAGE_MEETINGS)
    if pause.group_id != group.pk:
        return redirect("workspace:group", slug=group.slug)
    if request.method == "POST":
        services.pause_remove(pause=pause, by=request.user)
        messages.success(request, _("Pausa tolta: gli incontri di quel periodo tornano in calendario."))
        return redirect("workspace:group", slug=group.slug)
    return render(request, "workspace/pause_remove.html", {"group": group, "pause": pause})


@workspace_view(Cap.GROUP_VIEW_ACTIVITY)
def group_history(request: HttpRequest, slug: str) -> HttpResponse:
    group = group_for(request, slug, Cap.GROUP_VIEW_ACTIVITY)
    entries = Activity.objects.filter(group=group).select_related("actor", "actor__profile")
    page = Paginator(entries, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "workspace/history.html",
        {"group": group, "page": page, "entries": [describe_activity(entry) for entry in page]},
    )
