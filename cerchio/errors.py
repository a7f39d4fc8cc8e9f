"""Error pages in the visitor's language that reveal nothing about the server.

Requests to the API get a JSON body instead of a page.
"""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.csrf import csrf_failure as django_csrf_failure

from privacy.audit import audit_refused_page


def _error(request, status: int, code: str, title: str, message: str):
    if request.path.startswith("/api/"):
        # The same shape as the API's own errors: a stable code and a message to show.
        return JsonResponse({"error": code, "detail": message}, status=status)
    return render(request, "error.html", {"status": status, "title": title, "message": message}, status=status)


def bad_request(request, exception=None):
    return _error(request, 400, "bad_request", _("Richiesta non valida"), _("Controlla l'indirizzo o i dati inviati."))


def permission_denied(request, exception=None):
    # Logged once, with the page's URL name and arguments (workspace views log their own refusals).
    audit_refused_page(request)
    return _error(
        request, 403, "forbidden", _("Accesso non consentito"), _("Non hai i permessi per vedere questa pagina.")
    )


def page_not_found(request, exception=None):
    return _error(
        request,
        404,
        "not_found",
        _("Pagina non trovata"),
        _("La pagina che cerchi non esiste o il gruppo non è più elencato."),
    )


def server_error(request):
    return _error(
        request,
        500,
        "server_error",
        _("Qualcosa non ha funzionato"),
        _("È un problema nostro. Riprova tra qualche minuto."),
    )


def csrf_failure(request, reason=""):
    # The API's views are exempt; this keeps any future /api/ address speaking JSON too.
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"error": "forbidden", "detail": _("Richiesta rifiutata: manca il token di sicurezza (CSRF).")},
            status=403,
        )
    return django_csrf_failure(request, reason=reason)
