"""Starting a group in the workspace: the board of new groups, the path of one group,
its agreements, its promotion counts, its first-meeting guide and its follow-up.

Views are thin: the access helper gives the group (or 404), a form validates, a
service acts and logs; refusals come back onto the form with their reason.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from founding import services as founding
from founding.documents import document_context
from founding.milestones import due_milestones, milestones_for, settings_for
from founding.models import FoundingPath, MilestoneKind
from founding.paths import path_state
from founding.promotion import promotion_for
from network.access import Cap, access_for
from network.agreements import LARGE_SIZE, agreements_of, describe_missing, group_agreements_set, missing_agreements
from network.models import STARTING_STATUSES, Audience, Group, GroupStatus
from workspace.decorators import workspace_view
from workspace.founding_forms import (
    WAY_HINTS,
    AgreementsForm,
    FollowUpSettingsForm,
    InvitationsForm,
    StartForm,
    add_refusal_to_fields,
)
from workspace.scoping import group_for
from workspace.views.association import _chosen_association, _several

# The stages of the board, in order.
STAGES = [GroupStatus.PLANNED, GroupStatus.PROMOTING, GroupStatus.FIRST_MEETING_HELD]
# Active groups stay on the board while their follow-up runs (for milestones).
BOARD_LIMIT = 200


def _path_of(group: Group) -> FoundingPath | None:
    return FoundingPath.objects.filter(group=group).first()


@workspace_view(Cap.ASSOCIATION_MANAGE_GROUPS)
def founding_board(request: HttpRequest) -> HttpResponse:
    """The groups being started, by stage, and the follow-up milestones falling due."""
    access = access_for(request)
    scope = access.groups(Cap.ASSOCIATION_MANAGE_GROUPS).select_related("association", "venue", "founding_path")
    starting = list(scope.filter(status__in=STAGES).order_by("name")[:BOARD_LIMIT])
    stages = []
    for status in STAGES:
        rows = []
        for group in (group for group in starting if group.status == status):
            path = getattr(group, "founding_path", None)
            agreements = agreements_of(group)
            rows.append(
                {
                    "group": group,
                    "path": path,
                    "missing": len(missing_agreements(group)),
                    "first_meeting": agreements.first_meeting_at,
                    "invitations": path.invitations_sent if path else None,
                }
            )
        stages.append({"status": status, "label": GroupStatus(status).label, "rows": rows})
    followed = scope.filter(founding_path__isnull=False).exclude(status__in=[GroupStatus.CLOSED, GroupStatus.GEMMATED])
    return render(
        request,
        "workspace/founding_board.html",
        {"stages": stages, "due": due_milestones(list(followed[:BOARD_LIMIT])), "today": timezone.localdate()},
    )


@workspace_view(Cap.ASSOCIATION_MANAGE_GROUPS, methods=("GET", "POST"))
def founding_start(request: HttpRequest) -> HttpResponse:
    """Choose one of the five ways and name the group: it is created "in progetto" with its checklist."""
    existing = None
    slug = request.POST.get("group") or request.GET.get("group")
    if slug:
        # A group already "in progetto" (created from the group list) gets its path here.
        existing = group_for(request, slug[:120], Cap.ASSOCIATION_MANAGE_GROUPS)
        association = existing.association
    else:
        association = _chosen_association(request, Cap.ASSOCIATION_MANAGE_GROUPS)
    form = StartForm(request.POST if request.method == "POST" else None, group=existing)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            path = founding.founding_start(
                association=association,
                start_mode=data["start_mode"],
                name=data.get("name", ""),
                description=data.get("description", ""),
                themes=data.get("themes", ()),
                audience=data.get("audience", Audience.AFFECTED),
                group=existing,
                by=request.user,
            )
        except ValidationError as error:
            add_refusal_to_fields(form, error)
        else:
            messages.success(request, _("Percorso avviato. Ora compila gli accordi e spunta i passi fatti."))
            return redirect("workspace:founding_path", slug=path.group.slug)
    ways = [
        {"value": value, "label": label, "hint": WAY_HINTS[value]} for value, label in form.fields["start_mode"].choices
    ]
    return render(
        request,
        "workspace/founding_start.html",
        {
            "form": form,
            "ways": ways,
            "association": association,
            "associations": [] if existing else _several(request, Cap.ASSOCIATION_MANAGE_GROUPS),
            "existing": existing,
        },
        status=400 if form.errors else 200,
    )


@workspace_view(Cap.GROUP_VIEW)
def founding_path(request: HttpRequest, slug: str) -> HttpResponse:
    """One group's path: its steps, what is missing, its promotion counts, its next moves."""
    group = group_for(request, slug, Cap.GROUP_VIEW)
    path = _path_of(group)
    if path is None:
        raise Http404
    return _render_path(request, group, path)


def _render_path(request, group: Group, path: FoundingPath, invitations_form=None, status: int = 200) -> HttpResponse:
    access = access_for(request)
    missing = missing_agreements(group)
    states = path_state(path)
    return render(
        request,
        "workspace/founding_path.html",
        {
            "group": group,
            "path": path,
            "steps": states,
            "todo": [state for state in states if not state.done],
            "missing": describe_missing(missing),
            "agreements": agreements_of(group),
            "promotion": promotion_for(path),
            "milestones": milestones_for(group),
            "invitations_form": invitations_form or InvitationsForm(),
            "can_edit": access.can(Cap.GROUP_EDIT, group),
            "can_manage_groups": access.can(Cap.ASSOCIATION_MANAGE_GROUPS, group.association),
            "is_starting": group.status in (GroupStatus.PLANNED, *STARTING_STATUSES),
            "today": timezone.localdate(),
        },
        status=status,
    )


@workspace_view(Cap.GROUP_EDIT, methods=("POST",))
def founding_step(request: HttpRequest, slug: str, step: str) -> HttpResponse:
    """Tick a step off (or undo the tick): the coordinator or the future facilitator."""
    group = group_for(request, slug, Cap.GROUP_EDIT)
    path = _path_of(group)
    if path is None:
        raise Http404
    try:
        if request.POST.get("undo"):
            founding.founding_step_untick(path=path, step=step, by=request.user)
        else:
            founding.founding_step_tick(path=path, step=step, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("workspace:founding_path", slug=group.slug)


@workspace_view(Cap.GROUP_EDIT, methods=("POST",))
def founding_invitations(request: HttpRequest, slug: str) -> HttpResponse:
    group = group_for(request, slug, Cap.GROUP_EDIT)
    path = _path_of(group)
    if path is None:
        raise Http404
    form = InvitationsForm(request.POST)
    if form.is_valid():
        try:
            founding.founding_invitations_record(path=path, count=form.cleaned_data["count"], by=request.user)
        except ValidationError as error:
            add_refusal_to_fields(form, error)
        else:
            messages.success(request, _("Inviti registrati."))
            return redirect("workspace:founding_path", slug=group.slug)
    return _render_path(request, group, path, invitations_form=form, status=400)


@workspace_view(Cap.GROUP_EDIT, methods=("GET", "POST"))
def group_agreements(request: HttpRequest, slug: str) -> HttpResponse:
    """The agreements (accordi): everything a group must agree, one page, mobile first."""
    group = group_for(request, slug, Cap.GROUP_EDIT)
    form = AgreementsForm(request.POST if request.method == "POST" else None, group=group)
    if request.method == "POST" and form.is_valid():
        try:
            group_agreements_set(group=group, by=request.user, **form.service_values())
        except ValidationError as error:
            add_refusal_to_fields(form, error)
        else:
            messages.success(request, _("Accordi salvati."))
            if form.is_large:
                messages.warning(
                    request,
                    _(
                        "Più di %(size)d persone: in un gruppo così grande non tutti riescono a parlare. "
                        "Quando cresce, si può pensare a una gemmazione."
                    )
                    % {"size": LARGE_SIZE},
                )
            target = "workspace:founding_path" if _path_of(group) else "workspace:group"
            return redirect(target, slug=group.slug)
    return render(
        request,
        "workspace/group_agreements.html",
        {
            "group": group,
            "form": form,
            "schedules": list(group.schedules.current()),
            "can_manage": access_for(request).can(Cap.GROUP_MANAGE_MEETINGS, group),
            "large_size": LARGE_SIZE,
        },
        status=400 if form.errors else 200,
    )


@workspace_view(Cap.GROUP_VIEW)
def founding_guide(request: HttpRequest, slug: str) -> HttpResponse:
    """The facilitator's first-meeting guide on the phone, filled in with this group's details."""
    group = group_for(request, slug, Cap.GROUP_VIEW)
    language = (get_language() or "it")[:2]
    return render(
        request,
        "workspace/founding_guide.html",
        {"group": group, "doc": document_context(group=group, language=language)},
    )


@workspace_view(Cap.ASSOCIATION_MANAGE_GROUPS, methods=("POST",))
def milestone_done(request: HttpRequest, slug: str, kind: str, number: int) -> HttpResponse:
    group = group_for(request, slug, Cap.ASSOCIATION_MANAGE_GROUPS)
    if kind not in MilestoneKind.values:
        raise Http404
    try:
        founding.milestone_done(group=group, kind=kind, number=number, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Tappa segnata come fatta."))
    if request.POST.get("next") == "board":
        return redirect("workspace:founding_board")
    return redirect("workspace:founding_path", slug=group.slug)


@workspace_view(Cap.ASSOCIATION_MANAGE_GROUPS, methods=("GET", "POST"))
def founding_settings(request: HttpRequest) -> HttpResponse:
    """The association's defaults for following new groups."""
    association = _chosen_association(request, Cap.ASSOCIATION_MANAGE_GROUPS)
    current = settings_for(association)
    form = FollowUpSettingsForm(
        request.POST if request.method == "POST" else None,
        initial={
            "accompanied_meetings": current.accompanied_meetings,
            "review_after_months": current.review_after_months,
            "checkin_every_months": current.checkin_every_months,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            founding.followup_settings_set(association=association, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_refusal_to_fields(form, error)
        else:
            messages.success(request, _("Impostazioni salvate: le date del seguito sono già aggiornate."))
            return redirect("workspace:founding_board")
    return render(
        request,
        "workspace/founding_settings.html",
        {"form": form, "association": association, "associations": _several(request, Cap.ASSOCIATION_MANAGE_GROUPS)},
        status=400 if form.errors else 200,
    )
