from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FoundingConfig(AppConfig):
    name = "founding"
    verbose_name = _("Avvio dei gruppi: le cinque vie, gli accordi e il seguito")
