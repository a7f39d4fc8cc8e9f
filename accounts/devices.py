"""A browser's user-agent string in words: "Chrome su Android", "Safari su iPhone".

Hand-written on purpose: the sessions page needs only the browser family and the
system, and a short ordered list of markers covers the browsers people use.
"""

from django.utils.translation import gettext as _

# Order matters: Edge and Opera also say "Chrome", Chrome also says "Safari".
_BROWSERS = [
    ("Edg", "Edge"),
    ("OPR/", "Opera"),
    ("Opera", "Opera"),
    ("SamsungBrowser", "Samsung Internet"),
    ("YaBrowser", "Yandex"),
    ("Vivaldi", "Vivaldi"),
    ("Firefox/", "Firefox"),
    ("FxiOS", "Firefox"),
    ("CriOS", "Chrome"),
    ("Chromium", "Chromium"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
]
_SYSTEMS = [
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("CrOS", "ChromeOS"),
    ("Windows", "Windows"),
    ("Macintosh", "Mac"),
    ("Mac OS X", "Mac"),
    ("Ubuntu", "Ubuntu"),
    ("Linux", "Linux"),
]


def device_name(user_agent: str | None) -> str:
    """The browser and the system, in words; "Browser sconosciuto" when neither is recognised."""
    text = user_agent or ""
    browser = next((name for marker, name in _BROWSERS if marker in text), None)
    system = next((name for marker, name in _SYSTEMS if marker in text), None)
    if browser and system:
        return _("%(browser)s su %(system)s") % {"browser": browser, "system": system}
    if browser:
        return browser
    if system:
        return _("Un browser su %(system)s") % {"system": system}
    return _("Browser sconosciuto")
