"""The consent a newcomer gives, versioned: the version and the time are stored with the request.

A new wording gets a new version; the old ones stay here so every stored version can be shown.
"""

from django.utils.translation import gettext_lazy as _

CONSENT_TEXTS = {
    "2026-11": _(
        "Acconsento che l'associazione tratti i dati di questa richiesta, compreso il tema per cui chiedo "
        "aiuto (un dato relativo alla salute, art. 9 del GDPR), per ricontattarmi e presentarmi a un gruppo. "
        "Posso ritirare la richiesta in ogni momento con il link che ricevo: i miei dati vengono cancellati subito."
    ),
}
CURRENT_CONSENT_VERSION = "2026-11"


def consent_text(version: str = CURRENT_CONSENT_VERSION) -> str:
    return str(CONSENT_TEXTS[version])
