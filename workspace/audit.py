"""The audit log as an association's coordinators read it: which events concern it, in words.

The log itself (`privacy.AuditEvent`) holds references only; this module decides
which rows an association may read and shows people by nickname or number, never
by an e-mail address.
"""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from network.models import Association, AssociationMembership, GroupMembership, GroupRole
from privacy.models import AuditAction, AuditEvent
from workspace.views.people import display_name


def staff_ids(association: Association) -> set[int]:
    """People who work for the association: a role in it, or facilitating one of its groups."""
    return set(AssociationMembership.objects.filter(association=association).values_list("user_id", flat=True)) | set(
        GroupMembership.objects.filter(group__association=association, role=GroupRole.FACILITATOR).values_list(
            "user_id", flat=True
        )
    )


def people_ids(association: Association) -> set[int]:
    """People whose data the association holds: its staff and the participants of its groups with an account."""
    return set(AssociationMembership.objects.filter(association=association).values_list("user_id", flat=True)) | set(
        GroupMembership.objects.filter(group__association=association).values_list("user_id", flat=True)
    )


def events_concerning(association: Association | None) -> QuerySet[AuditEvent]:
    """The audit events that concern an association (None: every event, for site administrators).

    An event concerns association A when either
    - it was recorded against one of A's objects (`association_id` is A): the
      association itself, its groups, meetings, pauses, venues, invitations, roles
      and messages; views of its people page; refused attempts on any of these,
      whoever made them; or
    - it was recorded against no association (logins, failed logins, second
      factor, password, refused pages, erasure…) and names, as the person whose
      data it is (subject), someone who holds a role in A or in one of A's groups
      today, or, as the person who acted (actor), one of A's staff today
      (a role in A, or facilitating one of its groups).

    Events recorded against another association are never shown to A, even when
    they name a person who also works for A. Roles are read as they are now: when a
    role ends, that person's personal events no longer concern A. A coordination
    does not read its member associations' events.
    """
    events = AuditEvent.objects.all()
    if association is None:
        return events
    people = people_ids(association)
    return events.filter(
        Q(association_id=association.pk)
        | Q(association_id__isnull=True) & (Q(subject_id__in=people) | Q(actor_id__in=staff_ids(association)))
    )


def everyone_with_a_role() -> set[int]:
    return set(AssociationMembership.objects.values_list("user_id", flat=True)) | set(
        GroupMembership.objects.values_list("user_id", flat=True)
    )


def people_choices(user_ids) -> list[tuple[str, str]]:
    users = get_user_model().objects.filter(pk__in=user_ids).select_related("profile")
    return sorted(((str(user.pk), display_name(user)) for user in users), key=lambda choice: choice[1].lower())


def object_type_label(object_type: str) -> str:
    if object_type == "url":
        return _("pagina")
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type


def describe_event(event: AuditEvent, associations: dict[int, str]) -> dict:
    """One event in words, for the page and the CSV file."""
    if event.object_type == "url":
        what = _("pagina %(name)s") % {"name": event.object_id}
    elif event.object_type:
        what = f"{object_type_label(event.object_type)} {event.object_id}".strip()
    else:
        what = ""
    return {
        "at": event.at,
        "action": event.action,
        "action_label": str(AuditAction(event.action).label) if event.action in AuditAction.values else event.action,
        "actor_id": event.actor_id,
        "actor": display_name(event.actor) if event.actor_id else _("Cerchio o una persona non più presente"),
        "subject_id": event.subject_id,
        "subject": display_name(event.subject) if event.subject_id else "",
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object": what,
        "association_id": event.association_id,
        "association": associations.get(event.association_id, ""),
    }
