from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Riservatezza")

    def ready(self):
        from privacy import signals  # noqa: F401  (connects the audit receivers)
