from datetime import time

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifiche")

    def ready(self):
        from notifications.kinds import register_kind
        from notifications.periodic import register_periodic
        from notifications.tasks import prune_task_results_task, purge_expired_task
        from privacy.registry import register

        # A plain message (subject and body from the context), for operators' tools and tests;
        # features register their own kinds with their own wording.
        register_kind("generic", template="generic", sample_context={"subject": "Prova", "body": "Testo di prova"})
        register_periodic("purge_expired", task=purge_expired_task, at=time(3, 30))
        register_periodic("prune_task_results", task=prune_task_results_task, at=time(3, 45))
        register(
            "notifications.outboxmessage",
            owners=("recipient_user",),
            email_index="recipient_index",
            email_field="recipient",
            export_fields=("kind", "language", "status", "created_at", "sent_at"),
            retention="outbox_message",
            retention_field="created_at",
            retention_filter=(("status__in", ("sent", "cancelled", "failed")),),
            why="e-mails to send or sent: the address encrypted, ids only; kept 30 days after",
        )
