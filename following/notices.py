"""Change notices: what followers were last told about a meeting, compared with what it is now.

A periodic job looks at meetings changed since they were last compared. Once a meeting
has been quiet for a few minutes, its public state (start, end, venue, cancelled, still
in the calendar) is compared with the state last announced: if they differ, one notice
per follower is queued under the next version; if a change was undone they compare
equal and nothing is sent. Network knows nothing of this: it only keeps its meeting
rows up to date, as it does for the pages, the API and the calendar feed.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from following.models import Follow, MeetingAnnouncement
from network.models import Meeting
from notifications.services import messages_enqueue_bulk

# How far ahead followers hear of changes.
NOTICE_HORIZON = timedelta(days=60)


def meeting_state(meeting: Meeting) -> dict:
    """The public facts of a meeting a follower acts on."""
    return {
        "starts_at": meeting.starts_at.isoformat(),
        "ends_at": meeting.ends_at.isoformat(),
        "venue": meeting.venue_id,
        "cancelled": meeting.is_cancelled,
        "scheduled": meeting.is_scheduled,
    }


def _quiet() -> timedelta:
    return timedelta(seconds=settings.CERCHIO_FOLLOWING_QUIET_SECONDS)


def baseline_for_groups(group_ids, *, now: datetime | None = None) -> int:
    """Record the current state of upcoming meetings that have none yet (nothing is sent)."""
    now = now or timezone.now()
    meetings = Meeting.objects.filter(
        group_id__in=group_ids,
        is_scheduled=True,
        starts_at__gt=now,
        starts_at__lte=now + NOTICE_HORIZON,
        announcement__isnull=True,
    )
    rows = [
        MeetingAnnouncement(meeting=meeting, state=meeting_state(meeting), seen_updated_at=meeting.updated_at)
        for meeting in meetings
    ]
    MeetingAnnouncement.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _recipients(group_id: int):
    follows = Follow.objects.active().filter(group_id=group_id).select_related("follower", "follower__user")
    for follow in follows:
        follower = follow.follower
        address = follower.address
        if address:
            yield follower, address


def _announce(announcement: MeetingAnnouncement, meeting: Meeting, state: dict, now: datetime) -> int:
    version = announcement.version + 1
    previous = announcement.state
    messages = [
        {
            "key": f"change_notice:{follower.pk}:{meeting.pk}:{version}",
            "to": address,
            "language": follower.language,
            "user_id": follower.user_id,
            "association_id": meeting.group.association_id,
            # Ids and the previous public facts, to say what changed; the rest is read when sending.
            "context": {"follower": follower.pk, "meeting": meeting.pk, "version": version, "before": previous},
        }
        for follower, address in _recipients(meeting.group_id)
    ]
    messages_enqueue_bulk(kind="change_notice", messages=messages)
    MeetingAnnouncement.objects.filter(pk=announcement.pk, version=announcement.version).update(
        state=state, version=version, seen_updated_at=meeting.updated_at, announced_at=now
    )
    return len(messages)


def announce_changes(*, now: datetime | None = None) -> dict[str, int]:
    """Queue the change notices of meetings changed and then quiet; returns what was done."""
    now = now or timezone.now()
    followed = Follow.objects.active().values("group_id")
    baseline = baseline_for_groups(followed, now=now)
    changed = (
        MeetingAnnouncement.objects.filter(meeting__updated_at__gt=F("seen_updated_at"))
        .select_related("meeting", "meeting__group")
        .order_by("pk")
    )
    done = {"baseline": baseline, "waiting": 0, "undone": 0, "notices": 0, "meetings": 0}
    for announcement in changed:
        meeting = announcement.meeting
        if meeting.updated_at > now - _quiet():
            done["waiting"] += 1  # still being edited: wait until it has been quiet for a while
            continue
        state = meeting_state(meeting)
        with transaction.atomic():
            was = datetime.fromisoformat(announcement.state["starts_at"])
            if state == announcement.state or (was <= now and meeting.starts_at <= now):
                # The change was undone, or it concerns a meeting already over: nothing to tell.
                MeetingAnnouncement.objects.filter(pk=announcement.pk).update(seen_updated_at=meeting.updated_at)
                done["undone"] += 1
                continue
            done["notices"] += _announce(announcement, meeting, state, now)
            done["meetings"] += 1
    return done
