"""The signed link a newcomer receives to see, export or withdraw their request, without an account.

The token names the request and its reference and is derived from the site's secret
key; it is stored nowhere (not even in the outbox: the e-mail builds it when sent).
"""

from django.conf import settings
from django.core import signing

from intake.models import IntakeRequest

SALT = "cerchio.intake.request"


def request_token(request: IntakeRequest) -> str:
    return signing.dumps({"r": request.pk, "ref": request.reference}, salt=SALT, compress=True)


def request_from_token(token: str) -> tuple[IntakeRequest | None, str]:
    """(request, "ok"), or (None, "invalid" | "expired"); a withdrawn request is returned as found."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=settings.CERCHIO_INTAKE_LINK_DAYS * 24 * 3600)
    except signing.SignatureExpired:
        return None, "expired"
    except signing.BadSignature:
        return None, "invalid"
    if not isinstance(payload, dict) or not isinstance(payload.get("r"), int):
        return None, "invalid"
    request = (
        IntakeRequest.objects.select_related("association", "theme")
        .filter(pk=payload["r"], reference=payload.get("ref"))
        .first()
    )
    return (request, "ok") if request is not None else (None, "gone")
