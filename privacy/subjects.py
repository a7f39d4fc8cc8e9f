"""Personal data of people who have no account: found by a keyed hash of their address.

A newcomer's request or a follower known only by e-mail has no login to reach "my
data". They ask with their address; Cerchio mails a signed link to that address (so
only its owner can use it), and the link exports or erases what the registry finds.
An operator can do the same on request (`manage.py subject_data`). Each use is audited.
"""

from django.core import signing
from django.db import transaction
from django.utils import timezone

from privacy.audit import audit
from privacy.crypto import blind_indexes
from privacy.models import AuditAction
from privacy.registry import REGISTRY

LINK_SALT = "cerchio.privacy.subject"
LINK_MAX_AGE = 24 * 60 * 60  # a day: the link is for now, not for later
ACTIONS = ("export", "erase")


def _entries():
    return [entry for entry in REGISTRY.values() if entry.email_index]


def subject_index(email: str) -> str:
    """The keyed hash an address's rows are stored under: the newest key's, unless only an older one has rows."""
    indexes = blind_indexes(email)
    # Between adding a key and running rotate_blind_index_key, rows may still carry an older hash.
    return next((index for index in indexes if subject_has_data(index=index)), indexes[0])


def subject_has_data(*, index: str) -> bool:
    # Every entry is asked, even after a hit: the same queries whether or not data exists.
    found = [entry.model.objects.filter(**{entry.email_index: index}).exists() for entry in _entries()]
    return any(found)


def subject_export(*, index: str, by=None) -> dict:
    """Everything held about an address that has no account (given by its keyed hash), JSON-ready."""
    data = {"format": "cerchio-personal-data-1", "exported_at": timezone.now(), "data": {}}
    for entry in _entries():
        rows = list(entry.model.objects.filter(**{entry.email_index: index}).values(*entry.export_fields))
        if rows:
            data["data"][entry.label] = rows
    audit(AuditAction.EXPORTED, actor=by)
    return data


@transaction.atomic
def subject_erase(*, index: str, by=None) -> int:
    """Delete (or, for logs, redact) what is held about an address with no account. Returns rows touched."""
    touched = 0
    for entry in _entries():
        rows = entry.model.objects.filter(**{entry.email_index: index})
        # A person with no account asked to be forgotten: their rows go (an invitation, a request…).
        touched += rows.delete()[0]
    audit(AuditAction.DELETED, actor=by)
    return touched


def subject_link_token(*, index: str, action: str) -> str:
    """A signed token naming the address (by its keyed hash) and what it may do; valid for a day."""
    if action not in ACTIONS:
        raise ValueError(action)
    return signing.dumps({"i": index, "a": action}, salt=LINK_SALT, compress=True)


def subject_from_token(token: str, *, action: str) -> str | None:
    """The address's keyed hash if the token is valid for this action, else None."""
    try:
        payload = signing.loads(token, salt=LINK_SALT, max_age=LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("a") != action or not isinstance(payload.get("i"), str):
        return None
    return payload["i"]
