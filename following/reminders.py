"""Reminders before meetings: the day before at 18:00 local time unless the group chose otherwise.

A periodic job (every minute) finds the meetings whose reminder time has come, and queues
one message per follower in bulk; the outbox's unique (kind, key) makes a second run, or
a second worker, add nothing. A ReminderRun row per meeting lets later passes skip it
without touching the outbox.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from following.models import Follow, ReminderPlan, ReminderRun
from lib.bulkwrites import write_turn
from network.models import Meeting
from notifications.services import messages_enqueue_prepared, messages_prepare_bulk

DEFAULT_PLAN = ReminderPlan(day_before_at=time(18, 0), hours_before=None)
# The furthest ahead a reminder can be due: the day before at any hour, or up to 24 hours before.
LOOKAHEAD = timedelta(days=2, hours=1)
# Meetings queued per transaction: short ones, so workers already sending get their turn to
# write in between (on SQLite one connection writes at a time).
CHUNK = 100


def reminder_slots(meeting: Meeting, plan: ReminderPlan | None = None) -> list[tuple[str, datetime]]:
    """The reminder times of a meeting, earliest first, as (name, aware datetime)."""
    plan = plan or DEFAULT_PLAN
    zone = ZoneInfo(meeting.schedule.timezone if meeting.schedule_id else "Europe/Rome")
    local = meeting.starts_at.astimezone(zone)
    slots = []
    if plan.day_before_at is not None:
        # Wall-clock time in the group's zone: 18:00 stays 18:00 across a change of summer time.
        slots.append(("d1", datetime.combine(local.date() - timedelta(days=1), plan.day_before_at, tzinfo=zone)))
    if plan.hours_before:
        slots.append((f"h{plan.hours_before}", meeting.starts_at - timedelta(hours=plan.hours_before)))
    return sorted((slot for slot in slots if slot[1] < meeting.starts_at), key=lambda slot: slot[1])


def hours_before_label(hours: int) -> str:
    """ "2 ore prima", in the active language."""
    return ngettext("%(count)d ora prima", "%(count)d ore prima", hours) % {"count": hours}


def plan_summary(plan: ReminderPlan | None) -> str:
    """A group's reminder times in words: "Il giorno prima alle 18:00 e 2 ore prima"."""
    plan = plan or DEFAULT_PLAN
    hours = plan.hours_before
    if plan.day_before_at is None:
        return hours_before_label(hours) if hours else ""
    at = f"{plan.day_before_at:%H:%M}"
    if not hours:
        return _("Il giorno prima alle %(time)s") % {"time": at}
    return ngettext(
        "Il giorno prima alle %(time)s e %(count)d ora prima",
        "Il giorno prima alle %(time)s e %(count)d ore prima",
        hours,
    ) % {"time": at, "count": hours}


def due_slot(meeting: Meeting, plan: ReminderPlan | None, now: datetime) -> str | None:
    """The reminder to send now: the latest one whose time has come, while the meeting is ahead."""
    if meeting.starts_at <= now:
        return None
    due = [name for name, at in reminder_slots(meeting, plan) if at <= now]
    return due[-1] if due else None


def _key(follower_id: int, meeting: Meeting, slot: str) -> str:
    return f"reminder:{follower_id}:{meeting.pk}:{slot}:{int(meeting.starts_at.timestamp())}"


def queue_reminders(*, now: datetime | None = None) -> int:
    """Queue every reminder due now; returns the messages given to the outbox."""
    now = now or timezone.now()
    followed = Follow.objects.active().filter(follower__reminders=True).values("group_id")
    meetings = list(
        Meeting.objects.filter(
            group_id__in=followed,
            is_scheduled=True,
            is_cancelled=False,
            starts_at__gt=now,
            starts_at__lte=now + LOOKAHEAD,
        ).select_related("schedule", "group")
    )
    plans = {plan.group_id: plan for plan in ReminderPlan.objects.filter(group_id__in={m.group_id for m in meetings})}
    runs = ReminderRun.objects.filter(meeting_id__in=[m.pk for m in meetings])
    done = set(runs.values_list("meeting_id", "slot", "starts_at"))
    due = []
    for meeting in meetings:
        slot = due_slot(meeting, plans.get(meeting.group_id), now)
        if slot and (meeting.pk, slot, meeting.starts_at) not in done:
            due.append((meeting, slot))
    queued = 0
    for start in range(0, len(due), CHUNK):
        queued += _queue_chunk(due[start : start + CHUNK], now=now)
    return queued


def _queue_chunk(due: list[tuple[Meeting, str]], *, now: datetime) -> int:
    by_group: dict[int, list[tuple[Meeting, str, str]]] = {}
    for meeting, slot in due:
        by_group.setdefault(meeting.group_id, []).append((meeting, slot, meeting.starts_at.isoformat()))
    # Plain values, not model instances: this runs once per follower of every group due.
    follows = (
        Follow.objects.active()
        .filter(group_id__in=by_group, follower__reminders=True)
        .values_list(
            "group_id",
            "follower_id",
            # The address as stored, still encrypted: copied into the outbox without being read.
            Cast("follower__email", output_field=TextField()),
            "follower__email_index",
            "follower__language",
            "follower__user_id",
            "follower__user__email",
        )
        # One meeting's reminders side by side in the outbox: a worker's batch then shares their
        # text, calendar file and skeleton instead of building them for nearly every message.
        .order_by("group_id", "follower_id")
    )
    messages = []
    for group_id, follower_id, sealed_email, email_index, language, user_id, user_email in follows:
        if user_id:
            address = {"to": user_email} if user_email else None
        else:
            address = {"sealed_to": sealed_email, "recipient_index": email_index} if sealed_email else None
        if not address:
            continue
        for meeting, slot, starts_at in by_group[group_id]:
            messages.append(
                {
                    **address,
                    "key": _key(follower_id, meeting, slot),
                    "language": language,
                    "user_id": user_id,
                    "association_id": meeting.group.association_id,
                    "context": {"follower": follower_id, "meeting": meeting.pk, "starts_at": starts_at},
                }
            )
    rows = messages_prepare_bulk(kind="reminder", messages=messages)  # encrypting, before taking the database
    with write_turn(), transaction.atomic():
        messages_enqueue_prepared(rows=rows)
        ReminderRun.objects.bulk_create(
            [ReminderRun(meeting=m, slot=slot, starts_at=m.starts_at, queued_at=now) for m, slot in due],
            ignore_conflicts=True,
        )
    return len(messages)
