"""The activity log: every service records what it did here."""

from django.db import models

from network.models import Activity, Association, Group

# Payload values that could carry contact details are refused outright.
_FORBIDDEN_KEYS = {"email", "phone", "address", "notes", "message"}


def activity_record(
    *,
    actor,
    action: str,
    target: models.Model | None = None,
    group: Group | None = None,
    association: Association | None = None,
    payload: dict | None = None,
) -> Activity:
    """Record one action. `group` and `association` say whose history shows it."""
    payload = payload or {}
    leaked = _FORBIDDEN_KEYS & set(payload)
    if leaked:
        raise ValueError(f"the activity log never holds contact details: {sorted(leaked)}")
    if group is not None and association is None:
        association = group.association
    return Activity.objects.create(
        actor=actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
        action=action,
        group=group,
        association=association,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        payload=payload,
    )
