from datetime import timedelta

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from companion.selectors import group_flags, meetings_to_close
from founding.milestones import due_milestones
from intake.models import IntakeRequest, RequestState
from intake.selectors import introductions_for_groups
from network.access import Cap, access_for
from network.models import PUBLIC_STATUSES, Association, AssociationRole, GroupStatus, Invitation, Meeting, Schedule
from notifications.services import failed_messages
from workspace.decorators import workspace_view
from workspace.scoping import mark_paused

HOME_MEETINGS = 5  # the rest are one tap away, on the group's page
CHANGES_DAYS = 14


def _needs_attention(access) -> dict:
    """What a coordinator should look at: running groups without a rhythm, open invitations."""
    running = access.groups(Cap.ASSOCIATION_MANAGE_GROUPS).filter(status__in=PUBLIC_STATUSES)
    today = timezone.localdate()
    current = Schedule.objects.current(today).values("group_id")
    return {
        "no_rhythm": list(running.exclude(pk__in=current).order_by("name")[:10]),
        # Regularly above the maximum size (3 of the last 4 counted meetings), or not met for six weeks.
        "flags": group_flags(access.groups(Cap.ASSOCIATION_MANAGE_GROUPS))[:20],
        "open_invitations": Invitation.objects.open()
        .filter(association__in=access.associations(Cap.ASSOCIATION_INVITE_STAFF))
        .count(),
        # New groups' follow-up (accompany, review, yearly check-in) due within a week.
        "milestones_due": len(
            due_milestones(
                list(
                    access.groups(Cap.ASSOCIATION_MANAGE_GROUPS)
                    .filter(founding_path__isnull=False)
                    .exclude(status__in=[GroupStatus.CLOSED, GroupStatus.GEMMATED])
                    .select_related("association")[:200]
                )
            )
        ),
    }


@workspace_view()
def home(request: HttpRequest) -> HttpResponse:
    """Today: the next meetings of one's own groups, one tap from cancelling, moving or changing venue."""
    access = access_for(request)
    now = timezone.now()
    own = access.groups(Cap.GROUP_MANAGE_MEETINGS)
    if access.is_superuser or access.association_ids(Cap.ASSOCIATION_MANAGE_GROUPS):
        # A coordinator's "own" groups are the ones they facilitate; the network has its own page.
        own = own.filter(pk__in=[pk for pk, caps in access.by_group.items() if Cap.GROUP_MANAGE_MEETINGS in caps])
    groups = list(own.order_by("name")[:20])
    meetings = list(
        Meeting.objects.filter(group__in=groups, is_scheduled=True, ends_at__gte=now)
        .select_related("group", "venue", "schedule")
        .order_by("starts_at")[:HOME_MEETINGS]
    )
    mark_paused(meetings)
    week = None
    if access.has(Cap.NETWORK_VIEW_MEETINGS):
        this_week = Meeting.objects.filter(
            group__in=access.groups(Cap.GROUP_VIEW),
            is_scheduled=True,
            starts_at__gte=now,
            starts_at__lt=now + timedelta(days=7),
        )
        week = {
            "held": this_week.filter(is_cancelled=False).count(),
            "cancelled": this_week.filter(is_cancelled=True).count(),
            "changed": this_week.filter(is_changed=True, is_cancelled=False).count(),
        }
    profile = getattr(request.user, "profile", None)
    attention = _needs_attention(access) if access.has(Cap.ASSOCIATION_MANAGE_GROUPS) else None
    changes = None
    if access.has(Cap.NETWORK_VIEW_MEETINGS):
        changes = list(
            Meeting.objects.filter(
                group__in=access.groups(Cap.GROUP_VIEW),
                is_scheduled=True,
                starts_at__gte=now,
                starts_at__lt=now + timedelta(days=CHANGES_DAYS),
            )
            .filter(Q(is_cancelled=True) | Q(is_changed=True))
            .select_related("group", "venue", "schedule")
            .order_by("starts_at")[:HOME_MEETINGS]
        )
    intake = None
    intake_ids = access.association_ids(Cap.INTAKE_WORK)
    if intake_ids:
        queue = IntakeRequest.objects.filter(association_id__in=intake_ids)
        intake = {"new": queue.filter(state=RequestState.NEW).count(), "overdue": queue.overdue(now).count()}
    companion_groups = access.groups(Cap.GROUP_COMPANION)
    return render(
        request,
        "workspace/home.html",
        {
            "meetings": meetings,
            # Newcomers announced to the groups the person facilitates: a first name, never a contact.
            "newcomers": introductions_for_groups(groups=own),
            "intake": intake,
            # Held in the last two weeks with no counts yet: the facilitator's "after".
            "to_close": meetings_to_close(companion_groups) if access.has(Cap.GROUP_COMPANION) else [],
            "groups": groups,
            "many_groups": len(groups) > 1,
            "attention": attention,
            "referrer_of": list(
                Association.objects.filter(
                    memberships__user=request.user, memberships__role=AssociationRole.REFERRER
                ).distinct()
            ),
            "changes": changes,
            "week": week,
            "nickname": profile.nickname if profile else "",
            "failed_messages": failed_messages(
                association_ids=access.association_ids(Cap.ASSOCIATION_INVITE_STAFF)
            ).count()
            if access.has(Cap.ASSOCIATION_INVITE_STAFF)
            else 0,
        },
    )
