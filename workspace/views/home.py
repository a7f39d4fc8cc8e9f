from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from network.access import Cap, access_for
from network.models import Meeting
from notifications.services import failed_messages
from workspace.decorators import workspace_view
from workspace.scoping import mark_paused

HOME_MEETINGS = 5  # the rest are one tap away, on the group's page


@workspace_view()
def home(request: HttpRequest) -> HttpResponse:
    """Today: the next meetings of one's own groups, one tap from cancelling, moving or changing venue."""
    access = access_for(request)
    now = timezone.now()
    own = access.groups(Cap.GROUP_MANAGE_MEETINGS)
    if not access.is_superuser and access.association_ids(Cap.ASSOCIATION_MANAGE_GROUPS):
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
    return render(
        request,
        "workspace/home.html",
        {
            "meetings": meetings,
            "groups": groups,
            "many_groups": len(groups) > 1,
            "week": week,
            "nickname": profile.nickname if profile else "",
            "failed_messages": failed_messages(
                association_ids=access.association_ids(Cap.ASSOCIATION_INVITE_STAFF)
            ).count()
            if access.has(Cap.ASSOCIATION_INVITE_STAFF)
            else 0,
        },
    )
