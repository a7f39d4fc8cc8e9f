"""Every model that holds personal data, and how to export, erase and expire it.

Export, erasure and retention are driven from here, so a model added later with
personal data must be registered (a test fails otherwise).
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.db import models


@dataclass(frozen=True)
class PersonalData:
    label: str  # "app_label.model_name"
    owners: tuple[str, ...]  # lookups from the model to the person, e.g. ("user",)
    export_fields: tuple[str, ...]
    # Retention: the CERCHIO_RETENTION_DAYS key and the date field it counts from.
    retention: str | None = None
    retention_field: str | None = None
    retention_filter: tuple = ()
    # Erasure sets these owner fields to NULL instead of deleting the rows, so logs and
    # figures keep their counts without naming the person (pretix's shredder does the same).
    redact: tuple[str, ...] = ()
    # For data of people with no account (a newcomer's request, a follower known by e-mail):
    # the field holding the keyed hash of their address, so export and erasure find the rows.
    email_index: str | None = None
    # The encrypted field holding that address, so rotate_blind_index_key can compute the hash afresh.
    email_field: str | None = None
    why: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.label)


REGISTRY: dict[str, PersonalData] = {}

# Models that look personal but are not a person's data, with the reason.
NOT_PERSONAL: dict[str, str] = {
    "network.association": "public contact of an organisation, not of a person",
    "network.venue": "address of a public meeting place",
    "sessions.session": "opaque session data; removed with the person's sessions and on expiry",
}


def register(label: str, *, owners: tuple[str, ...], export_fields: tuple[str, ...], **options) -> None:
    REGISTRY[label] = PersonalData(label=label, owners=owners, export_fields=export_fields, **options)


register(
    "privacy.sealedemail",
    owners=("user",),
    export_fields=("address", "created_at"),
    retention="unclaimed_email",
    retention_field="created_at",
    retention_filter=(("user__isnull", True),),
    why="login e-mail addresses, encrypted; addresses typed for no account are kept one day",
)
register(
    "accounts.user",
    owners=("pk",),
    export_fields=("email", "date_joined", "last_login"),
    why="the account: login e-mail and dates",
)
register(
    "accounts.profile",
    owners=("user",),
    export_fields=("nickname", "phone", "notes", "organisation", "created_at"),
    why="nickname and encrypted contact details",
)
register(
    "network.associationmembership",
    owners=("user",),
    export_fields=("association__name", "role"),
    why="roles in associations",
)
register("network.groupmembership", owners=("user",), export_fields=("group__name", "role"), why="roles in groups")
register(
    "account.emailaddress",
    owners=("user",),
    export_fields=("email", "verified", "primary"),
    why="login e-mail addresses",
)
register(
    "mfa.authenticator",
    owners=("user",),
    export_fields=("type", "created_at", "last_used_at"),
    why="second factors (secrets are never exported)",
)
register(
    "usersessions.usersession",
    owners=("user",),
    export_fields=("ip", "user_agent", "created_at", "last_seen_at"),
    retention="user_session",
    retention_field="last_seen_at",
    why="signed-in devices, so a person can end them",
)
register(
    "privacy.auditevent",
    owners=("actor", "subject"),
    export_fields=("at", "action", "object_type", "object_id"),
    retention="audit_log",
    retention_field="at",
    redact=("actor", "subject"),
    why="who accessed whose data",
)
register(
    "network.activity",
    owners=("actor",),
    export_fields=("at", "action", "object_type", "object_id"),
    redact=("actor",),
    why="what a person did through the workspace (the actor is redacted on erasure)",
)
register(
    "network.invitation",
    owners=("accepted_by", "invited_by"),
    email_index="email_index",
    email_field="email",
    retention="unused_invitation",
    retention_field="expires_at",
    retention_filter=(("accepted_at__isnull", True),),
    export_fields=("role", "association__name", "created_at", "accepted_at"),
    redact=("accepted_by", "invited_by"),
    why="invitations to a role; the address is encrypted, erased on acceptance, and unused ones are deleted",
)
register(
    "admin.logentry",
    owners=("user",),
    export_fields=("action_time", "object_repr", "change_message"),
    retention="audit_log",
    retention_field="action_time",
    why="changes made in the back office",
)

# Intake (intake/): a newcomer's request. Its contact details are encrypted; the full request is
# exported and withdrawn through the signed link in its confirmation (intake:manage). The export here
# lists no contact details, because staff who filed or were assigned a request export through it too.
# Retention is intake's own nightly job (intake_purge): a closed request loses its personal data after
# CERCHIO_RETENTION_INTAKE_CLOSED_DAYS (180) but keeps its dates, state and theme for the figures.
register(
    "intake.intakerequest",
    owners=("referred_by", "assigned_to"),
    email_index="email_index",
    email_field="email",
    export_fields=("reference", "association__name", "created_at", "state", "outcome", "consent_version", "consent_at"),
    redact=("referred_by", "assigned_to"),
    why="a newcomer's request to be put in touch with a group; contact details encrypted, erased after closing",
)
register(
    "intake.introduction",
    owners=("created_by",),
    export_fields=("created_at", "group__name"),
    redact=("created_by",),
    why="who introduced a newcomer to a group (the newcomer's first name stays on the request)",
)

# --- founding: who started a group's path, ticked a step, marked a follow-up milestone done.
register(
    "founding.foundingpath",
    owners=("started_by",),
    export_fields=("group__name", "start_mode", "started_at"),
    redact=("started_by",),
    why="who started a new group's path (redacted on erasure; the path and its counts stay)",
)
register(
    "founding.steptick",
    owners=("ticked_by",),
    export_fields=("path__group__name", "step", "ticked_at"),
    redact=("ticked_by",),
    why="who ticked a step of a new group's path off (redacted on erasure)",
)
register(
    "founding.milestonedone",
    owners=("done_by",),
    export_fields=("group__name", "kind", "number", "due_on", "done_at"),
    redact=("done_by",),
    why="who marked a new group's follow-up milestone done (redacted on erasure)",
)


def looks_personal(model: type[models.Model]) -> bool:
    """A model holds personal data if it points to a person or stores contact details."""
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    if model is user_model:
        return True
    for model_field in model._meta.get_fields():
        if getattr(model_field, "personal_data", False):
            return True
        if isinstance(model_field, models.EmailField | models.GenericIPAddressField):
            return True
        if model_field.is_relation and model_field.concrete and model_field.related_model is user_model:
            return True
    return False
