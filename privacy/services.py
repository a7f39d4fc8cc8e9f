"""Export, erasure and retention of personal data, driven by the registry."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from privacy.audit import audit
from privacy.models import AuditAction, SealedEmail
from privacy.registry import REGISTRY
from privacy.sealing import unseal


def _rows_of(user, entry):
    query = Q()
    for owner in entry.owners:
        query |= Q(**{owner: user.pk if owner == "pk" else user})
    return entry.model.objects.filter(query)


def user_export(*, user, by) -> dict:
    """All data Cerchio holds about a person, as JSON-ready data."""
    data = {
        "format": "cerchio-personal-data-1",
        "exported_at": timezone.now(),
        "data": {},
    }
    for label, entry in REGISTRY.items():
        rows = list(_rows_of(user, entry).values(*entry.export_fields))
        for row in rows:
            if "email" in row:
                row["email"] = unseal(row["email"])  # the person gets their address, not its hash
        data["data"][label] = rows
    audit(AuditAction.EXPORTED, actor=by, subject=user)
    return data


def export_json(data: dict) -> str:
    import json

    return json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)


@transaction.atomic
def user_erase(*, user) -> None:
    """Delete a person and every trace of them, audit log included."""
    from allauth.usersessions.models import UserSession
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    session_keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=session_keys).delete()
    from allauth.account.models import EmailAddress

    pseudos = set(EmailAddress.objects.filter(user=user).values_list("email", flat=True)) | {user.email}
    SealedEmail.objects.filter(pseudo__in=pseudos).delete()
    for label, entry in REGISTRY.items():
        if label == "accounts.user":
            continue
        if entry.redact:
            # Logs keep their rows (counts and figures do not change) but no longer name the person;
            # queryset updates bypass AuditEvent's guards: erasure is the sanctioned exception.
            for owner in entry.redact:
                entry.model.objects.filter(**{owner: user}).update(**{owner: None})
            continue
        _rows_of(user, entry).delete()
    # Back-office history about the person (their account, and rows whose title names them).
    LogEntry.objects.filter(
        Q(content_type=ContentType.objects.get_for_model(get_user_model()), object_id=str(user.pk))
        | Q(object_repr__icontains=user.email or user.username)
        | Q(object_repr__icontains=user.username)
    ).delete()
    get_user_model().objects.filter(pk=user.pk).delete()
    # Record that an erasure happened, with no reference to the person.
    audit(AuditAction.DELETED, target=None)


def _is_participant_only(user) -> bool:
    return not (
        user.is_staff
        or user.is_superuser
        or user.association_memberships.exists()
        or user.group_memberships.exclude(role="participant").exists()
    )


def purge_expired_cache(*, now=None) -> int:
    """Delete expired rows of the database caches: rate-limit keys hold client IPs.

    Django's DatabaseCache culls expired rows only when it writes, and only sometimes.
    """
    from django.core.cache import caches
    from django.core.cache.backends.db import DatabaseCache
    from django.db import connections, router

    now = (now or timezone.now()).replace(microsecond=0)
    deleted = 0
    for alias in settings.CACHES:
        cache = caches[alias]
        if not isinstance(cache, DatabaseCache):
            continue
        connection = connections[router.db_for_write(cache.cache_model_class)]
        if cache._table not in connection.introspection.table_names():
            continue  # `createcachetable` has not run: nothing was ever cached
        table = connection.ops.quote_name(cache._table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {table} WHERE {connection.ops.quote_name('expires')} < %s",  # noqa: S608 (names from settings)
                [connection.ops.adapt_datetimefield_value(now)],
            )
            deleted += max(cursor.rowcount, 0)
    return deleted


def purge_expired(*, now=None) -> dict[str, int]:
    """Delete what is past its retention period. Safe to run any number of times."""
    now = now or timezone.now()
    days = settings.CERCHIO_RETENTION_DAYS
    counts: dict[str, int] = {}
    for label, entry in REGISTRY.items():
        if not entry.retention:
            continue
        cutoff = now - timedelta(days=days[entry.retention])
        expired = entry.model.objects.filter(**{f"{entry.retention_field}__lt": cutoff}, **dict(entry.retention_filter))
        counts[label], _ = expired.delete()
    counts["sessions.session"], _ = Session.objects.filter(expire_date__lt=now).delete()
    counts["cache"] = purge_expired_cache(now=now)
    cutoff = now - timedelta(days=days["inactive_participant"])
    inactive = get_user_model().objects.filter(
        Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff)
    )
    erased = 0
    for user in inactive:
        if _is_participant_only(user):
            user_erase(user=user)
            erased += 1
    counts["inactive_participants"] = erased
    return counts
