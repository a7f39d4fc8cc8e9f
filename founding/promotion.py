"""The promotion effort of a group being started, in counts: invitations sent, people who asked.

Figures shown to the association suppress counts below 3 where they count people.
"""

from dataclasses import dataclass

from founding.models import FoundingPath
from network.models import Group

# Counts of people below this are shown as "fewer than 3".
SUPPRESS_BELOW = 3


def people_who_asked(*, group: Group) -> int:
    """How many people asked the association about this group: never who.

    Requests made from the group's page ("Vuoi partecipare?") plus the waiting demand the
    group was started to answer (a group *su richiesta*).
    """
    from intake.models import DemandRecord, IntakeRequest

    asked_here = IntakeRequest.objects.filter(asked_group=group).count()
    answered = DemandRecord.objects.filter(group=group).exclude(request__asked_group=group).count()
    return asked_here + answered


@dataclass
class Promotion:
    invitations_sent: int
    requesters_at_start: int
    asked: int

    @property
    def asked_shown(self) -> str:
        return "<3" if 0 < self.asked < SUPPRESS_BELOW else str(self.asked)


def promotion_for(path: FoundingPath) -> Promotion:
    return Promotion(
        invitations_sent=path.invitations_sent,
        requesters_at_start=path.requesters_count,
        asked=people_who_asked(group=path.group),
    )
