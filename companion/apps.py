from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompanionConfig(AppConfig):
    name = "companion"
    verbose_name = _("Facilitare l'incontro")

    def ready(self) -> None:
        # The private self-reflection is the facilitator's data: export, erasure and retention know it.
        from companion import privacy  # noqa: F401
