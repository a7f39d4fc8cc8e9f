"""Background tasks of notifications. They take primary keys or nothing, and are idempotent."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task


@task()
def purge_expired_task() -> dict[str, int]:
    """Delete personal data past its retention period (privacy/registry.py)."""
    from privacy.services import purge_expired

    return purge_expired()


@task()
def prune_task_results_task(days: int = 14) -> int:
    """Forget finished background tasks after two weeks; their arguments are ids, their results counts."""
    from django_tasks_db.models import DBTaskResult

    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lt=timezone.now() - timedelta(days=days)).delete()
    return deleted
