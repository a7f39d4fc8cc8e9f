"""Intake's background work. Idempotent: running it twice does no harm."""

from django_tasks import task


@task()
def intake_purge_task() -> int:
    """Closed requests past their retention lose their personal data; returns how many."""
    from intake.services import intake_purge

    return intake_purge()
