"""Background work of the network. Idempotent: running it twice does no harm."""

from django_tasks import task


@task()
def refresh_meetings_task() -> int:
    """Move every group's meeting horizon forward; returns the groups refreshed."""
    from network.services import meetings_refresh_all

    return meetings_refresh_all()
