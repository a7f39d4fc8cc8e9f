from datetime import time

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = _("Rete: associazioni, gruppi e incontri")

    def ready(self):
        from network import messages, tasks
        from notifications.kinds import register_kind
        from notifications.periodic import register_periodic

        register_kind(
            "invitation",
            template="invitation",
            still_wanted=messages.invitation_is_open,
            build_context=messages.invitation_context,
            sample_context=messages.INVITATION_SAMPLE,
        )
        # Every night the meeting horizon moves one day forward (refresh_meetings does the same by hand).
        register_periodic("refresh_meetings", task=tasks.refresh_meetings_task, at=time(2, 0))
