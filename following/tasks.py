"""Background tasks of following: they take nothing and are idempotent (the outbox keys make them so)."""

from django_tasks import task


@task()
def queue_reminders_task() -> int:
    from following.reminders import queue_reminders

    return queue_reminders()


@task()
def announce_changes_task() -> dict[str, int]:
    from following.notices import announce_changes

    return announce_changes()
