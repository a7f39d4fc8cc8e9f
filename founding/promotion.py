"""The promotion effort of a group being started, in counts: invitations sent, people who asked.

Figures shown to the association suppress counts below 3 where they count people.
"""

from dataclasses import dataclass

from founding.models import FoundingPath
from network.models import Group

# Counts of people below this are shown as "fewer than 3".
SUPPRESS_BELOW = 3


def people_who_asked(*, group: Group) -> int | None:
    """INTEGRATION HOOK for intake: how many people asked the association about this group.

    Intake (the demand board and the newcomers' requests) sits below founding in the
    layers, so founding calls it here. Until intake lands this returns None and the
    page says the figure is not available. The integrator replaces the body with
    intake's count of requests that name this group (or its theme, once started).
    """
    return None


@dataclass
class Promotion:
    invitations_sent: int
    requesters_at_start: int
    asked: int | None

    @property
    def asked_shown(self) -> str | None:
        if self.asked is None:
            return None
        return "<3" if 0 < self.asked < SUPPRESS_BELOW else str(self.asked)


def promotion_for(path: FoundingPath) -> Promotion:
    return Promotion(
        invitations_sent=path.invitations_sent,
        requesters_at_start=path.requesters_count,
        asked=people_who_asked(group=path.group),
    )
