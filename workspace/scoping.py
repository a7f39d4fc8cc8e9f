"""One access helper per object type: the object, or 404 for anyone outside its scope.

Views never repeat these rules. A refused look-up of an object that exists is
written to the audit log, like any other refused access.
"""

from django.http import Http404

from network.access import Cap, access_for
from network.models import Association, Group, Invitation, Meeting, Pause, Venue
from privacy.audit import audit
from privacy.models import AuditAction


def _association_id(obj) -> int | None:
    """The association an object belongs to, so the refusal reaches that association's log."""
    if isinstance(obj, Association):
        return obj.pk
    association_id = getattr(obj, "association_id", None)
    if association_id is None and getattr(obj, "group_id", None) is not None:
        association_id = obj.group.association_id
    return association_id


def refuse(request, found):
    """404; when the object exists (`found`: a queryset of it), the refusal is logged with the object.

    Also for views that scope a look-up themselves (roles, outbox messages).
    """
    obj = found.first() if found is not None else None
    if obj is not None:
        audit(
            AuditAction.AUTHORIZATION_FAILED,
            actor=request.user,
            target=obj,
            association_id=_association_id(obj),
        )
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
        refuse(request, Group.objects.filter(slug=slug))
    return group


def meeting_for(request, pk: int, cap: Cap) -> Meeting:
    meeting = (
        Meeting.objects.filter(pk=pk, group__in=access_for(request).groups(cap))
        .select_related("group", "group__association", "group__venue", "schedule", "venue")
        .first()
    )
    if meeting is None:
        refuse(request, Meeting.objects.filter(pk=pk).select_related("group"))
    return meeting


def pause_for(request, pk: int, cap: Cap) -> Pause:
    pause = Pause.objects.filter(pk=pk, group__in=access_for(request).groups(cap)).select_related("group").first()
    if pause is None:
        refuse(request, Pause.objects.filter(pk=pk).select_related("group"))
    return pause


def association_for(request, cap: Cap, pk: int | None = None) -> Association:
    """The association the person works for with `cap` (the given one, or their only/first one)."""
    associations = access_for(request).associations(cap).order_by("name")
    association = associations.filter(pk=pk).first() if pk is not None else associations.first()
    if association is None:
        refuse(request, Association.objects.filter(pk=pk) if pk is not None else None)
    return association


def venue_for(request, pk: int, cap: Cap) -> Venue:
    venue = Venue.objects.filter(pk=pk, association__in=access_for(request).associations(cap)).first()
    if venue is None:
        refuse(request, Venue.objects.filter(pk=pk))
    return venue


def invitation_for(request, pk: int, cap: Cap) -> Invitation:
    invitation = Invitation.objects.filter(pk=pk, association__in=access_for(request).associations(cap)).first()
    if invitation is None:
        refuse(request, Invitation.objects.filter(pk=pk))
    return invitation


def mark_paused(meetings) -> None:
    """Set `in_pause` on each meeting a pause of its group covers (one query)."""
    pauses: dict[int, list[Pause]] = {}
    for pause in Pause.objects.filter(group_id__in={meeting.group_id for meeting in meetings}):
        pauses.setdefault(pause.group_id, []).append(pause)
    for meeting in meetings:
        meeting.in_pause = any(pause.covers(meeting.original_date) for pause in pauses.get(meeting.group_id, []))
