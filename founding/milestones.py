"""The follow-up of a new group, from its first meeting: accompany, review, yearly check-in.

Due dates are computed from the agreements' first meeting, the group's meetings and
the association's settings, so changing a default moves every date at once; only
"done" is stored (MilestoneDone).
"""

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from django.utils import timezone
from django.utils.translation import gettext as _

from founding.models import FollowUpSettings, MilestoneDone, MilestoneKind
from network.agreements import agreements_of
from network.models import Group, GroupStatus, Meeting

DEFAULTS = FollowUpSettings(accompanied_meetings=3, review_after_months=6, checkin_every_months=12)
# The board shows what falls due within this many days.
DUE_SOON_DAYS = 7
# Check-ins listed ahead (a group may live decades; the board needs only the next one).
MAX_CHECKINS = 60


@dataclass
class Milestone:
    group: Group
    kind: str
    number: int
    due_on: date | None  # None: not yet known (a meeting not yet in the calendar)
    done: bool = False

    @property
    def label(self) -> str:
        if self.kind == MilestoneKind.ACCOMPANY:
            return _("Accompagnare l'incontro n. %(number)d") % {"number": self.number}
        if self.kind == MilestoneKind.REVIEW:
            return _("Verifica del gruppo")
        return _("Contatto annuale con il facilitatore (n. %(number)d)") % {"number": self.number}

    @property
    def can_be_marked(self) -> bool:
        """Not done, and due within a week or overdue."""
        return self.is_due(timezone.localdate())

    def is_due(self, today: date) -> bool:
        return not self.done and self.due_on is not None and self.due_on <= today + relativedelta(days=DUE_SOON_DAYS)


def settings_for(association) -> FollowUpSettings:
    return FollowUpSettings.objects.filter(association=association).first() or DEFAULTS


def milestones_for(group: Group, *, settings: FollowUpSettings | None = None) -> list[Milestone]:
    """Every follow-up milestone of a group, in order, up to the next check-in not yet done."""
    first_at = agreements_of(group).first_meeting_at
    if first_at is None or group.status in (GroupStatus.CLOSED, GroupStatus.GEMMATED):
        return []
    settings = settings or settings_for(group.association)
    done = {(row.kind, row.number) for row in MilestoneDone.objects.filter(group=group)}
    first = timezone.localdate(first_at)
    later = list(
        Meeting.objects.filter(group=group, is_scheduled=True, is_cancelled=False, starts_at__gt=first_at)
        .order_by("starts_at")
        .values_list("starts_at", flat=True)[: max(settings.accompanied_meetings - 1, 0)]
    )
    meeting_days = [first] + [timezone.localdate(starts) for starts in later]
    result = []
    for number in range(1, settings.accompanied_meetings + 1):
        due = meeting_days[number - 1] if number <= len(meeting_days) else None
        result.append(Milestone(group, MilestoneKind.ACCOMPANY, number, due, (MilestoneKind.ACCOMPANY, number) in done))
    if settings.review_after_months:
        due = first + relativedelta(months=settings.review_after_months)
        result.append(Milestone(group, MilestoneKind.REVIEW, 1, due, (MilestoneKind.REVIEW, 1) in done))
    if settings.checkin_every_months:
        for number in range(1, MAX_CHECKINS + 1):
            due = first + relativedelta(months=settings.checkin_every_months * number)
            is_done = (MilestoneKind.CHECKIN, number) in done
            result.append(Milestone(group, MilestoneKind.CHECKIN, number, due, is_done))
            if not is_done:
                break
    return result


def due_milestones(groups, *, today: date | None = None) -> list[Milestone]:
    """The milestones of these groups that fall due within a week or are overdue, oldest first."""
    today = today or timezone.localdate()
    due = []
    cache: dict[int, FollowUpSettings] = {}
    for group in groups:
        settings = cache.setdefault(group.association_id, settings_for(group.association))
        due += [milestone for milestone in milestones_for(group, settings=settings) if milestone.is_due(today)]
    return sorted(due, key=lambda milestone: (milestone.due_on, milestone.group.name))
