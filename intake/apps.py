from datetime import time

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "intake"
    verbose_name = _("Accoglienza: richieste e domanda senza gruppo")

    def ready(self):
        from intake import demand, messages, tasks
        from intake.services import KIND_CONFIRMATION, KIND_INTRODUCTION, KIND_NEW
        from notifications.kinds import register_kind
        from notifications.periodic import register_periodic

        register_kind(
            KIND_CONFIRMATION,
            template="intake_confirmation",
            still_wanted=messages.confirmation_wanted,
            build_context=messages.confirmation_context,
            sample_context=messages.CONFIRMATION_SAMPLE,
        )
        register_kind(
            KIND_NEW,
            template="intake_new",
            still_wanted=messages.new_request_wanted,
            build_context=messages.new_request_context,
            sample_context=messages.NEW_SAMPLE,
        )
        register_kind(
            KIND_INTRODUCTION,
            template="intake_introduction",
            still_wanted=messages.introduction_wanted,
            build_context=messages.introduction_context,
            sample_context=messages.INTRODUCTION_SAMPLE,
        )
        # Every night, closed requests past their retention lose their personal data.
        register_periodic("intake_purge", task=tasks.intake_purge_task, at=time(3, 40))
        # Unmet demand: the message to people waiting for a group, and the job that sends it.
        demand.register()
