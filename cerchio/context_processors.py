from django.conf import settings
from django.urls import translate_url


def site(request):
    """Demo flag, and links to this same page in each language."""
    path = request.get_full_path()
    return {
        "demo_mode": settings.CERCHIO_DEMO,
        "language_links": [(code, name, translate_url(path, code)) for code, name in settings.LANGUAGES],
    }
