"""What the server logs: short, useful lines."""

import io
import logging

import pytest

from lib.log import OneLine


@pytest.fixture
def security_log():
    """The text the configured DisallowedHost handler writes, as configured in settings.LOGGING."""
    logger = logging.getLogger("django.security.DisallowedHost")
    # pytest adds its own capturing handlers next to the configured one.
    (handler,) = [h for h in logger.handlers if any(isinstance(f, OneLine) for f in h.filters)]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        yield stream
    finally:
        handler.setStream(previous)


@pytest.mark.django_db
def test_a_disallowed_host_gets_400_and_one_short_log_line(client, security_log):
    response = client.get("/it/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    lines = security_log.getvalue().splitlines()
    assert len(lines) == 1
    (line,) = lines
    assert line.startswith("ERROR django.security.DisallowedHost Invalid HTTP_HOST header: 'evil.example'")
    assert "Traceback" not in line and len(line) < 300


@pytest.mark.django_db
def test_a_host_header_with_line_breaks_or_great_length_stays_on_one_line(client, security_log):
    client.get("/it/", HTTP_HOST="evil.example\nFAKE ENTRY" + "x" * 5000)
    (line,) = security_log.getvalue().splitlines()
    assert len(line) <= 360


@pytest.mark.django_db
def test_every_handler_gets_the_disallowed_host_record_without_traceback(client, caplog, security_log):
    with caplog.at_level(logging.WARNING):
        client.get("/it/", HTTP_HOST="evil.example")
    (record,) = [r for r in caplog.records if r.name == "django.security.DisallowedHost"]
    assert record.exc_info is None and "\n" not in record.getMessage()
