"""Reads other apps use: what a facilitator needs to know about newcomers, and nothing more."""

from django.db.models import F, Q, QuerySet

from intake.models import Introduction, Outcome, RequestState
from network.models import Meeting


def announced_introductions() -> QuerySet[Introduction]:
    """Introductions still standing: the request is introduced (or joined) to that group and not erased.

    A request introduced to one group and then proposed elsewhere leaves the first group's list.
    """
    return Introduction.objects.filter(
        Q(request__state=RequestState.INTRODUCED) | Q(request__outcome=Outcome.JOINED),
        request__redacted_at__isnull=True,
        request__proposed_group=F("group"),
    )


def newcomers_for_meeting(*, meeting: Meeting) -> list[str]:
    """The first names or nicknames announced for this meeting (never contact details)."""
    introductions = announced_introductions().filter(meeting=meeting).select_related("request").order_by("created_at")
    return [introduction.request.first_name for introduction in introductions]


def introductions_for_groups(*, groups: QuerySet, upcoming_only: bool = True) -> list[dict]:
    """For a facilitator's home: who may come, to which group and meeting. Only name and first time."""
    from django.utils import timezone

    introductions = announced_introductions().filter(group__in=groups).select_related("request", "group", "meeting")
    if upcoming_only:
        introductions = introductions.filter(
            Q(meeting__starts_at__gte=timezone.now()) | Q(meeting__isnull=True, request__state=RequestState.INTRODUCED)
        )
    return [
        {
            "first_name": introduction.request.first_name,
            "first_time": introduction.first_time,
            "group": introduction.group,
            "meeting": introduction.meeting,
        }
        for introduction in introductions.order_by("meeting__starts_at", "created_at")[:20]
    ]
