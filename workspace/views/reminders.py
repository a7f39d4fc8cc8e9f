"""When a group's followers are reminded: the day before at a time, and/or some hours before (issue 8)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from following.messages import short_day
from following.models import Follow, ReminderPlan
from following.reminders import DEFAULT_PLAN, plan_summary, reminder_slots
from following.services import reminder_plan_set
from lib.figures import suppressed_label
from network.access import Cap
from network.models import Group, Meeting
from workspace.decorators import workspace_view
from workspace.forms import ReminderPlanForm, add_refusal
from workspace.scoping import group_for

CAP = Cap.GROUP_MANAGE_MEETINGS
# The example looks this many meetings ahead for one whose reminders are all still to come.
EXAMPLE_LOOKAHEAD = 5


def _at(value: datetime, zone: ZoneInfo) -> str:
    """ "martedì 14 alle 18:00" in the group's time zone."""
    return _("%(day)s alle %(time)s") % {"day": short_day(value, zone), "time": f"{value.astimezone(zone):%H:%M}"}


def reminder_example(group: Group, plan: ReminderPlan, now: datetime | None = None) -> str:
    """What a follower receives and when, for the next meeting whose reminders are all still ahead."""
    now = now or timezone.now()
    meetings = (
        Meeting.objects.filter(group=group, is_scheduled=True, is_cancelled=False, starts_at__gt=now)
        .select_related("schedule")
        .order_by("starts_at")[:EXAMPLE_LOOKAHEAD]
    )
    for meeting in meetings:
        slots = reminder_slots(meeting, plan)
        if not slots or slots[0][1] <= now:
            continue
        zone = ZoneInfo(meeting.schedule.timezone if meeting.schedule_id else "Europe/Rome")
        context = {"first": _at(slots[0][1], zone), "meeting": _at(meeting.starts_at, zone)}
        if len(slots) == 1:
            return _("Chi segue il gruppo riceve un promemoria %(first)s per l'incontro di %(meeting)s.") % context
        return _(
            "Chi segue il gruppo riceve un promemoria %(first)s e un altro %(second)s per l'incontro di %(meeting)s."
        ) % {**context, "second": _at(slots[1][1], zone)}
    return ""


@workspace_view(CAP, methods=("GET", "POST"))
def group_reminders(request: HttpRequest, slug: str) -> HttpResponse:
    group = group_for(request, slug, CAP)
    plan = ReminderPlan.objects.filter(group=group).first() or DEFAULT_PLAN
    form = ReminderPlanForm(
        request.POST if request.method == "POST" else None,
        initial={"day_before_at": plan.day_before_at, "hours_before": plan.hours_before},
    )
    if request.method == "POST" and form.is_valid():
        try:
            plan = reminder_plan_set(
                group=group,
                day_before_at=form.cleaned_data["day_before_at"],
                hours_before=form.cleaned_data["hours_before"],
                by=request.user,
            )
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Promemoria salvati. %(summary)s.") % {"summary": plan_summary(plan)})
            return redirect("workspace:group", slug=group.slug)
    followers = Follow.objects.active().filter(group=group).count()
    return render(
        request,
        "workspace/group_reminders.html",
        {
            "group": group,
            "form": form,
            "summary": plan_summary(plan),
            "followers": suppressed_label(followers),
            "example": reminder_example(group, plan),
        },
    )
