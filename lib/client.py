"""The address of the person's device, as far as Cerchio can trust it.

Only the proxies the operator declares (CERCHIO_TRUSTED_PROXIES) may name the client: with N
of them, the client is the N-th address from the right of X-Forwarded-For, the one the
outermost trusted proxy saw. Anything further left was written by the client and is ignored.
With no trusted proxy the header is ignored altogether and REMOTE_ADDR is the client.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _clean(value: str) -> str | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.7:51234"
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    # Never empty: the address keys the limits and is stored on sessions.
    remote = _clean(request.META.get("REMOTE_ADDR", "")) or "0.0.0.0"  # noqa: S104
    proxies = settings.CERCHIO_TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < proxies:
        # The request did not come through every proxy we were told about: count it against the proxy,
        # which only ever makes limits stricter.
        return remote
    return _clean(hops[-proxies]) or remote
