"""People with no account (known by e-mail only) can export and erase their data by a signed link."""

import json
import re
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from network import services
from network.models import Invitation
from notifications.delivery import deliver_due
from notifications.models import OutboxMessage
from privacy.models import AuditAction, AuditEvent
from privacy.subjects import subject_index

pytestmark = pytest.mark.django_db
ADDRESS = "nuova.volontaria@example.org"


@pytest.fixture
def invited(association_x, coordinator_x):
    invitation, _token = services.invitation_send(
        association=association_x, role="intake", email=ADDRESS, by=coordinator_x
    )
    return invitation


def _link_from(mailoutbox) -> str:
    return re.search(r"http://\S+/by-email/\S+/", mailoutbox[-1].body).group(0).split("127.0.0.1:8000", 1)[-1]


def test_the_request_page_answers_the_same_whether_or_not_data_exists(client, invited):
    known = client.post("/it/accounts/my-data/by-email/", {"email": ADDRESS, "action": "export"})
    unknown = client.post("/it/accounts/my-data/by-email/", {"email": "nessuno@example.org", "action": "export"})
    assert known.status_code == unknown.status_code == 200
    strip = lambda response, email: response.content.decode().replace(email, "")  # noqa: E731
    assert strip(known, ADDRESS) == strip(unknown, "nessuno@example.org")
    assert OutboxMessage.objects.filter(kind="privacy_link").count() == 1


def test_a_person_without_an_account_exports_their_data_by_the_link(client, invited, mailoutbox):
    client.post("/it/accounts/my-data/by-email/", {"email": ADDRESS, "action": "export"})
    deliver_due(worker_id="test")
    link = _link_from(mailoutbox)
    assert "Cerchio:" in mailoutbox[-1].subject
    # Opening the link changes nothing: mail scanners open links.
    assert client.get(link).status_code == 200
    response = client.post(link)
    data = json.loads(response.content)
    assert data["data"]["network.invitation"][0]["role"] == "intake"
    assert AuditEvent.objects.filter(action=AuditAction.EXPORTED).exists()


def test_a_person_without_an_account_erases_their_data_by_the_link(client, invited, mailoutbox):
    client.post("/it/accounts/my-data/by-email/", {"email": ADDRESS, "action": "erase"})
    deliver_due(worker_id="test")
    link = _link_from(mailoutbox)
    client.get(link)
    assert Invitation.objects.filter(pk=invited.pk).exists()
    response = client.post(link)
    assert response.status_code == 200
    assert not Invitation.objects.filter(pk=invited.pk).exists()
    assert not OutboxMessage.objects.filter(recipient_index=subject_index(ADDRESS)).exists()


def test_an_export_link_cannot_erase_and_an_old_link_is_refused(client, invited, mailoutbox):
    client.post("/it/accounts/my-data/by-email/", {"email": ADDRESS, "action": "export"})
    deliver_due(worker_id="test")
    link = _link_from(mailoutbox)
    forged = link.replace("/export/", "/erase/")
    assert client.post(forged).status_code == 400
    assert Invitation.objects.filter(pk=invited.pk).exists()
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        assert client.post(link).status_code == 400
    assert client.get("/it/accounts/my-data/by-email/export/nonsense/").status_code == 400


def test_an_operator_exports_and_erases_on_request(invited, capsys):
    call_command("subject_data", ADDRESS, "--export")
    assert "network.invitation" in capsys.readouterr().out
    call_command("subject_data", ADDRESS, "--erase")
    assert not Invitation.objects.filter(pk=invited.pk).exists()


def test_the_link_is_made_at_sending_time_and_never_waits_in_the_outbox(client, invited):
    client.post("/it/accounts/my-data/by-email/", {"email": ADDRESS, "action": "erase"})
    message = OutboxMessage.objects.get(kind="privacy_link")
    assert set(message.context) == {"index", "action"}


def test_an_unused_invitation_is_deleted_a_month_after_it_expired(invited):
    from privacy.services import purge_expired

    purge_expired(now=invited.expires_at + timedelta(days=29))
    assert Invitation.objects.filter(pk=invited.pk).exists()
    purge_expired(now=invited.expires_at + timedelta(days=31))
    assert not Invitation.objects.filter(pk=invited.pk).exists()


def test_the_request_does_the_same_database_work_whether_or_not_data_exists(client, invited):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(email):
        with CaptureQueriesContext(connection) as captured:
            client.post("/it/accounts/my-data/by-email/", {"email": email, "action": "export"})
        return [query["sql"].split(" ", 1)[0] for query in captured.captured_queries]

    queries("scaldare@example.org")  # the first request warms caches (sessions, translations)
    known, unknown = queries(ADDRESS), queries("nessuno@example.org")
    # Keeping or undoing the message is the one difference: RELEASE against ROLLBACK of a savepoint.
    assert known == ["RELEASE" if q == "ROLLBACK" else q for q in unknown]
    assert "ROLLBACK" in unknown and "INSERT" in unknown
