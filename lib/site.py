"""Absolute addresses of Cerchio's own pages, for links that leave the browser (e-mails)."""

from urllib.parse import urlsplit

from django.conf import settings


def absolute_url(path: str) -> str:
    """`/it/groups/` → `https://gruppi.example.org/it/groups/`, from CERCHIO_SITE_URL."""
    if not path.startswith("/") or path.startswith("//"):
        raise ValueError("absolute_url takes a path that starts with a single '/'")
    return settings.CERCHIO_SITE_URL + path


def site_host() -> str:
    """The host name in CERCHIO_SITE_URL, e.g. `gruppi.example.org`."""
    return urlsplit(settings.CERCHIO_SITE_URL).hostname or "localhost"
