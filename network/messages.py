"""The network's e-mails, registered with the outbox when the app starts."""

from datetime import date

from django.urls import reverse
from django.utils import translation

from lib.site import absolute_url
from network.models import AssociationRole, GroupRole, Invitation


def invitation_is_open(message) -> bool:
    """Re-checked just before sending: a withdrawn, used or expired invitation is not mailed."""
    return Invitation.objects.open().filter(pk=message.context.get("invitation")).exists()


def invitation_context(message) -> dict:
    from network.services import invitation_token

    context = message.context
    token = invitation_token(invitation_id=context["invitation"], salt=context["salt"])
    with translation.override(message.language):
        path = reverse("workspace:join", kwargs={"token": token})
        roles = dict(AssociationRole.choices) | dict(GroupRole.choices)
        role = str(roles.get(context.get("role"), context.get("role", "")))
    return {
        "accept_url": absolute_url(path),
        "role_label": role,
        "expires_on": date.fromisoformat(context["expires_on"]),
    }


INVITATION_SAMPLE = {
    "invitation": 1,
    "salt": "0" * 32,
    "association": "Associazione AMA di prova",
    "group": "Gruppo di prova",
    "role": GroupRole.FACILITATOR,
    "expires_on": "2026-12-04",
}
