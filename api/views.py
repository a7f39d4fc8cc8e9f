from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from api.openapi import openapi_document
from api.serializers import group_detail_json, search_page_json, theme_json
from directory.search import GroupSearchForm, search_groups
from network.models import Group, Theme


def _error(status: int, code: str, message: str, errors: dict | None = None) -> JsonResponse:
    body = {"error": code, "detail": message}
    if errors:
        body["errors"] = errors
    return JsonResponse(body, status=status)


ALLOWED_METHODS = ("GET", "HEAD")


def api_view(view: Callable) -> Callable:
    """A read-only API endpoint: GET and HEAD, and a JSON 405 for every other method.

    Exempt from CSRF: the API never changes state and reads no session, so there is
    nothing to forge, and a client's POST gets the API's 405 instead of Django's HTML 403.
    """

    @csrf_exempt
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> JsonResponse:
        if request.method not in ALLOWED_METHODS:
            response = _error(405, "method_not_allowed", _("Questo indirizzo accetta solo richieste GET e HEAD."))
            response["Allow"] = ", ".join(ALLOWED_METHODS)
            return response
        return view(request, *args, **kwargs)

    return wrapper


@api_view
def themes(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"results": [theme_json(theme) for theme in Theme.objects.all()]})


@api_view
def groups(request: HttpRequest) -> JsonResponse:
    form = GroupSearchForm(request.GET)
    if not form.is_valid():
        errors = {name: [str(message) for message in messages] for name, messages in form.errors.items()}
        return _error(400, "invalid_parameters", _("Alcuni parametri non sono validi."), errors)
    return JsonResponse(search_page_json(search_groups(form.cleaned_data), request))


@api_view
def group_detail(request: HttpRequest, slug: str) -> JsonResponse:
    if not slug.isascii() or not slug.isprintable() or len(slug) > 120:
        # PostgreSQL refuses NUL bytes in text: such a slug names no group, it is not an error.
        return _error(404, "not_found", _("Nessun gruppo con questo identificativo."))
    group = (
        Group.objects.public()
        .select_related("venue", "association")
        .prefetch_related("themes", "schedules")
        .filter(slug=slug)
        .first()
    )
    if group is None:
        return _error(404, "not_found", _("Nessun gruppo con questo identificativo."))
    return JsonResponse(group_detail_json(group, request))


@api_view
def openapi(request: HttpRequest) -> JsonResponse:
    return JsonResponse(openapi_document(request.build_absolute_uri("/api/v1")))
