"""Reads of the companion: the meeting before and after, figures by month, flags, reflection totals."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from companion.cards import DOES, DONTS
from companion.models import Agreement, Attendance, Reflection
from lib.figures import suppressed_label
from network.models import Group, GroupStatus, Meeting, Pause

# "Regularly above its maximum size": at least this many of the last meetings with counts.
OVER_SIZE_OF_LAST = (3, 4)
NOT_MET_DAYS = 42


def _held(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    return meetings.filter(is_scheduled=True, is_cancelled=False)


# --- One meeting ------------------------------------------------------------------


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """The group's meeting held before this one, if any."""
    return (
        _held(Meeting.objects.filter(group_id=meeting.group_id, starts_at__lt=meeting.starts_at))
        .order_by("-starts_at")
        .first()
    )


def is_first_meeting(meeting: Meeting) -> bool:
    return previous_meeting(meeting) is None


def agreements_to_recall(meeting: Meeting) -> tuple[Meeting | None, list[Agreement]]:
    """The agreements of the last earlier meeting that was closed in the companion, to recall when opening."""
    closed = (
        _held(Meeting.objects.filter(group_id=meeting.group_id, starts_at__lt=meeting.starts_at))
        .filter(attendance__isnull=False)
        .order_by("-starts_at")
        .first()
    )
    if closed is None:
        return None, []
    return closed, list(closed.agreements.all())


def next_meeting(meeting: Meeting) -> Meeting | None:
    """The group's next meeting still to be held after this one (the one the close confirms or moves)."""
    return (
        _held(Meeting.objects.filter(group_id=meeting.group_id, starts_at__gt=meeting.starts_at))
        .select_related("schedule", "venue", "group")
        .order_by("starts_at")
        .first()
    )


def meetings_to_close(groups: QuerySet[Group], *, now: datetime | None = None, days: int = 14) -> list[Meeting]:
    """Meetings of the last days that were held but have no counts yet: the facilitator's "after"."""
    now = now or timezone.now()
    return list(
        _held(Meeting.objects.filter(group__in=groups, starts_at__lte=now, starts_at__gte=now - timedelta(days=days)))
        .filter(attendance__isnull=True)
        .select_related("group", "venue", "schedule")
        .order_by("-starts_at")[:5]
    )


# --- Figures for the association -----------------------------------------------------


@dataclass
class Month:
    month: date  # the first day
    held: int = 0  # meetings not cancelled, started
    counted: int = 0  # of which with counts
    participants: int = 0
    newcomers: int = 0

    @property
    def average(self) -> float | None:
        return round(self.participants / self.counted, 1) if self.counted else None


@dataclass
class GroupFigures:
    group: Group
    months: list[Month] = field(default_factory=list)

    @property
    def held(self) -> int:
        return sum(month.held for month in self.months)

    @property
    def newcomers(self) -> int:
        return sum(month.newcomers for month in self.months)

    @property
    def average(self) -> float | None:
        counted = sum(month.counted for month in self.months)
        return round(sum(month.participants for month in self.months) / counted, 1) if counted else None


def month_starts(*, until: date, count: int) -> list[date]:
    """The first days of the last `count` months, oldest first, ending with `until`'s month."""
    first = until.replace(day=1)
    months = []
    for _index in range(count):
        months.append(first)
        first = (first - timedelta(days=1)).replace(day=1)
    return months[::-1]


def monthly_figures(groups: QuerySet[Group], *, months: int = 12, today: date | None = None) -> list[GroupFigures]:
    """Per group, month by month: meetings held, average attendance, newcomers (one query for meetings)."""
    today = today or timezone.localdate()
    starts = month_starts(until=today, count=months)
    now = timezone.now()
    zone = timezone.get_current_timezone()
    since = datetime.combine(starts[0], datetime.min.time(), tzinfo=zone)
    groups = list(groups.order_by("name", "pk"))
    table = {group.pk: {start: Month(month=start) for start in starts} for group in groups}
    rows = (
        _held(Meeting.objects.filter(group__in=[group.pk for group in groups], starts_at__range=(since, now)))
        .values_list("group_id", "starts_at", "attendance__participants", "attendance__newcomers")
        .iterator()
    )
    for group_id, starts_at, participants, newcomers in rows:
        month = table[group_id].get(timezone.localtime(starts_at, zone).date().replace(day=1))
        if month is None:
            continue
        month.held += 1
        if participants is not None:
            month.counted += 1
            month.participants += participants
            month.newcomers += newcomers
    return [GroupFigures(group=group, months=list(table[group.pk].values())) for group in groups]


# --- Flags on the coordinator's home -------------------------------------------------------


@dataclass(frozen=True)
class Flag:
    group: Group
    kind: str  # "over_size" or "not_met"
    over: int = 0  # over_size: meetings above the maximum among the last counted
    last_met: date | None = None  # not_met: the last meeting held, if any


def group_flags(groups: QuerySet[Group], *, now: datetime | None = None) -> list[Flag]:
    """Running groups regularly above their maximum size, or that have not met for six weeks.

    "Regularly above": 3 of the last 4 meetings with counts (the gemmation work builds on it).
    "Not met": no meeting held in the last 42 days, except during a pause of the group.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    running = list(groups.filter(status=GroupStatus.ACTIVE).order_by("name"))
    ids = [group.pk for group in running]
    recent: dict[int, list[int]] = defaultdict(list)
    for group_id, participants in (
        Attendance.objects.filter(meeting__group_id__in=ids, meeting__starts_at__lte=now)
        .order_by("meeting__group_id", "-meeting__starts_at")
        .values_list("meeting__group_id", "participants")
    ):
        if len(recent[group_id]) < OVER_SIZE_OF_LAST[1]:
            recent[group_id].append(participants)
    last_held: dict[int, datetime] = {}
    for group_id, starts_at in (
        _held(Meeting.objects.filter(group_id__in=ids, starts_at__lte=now))
        .order_by("group_id", "-starts_at")
        .values_list("group_id", "starts_at")
    ):
        last_held.setdefault(group_id, starts_at)
    paused = set(
        Pause.objects.filter(group_id__in=ids, starts_on__lte=today, ends_on__gte=today).values_list(
            "group_id", flat=True
        )
    )
    flags = []
    cutoff = now - timedelta(days=NOT_MET_DAYS)
    for group in running:
        over = sum(1 for count in recent[group.pk] if count > group.max_size)
        if over >= OVER_SIZE_OF_LAST[0]:
            flags.append(Flag(group=group, kind="over_size", over=over))
        last = last_held.get(group.pk)
        if group.pk in paused:
            continue
        if (last is None and group.created_at < cutoff) or (last is not None and last < cutoff):
            flags.append(Flag(group=group, kind="not_met", last_met=timezone.localtime(last).date() if last else None))
    return flags


# --- Self-reflections: the author's summary, the association's anonymous totals --------------


@dataclass
class PointTally:
    code: str
    text: str
    went_well: int | str = 0
    hard: int | str = 0


def _tallies(reflections) -> list[PointTally]:
    well: Counter[str] = Counter()
    hard: Counter[str] = Counter()
    for went_well, difficult in reflections:
        well.update(went_well)
        hard.update(difficult)
    return [
        PointTally(code=point.code, text=str(point.text), went_well=well[point.code], hard=hard[point.code])
        for point in [*DOES, *DONTS]
    ]


def reflection_summary(*, author, since: date, until: date) -> dict:
    """The author's own reflections in a period, for them to bring to supervision (intervisione)."""
    reflections = list(
        Reflection.objects.filter(
            author=author, meeting__starts_at__date__gte=since, meeting__starts_at__date__lte=until
        )
        .select_related("meeting", "meeting__group")
        .order_by("meeting__starts_at")
    )
    return {
        "reflections": reflections,
        "tallies": _tallies((item.went_well, item.hard) for item in reflections),
    }


# Fewer authors than this and the totals could point at one facilitator: none are shown.
MIN_AUTHORS = 3


def shared_reflection_totals(associations, *, since: date) -> dict:
    """Anonymous totals of the ticks, only from reflections whose author chose to share them.

    Across all the association's groups (a group has one or two facilitators, so never per
    group); shown only when at least three facilitators shared, and counts below 3 suppressed.
    """
    rows = list(
        Reflection.objects.filter(
            share_totals=True, meeting__group__association__in=associations, meeting__starts_at__date__gte=since
        ).values_list("author_id", "went_well", "hard")
    )
    authors = len({author for author, _well, _hard in rows})
    if authors < MIN_AUTHORS:
        return {"enough": False, "tallies": []}
    tallies = _tallies((well, hard) for _author, well, hard in rows)
    for tally in tallies:
        tally.went_well = suppressed_label(tally.went_well)
        tally.hard = suppressed_label(tally.hard)
    return {"enough": True, "reflections": suppressed_label(len(rows)), "tallies": tallies}
