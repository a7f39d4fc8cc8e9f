"""One access helper per object type: the object, or 404 for anyone outside its scope.

Views never repeat these rules. A refused look-up of an object that exists is
written to the audit log, like any other refused access.
"""

from django.http import Http404

from network.access import Cap, access_for
from network.models import Association, Group, Invitation, Meeting, Pause, Venue
from privacy.audit import audit
from privacy.models import AuditAction


def _refuse(request, exists: bool):
    if exists:
        audit(AuditAction.AUTHORIZATION_FAILED, actor=request.user)
    raise Http404


def group_for(request, slug: str, cap: Cap) -> Group:
    group = (
        access_for(request)
        .groups(cap)
        .select_related("association", "venue")
        .prefetch_related("themes")
        .filter(slug=slug)
        .first()
    )
    if group is None:
        _refuse(request, Group.objects.filter(slug=slug).exists())
    return group


def meeting_for(request, pk: int, cap: Cap) -> Meeting:
    meeting = (
        Meeting.objects.filter(pk=pk, group__in=access_for(request).groups(cap))
        .select_related("group", "group__association", "group__venue", "schedule", "venue")
        .first()
    )
    if meeting is None:
        _refuse(request, Meeting.objects.filter(pk=pk).exists())
    return meeting


def pause_for(request, pk: int, cap: Cap) -> Pause:
    pause = Pause.objects.filter(pk=pk, group__in=access_for(request).groups(cap)).select_related("group").first()
    if pause is None:
        _refuse(request, Pause.objects.filter(pk=pk).exists())
    return pause


def association_for(request, cap: Cap, pk: int | None = None) -> Association:
    """The association the person works for with `cap` (the given one, or their only/first one)."""
    associations = access_for(request).associations(cap).order_by("name")
    association = associations.filter(pk=pk).first() if pk is not None else associations.first()
    if association is None:
        _refuse(request, pk is not None and Association.objects.filter(pk=pk).exists())
    return association


def venue_for(request, pk: int, cap: Cap) -> Venue:
    venue = Venue.objects.filter(pk=pk, association__in=access_for(request).associations(cap)).first()
    if venue is None:
        _refuse(request, Venue.objects.filter(pk=pk).exists())
    return venue


def invitation_for(request, pk: int, cap: Cap) -> Invitation:
    invitation = Invitation.objects.filter(pk=pk, association__in=access_for(request).associations(cap)).first()
    if invitation is None:
        _refuse(request, Invitation.objects.filter(pk=pk).exists())
    return invitation


def mark_paused(meetings) -> None:
    """Set `in_pause` on each meeting a pause of its group covers (one query)."""
    pauses: dict[int, list[Pause]] = {}
    for pause in Pause.objects.filter(group_id__in={meeting.group_id for meeting in meetings}):
        pauses.setdefault(pause.group_id, []).append(pause)
    for meeting in meetings:
        meeting.in_pause = any(pause.covers(meeting.original_date) for pause in pauses.get(meeting.group_id, []))
