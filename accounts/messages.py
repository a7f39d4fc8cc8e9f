"""The account app's e-mails, registered with the outbox."""

import json

from django.urls import reverse
from django.utils import translation

from lib.site import absolute_url
from privacy.crypto import decrypt
from privacy.subjects import subject_link_token

# django-allauth's own e-mails, rendered by allauth in the request and sent by the worker.
ACCOUNT_MAIL = "account_mail"


def privacy_link_context(message) -> dict:
    """The signed link is made when the message is sent, so no usable link waits in the outbox."""
    action = message.context["action"]
    token = subject_link_token(index=message.context["index"], action=action)
    with translation.override(message.language):
        path = reverse("accounts:subject_act", kwargs={"action": action, "token": token})
    return {"link": absolute_url(path), "erase": action == "erase"}


PRIVACY_LINK_SAMPLE = {"index": "0" * 64, "action": "export"}


def account_mail_context(message) -> dict:
    sealed = message.context.get("sealed")
    if not sealed:  # the sample used by the test that renders every kind
        return {"subject": "Cerchio", "text": "Testo di prova", "html": ""}
    return json.loads(decrypt(sealed))
