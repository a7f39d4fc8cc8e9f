"""The newcomers the association announced for a meeting: the one place the companion asks intake."""

from intake.selectors import newcomers_for_meeting
from network.models import Meeting


def announced_newcomers(meeting: Meeting) -> list[str]:
    """First names or nicknames of the people the association introduced to this meeting (never a contact)."""
    return newcomers_for_meeting(meeting=meeting)
