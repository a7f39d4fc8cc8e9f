"""The account app's e-mails, registered with the outbox."""

from django.urls import reverse
from django.utils import translation

from lib.site import absolute_url
from privacy.subjects import subject_link_token


def privacy_link_context(message) -> dict:
    """The signed link is made when the message is sent, so no usable link waits in the outbox."""
    action = message.context["action"]
    token = subject_link_token(index=message.context["index"], action=action)
    with translation.override(message.language):
        path = reverse("accounts:subject_act", kwargs={"action": action, "token": token})
    return {"link": absolute_url(path), "erase": action == "erase"}


PRIVACY_LINK_SAMPLE = {"index": "0" * 64, "action": "export"}
