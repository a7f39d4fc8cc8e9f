from django.apps import AppConfig


class IntakeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "intake"
    verbose_name = "Accoglienza"

    def ready(self):
        from intake import demand

        # Unmet demand: the message to people waiting for a group, and the job that sends it.
        demand.register()
