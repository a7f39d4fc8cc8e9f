"""Error pages speak the visitor's language and reveal nothing about the server."""

import pytest
from django.test import RequestFactory
from django.utils import translation

from cerchio import errors


@pytest.mark.parametrize(
    ("handler", "status"),
    [
        (errors.bad_request, 400),
        (errors.permission_denied, 403),
        (errors.page_not_found, 404),
        (errors.server_error, 500),
    ],
)
@pytest.mark.parametrize(("language", "home_link"), [("it", "Torna alla ricerca dei gruppi"), ("en", "Back to")])
def test_error_pages_in_both_languages(db, handler, status, language, home_link):
    request = RequestFactory().get(f"/{language}/somewhere/")
    request.user = __import__("django.contrib.auth.models", fromlist=["AnonymousUser"]).AnonymousUser()
    with translation.override(language):
        response = handler(request) if handler is errors.server_error else handler(request, Exception("secret detail"))
    body = response.content.decode()
    assert response.status_code == status
    assert f'<html lang="{language}">' in body
    assert home_link in body
    assert "secret detail" not in body and "Traceback" not in body


def test_api_errors_are_json(db):
    request = RequestFactory().get("/api/v1/nothing")
    response = errors.page_not_found(request, Exception("x"))
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
