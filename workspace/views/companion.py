"""The facilitator's companion for one meeting: before, during, after; and their private self-reflection.

Only the group's own facilitators reach these pages (`Cap.GROUP_COMPANION` is held only
through one's own role in the group: not by coordinators, not by site administrators).
A self-reflection is always looked up with `author=request.user`: no page shows anyone
else's.
"""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from companion import cards, selectors, services
from companion.models import Attendance, Reflection
from companion.newcomers import announced_newcomers
from network.access import Cap
from workspace.companion_forms import CloseForm, PeriodForm, ReflectionForm
from workspace.decorators import workspace_view
from workspace.scoping import meeting_for

CAP = Cap.GROUP_COMPANION


def _close_form(request: HttpRequest, meeting, following) -> CloseForm:
    initial: dict = {}
    attendance = Attendance.objects.filter(meeting=meeting).first()
    if attendance is not None:
        initial = {"participants": attendance.participants, "newcomers": attendance.newcomers}
        for index, agreement in enumerate(meeting.agreements.all()):
            initial[f"kind_{index}"] = agreement.kind
            initial[f"text_{index}"] = agreement.text
    if following is not None:
        local = services.local_start(following)
        initial["next_date"], initial["next_time"] = local.date(), local.time()
    data = request.POST if request.method == "POST" else None
    return CloseForm(data, initial=initial, has_next=following is not None)


def _page(request: HttpRequest, meeting, *, form: CloseForm | None = None, template: str) -> HttpResponse:
    following = selectors.next_meeting(meeting)
    form = form or _close_form(request, meeting, following)
    recalled_from, recalled = selectors.agreements_to_recall(meeting)
    now = timezone.now()
    context = {
        "meeting": meeting,
        "group": meeting.group,
        "newcomers": announced_newcomers(meeting),
        "first_meeting": selectors.is_first_meeting(meeting),
        "recalled_from": recalled_from,
        "recalled": recalled,
        "rules": cards.RULES,
        "does": cards.DOES,
        "donts": cards.DONTS,
        "first_steps": cards.FIRST_MEETING,
        "confidentiality": cards.CONFIDENTIALITY,
        "started": meeting.starts_at <= now,
        "held": meeting.starts_at <= now and not meeting.is_cancelled and meeting.is_scheduled,
        "attendance": Attendance.objects.filter(meeting=meeting).first(),
        "agreements": list(meeting.agreements.all()),
        "next_meeting": following,
        "form": form,
        "agreement_max": services.AGREEMENT_MAX_LENGTH,
        "has_reflection": Reflection.objects.filter(meeting=meeting, author=request.user).exists(),
    }
    return render(request, template, context)


@workspace_view(CAP)
def companion(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk, CAP)
    return _page(request, meeting, template="workspace/companion.html")


@workspace_view(CAP, methods=("GET", "POST"))
def companion_close(request: HttpRequest, pk: int) -> HttpResponse:
    """After the meeting: counts, agreements, the next date. Refusals come back with what was typed."""
    meeting = meeting_for(request, pk, CAP)
    following = selectors.next_meeting(meeting)
    form = _close_form(request, meeting, following)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.meeting_close(
                meeting=meeting,
                participants=data["participants"],
                newcomers=data["newcomers"],
                agreements=form.agreements(),
                next_meeting=following,
                next_date=data.get("next_date"),
                next_time=data.get("next_time"),
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Salvato. Gli accordi compariranno nella scheda del prossimo incontro."))
            return redirect("workspace:companion", pk=meeting.pk)
    return _page(request, meeting, form=form, template="workspace/companion_close.html")


@workspace_view(CAP, methods=("GET", "POST"))
def reflection(request: HttpRequest, pk: int) -> HttpResponse:
    """The facilitator's own look back at the meeting: only they can read it."""
    meeting = meeting_for(request, pk, CAP)
    own = Reflection.objects.filter(meeting=meeting, author=request.user).first()
    if request.method == "POST" and request.POST.get("action") == "delete":
        if own is not None:
            services.reflection_delete(reflection=own, by=request.user)
            messages.success(request, _("Riflessione cancellata."))
        return redirect("workspace:companion", pk=meeting.pk)
    if own is not None:
        initial = {"went_well": own.went_well, "hard": own.hard, "note": own.note, "share_totals": own.share_totals}
    else:
        # The choice to share the totals carries over from the facilitator's last reflection.
        last = Reflection.objects.filter(author=request.user).order_by("-updated_at").first()
        initial = {"share_totals": bool(last and last.share_totals)}
    form = ReflectionForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.reflection_save(
                meeting=meeting,
                went_well=data["went_well"],
                hard=data["hard"],
                note=data["note"],
                share_totals=data["share_totals"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Riflessione salvata. Solo tu puoi leggerla."))
            return redirect("workspace:companion", pk=meeting.pk)
    chosen_well = set(form["went_well"].value() or [])
    chosen_hard = set(form["hard"].value() or [])
    points = [
        {"code": point.code, "text": point.text, "well": point.code in chosen_well, "hard": point.code in chosen_hard}
        for point in [*cards.DOES, *cards.DONTS]
    ]
    return render(
        request,
        "workspace/reflection.html",
        {
            "meeting": meeting,
            "group": meeting.group,
            "form": form,
            "does": points[: len(cards.DOES)],
            "donts": points[len(cards.DOES) :],
            "own": own,
            "started": meeting.starts_at <= timezone.now(),
        },
    )


SUMMARY_DEFAULT_DAYS = 90


@workspace_view(CAP)
def reflection_summary(request: HttpRequest) -> HttpResponse:
    """A printable summary of one's own reflections, to bring to supervision (intervisione) if one wishes."""
    today = timezone.localdate()
    since, until = today - timedelta(days=SUMMARY_DEFAULT_DAYS), today
    form = PeriodForm(request.GET or None, initial={"since": since, "until": until})
    if form.is_bound and form.is_valid():
        since, until = form.cleaned_data["since"], form.cleaned_data["until"]
    with_notes = bool(form.is_bound and form.is_valid() and form.cleaned_data["notes"])
    summary = selectors.reflection_summary(author=request.user, since=since, until=until)
    return render(
        request,
        "workspace/reflection_summary.html",
        {"form": form, "since": since, "until": until, "with_notes": with_notes, **summary},
    )
