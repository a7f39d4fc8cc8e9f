from django.db import models

from privacy.models import AuditAction, AuditEvent


def audit(action: AuditAction, *, actor=None, subject=None, target: models.Model | None = None) -> AuditEvent:
    """Record one event. Pass users and model instances; only their ids are kept."""
    return AuditEvent.objects.create(
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        subject=subject,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
    )
