"""The newcomers the association announced for a meeting: the one place the companion asks intake."""

from network.models import Meeting


def announced_newcomers(meeting: Meeting) -> list[str]:
    """First names or nicknames of the people the association introduced to this meeting.

    Intake wires this to `intake.selectors.newcomers_for_meeting(meeting=meeting)` when it
    lands (intake sits to the left of the companion, so the import is allowed). Until then
    nobody is announced.
    """
    return []
