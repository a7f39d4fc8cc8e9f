from django.db import models

from privacy.models import AuditAction, AuditEvent


def audit(
    action: AuditAction,
    *,
    actor=None,
    subject=None,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    association_id: int | None = None,
) -> AuditEvent:
    """Record one event. Pass users and model instances; only their ids are kept.

    Without an instance at hand (a refused page, an object the person may not load),
    name the object with `object_type` and `object_id`. `association_id` is the
    association the object belongs to, so its coordinators can read the event.
    """
    if target is not None:
        object_type, object_id = target._meta.label_lower, target.pk
    return AuditEvent.objects.create(
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        subject=subject,
        object_type=str(object_type)[:60],
        object_id=str(object_id)[:200],
        association_id=association_id,
    )


def audit_refused_page(request) -> AuditEvent | None:
    """Log a refused page (403), named by its URL name and arguments; once per request."""
    if getattr(request, "_refusal_audited", False):
        return None
    request._refusal_audited = True
    match = getattr(request, "resolver_match", None)
    if match is not None:
        name = match.view_name or match.route
        arguments = " ".join(f"{key}={value}" for key, value in sorted(match.kwargs.items()))
    else:
        name, arguments = request.path, ""
    return audit(
        AuditAction.AUTHORIZATION_FAILED,
        actor=getattr(request, "user", None),
        object_type="url",
        object_id=f"{name} {arguments}".strip(),
    )
