"""The association's queue in the workspace: who sees what, audited looks, actions, introductions."""

from datetime import date, time

import pytest
from django.urls import reverse

from intake import services
from intake.consent import CURRENT_CONSENT_VERSION
from intake.models import IntakeRequest, Outcome, RequestState
from network import services as network_services
from notifications.models import OutboxMessage
from privacy.models import AuditEvent

QUEUE = "/it/workspace/intake/"


def _detail(request) -> str:
    return reverse("workspace:intake_request", kwargs={"pk": request.pk})


def _with_meetings(group):
    network_services.schedule_create(
        group=group, rrule="FREQ=WEEKLY;BYDAY=TU", start_time=time(20, 30), starts_on=date(2026, 1, 1), by=None
    )


@pytest.fixture
def request_y(association_y):
    request, _created = services.request_submit(
        association=association_y, first_name="Ygor", phone="0461 999999", consent_version=CURRENT_CONSENT_VERSION
    )
    return request


def test_the_queue_lists_references_never_names_or_contacts(client, intake_operator, submit, theme):
    request = submit(theme=theme, first_name="Lucia", email="lucia@example.org")
    client.force_login(intake_operator)
    page = client.get(QUEUE).content.decode()
    assert request.reference in page and "Lutto" in page
    assert "Lucia" not in page and "lucia@example.org" not in page
    assert not AuditEvent.objects.filter(action="viewed", object_type="intake.intakerequest").exists()


def test_viewing_contact_details_is_audited(client, intake_operator, submit):
    request = submit(first_name="Lucia", email="lucia@example.org")
    client.force_login(intake_operator)
    page = client.get(_detail(request)).content.decode()
    assert "Lucia" in page and "lucia@example.org" in page
    event = AuditEvent.objects.get(action="viewed", object_type="intake.intakerequest")
    assert (event.actor, event.object_id, event.association_id) == (
        intake_operator,
        str(request.pk),
        request.association_id,
    )


def test_an_operator_of_x_never_sees_ys_requests_even_by_id(client, intake_operator, coordinator_y, request_y, submit):
    mine = submit()
    client.force_login(intake_operator)
    assert request_y.reference not in client.get(QUEUE).content.decode()
    assert client.get(_detail(request_y)).status_code == 404
    assert client.post(_detail(request_y), {"action": "contact"}).status_code == 404
    assert IntakeRequest.objects.get(pk=request_y.pk).state == RequestState.NEW
    refusals = AuditEvent.objects.filter(
        action="authorization_failed", object_type="intake.intakerequest", object_id=str(request_y.pk)
    )
    assert refusals.count() == 2 and {event.association_id for event in refusals} == {request_y.association_id}
    # And Y's coordinator does not see X's.
    client.force_login(coordinator_y)
    assert client.get(_detail(mine)).status_code == 404
    assert mine.reference not in client.get(QUEUE).content.decode()


@pytest.mark.parametrize("persona", ["facilitator_a", "referrer_x", "participant", "site_admin"])
def test_people_without_an_intake_role_never_see_the_queue(client, request, submit, persona):
    item = submit()
    client.force_login(request.getfixturevalue(persona))
    assert client.get(QUEUE).status_code == 403
    assert client.get(_detail(item)).status_code in (403, 404)


def test_an_operator_works_a_request_through_the_page(client, intake_operator, submit, group_a, facilitator_a):
    _with_meetings(group_a)
    item = submit(first_name="Lucia")
    client.force_login(intake_operator)
    assert client.post(_detail(item), {"action": "contact"}).status_code == 302
    assert client.post(_detail(item), {"action": "propose", "group": group_a.pk}).status_code == 302
    page = client.get(_detail(item)).content.decode()
    assert "Presenta al facilitatore" in page
    assert client.post(_detail(item), {"action": "introduce"}).status_code == 302
    assert client.post(_detail(item), {"action": "close", "outcome": Outcome.JOINED}).status_code == 302
    item.refresh_from_db()
    assert (item.state, item.outcome, item.assigned_to) == (RequestState.CLOSED, Outcome.JOINED, intake_operator)


def test_an_invalid_move_is_refused_on_the_page_with_the_reason(client, intake_operator, submit):
    item = submit()
    client.force_login(intake_operator)
    response = client.post(_detail(item), {"action": "close", "outcome": Outcome.JOINED})
    assert response.status_code == 400
    assert "non può chiudersi" in response.content.decode()
    response = client.post(_detail(item), {"action": "nonsense"})
    assert response.status_code == 400


def test_assignment_my_requests_and_filters(client, intake_operator, coordinator_x, submit, theme):
    first = submit(theme=theme, town="Rovereto", email="a@example.org")
    second = submit(town="Trento", email="b@example.org")
    client.force_login(intake_operator)
    client.post(_detail(first), {"action": "take"})
    mine = client.get(QUEUE + "?view=mine").content.decode()
    assert first.reference in mine and second.reference not in mine
    client.post(_detail(second), {"action": "assign", "operator": coordinator_x.pk})
    assert IntakeRequest.objects.get(pk=second.pk).assigned_to == coordinator_x
    by_theme = client.get(QUEUE + "?theme=lutto").content.decode()
    assert first.reference in by_theme and second.reference not in by_theme
    unknown = client.get(QUEUE + "?theme=none").content.decode()
    assert second.reference in unknown and first.reference not in unknown
    by_town = client.get(QUEUE + "?town=trent").content.decode()
    assert second.reference in by_town and first.reference not in by_town
    by_reference = client.get(QUEUE + f"?q={first.reference.lower()}").content.decode()
    assert first.reference in by_reference and second.reference not in by_reference
    services.request_contact(request=first, by=None)
    contacted = client.get(QUEUE + "?state=contacted").content.decode()
    assert first.reference in contacted and second.reference not in contacted


def test_an_operator_cannot_assign_to_someone_outside_the_association(client, intake_operator, coordinator_y, submit):
    item = submit()
    client.force_login(intake_operator)
    client.post(_detail(item), {"action": "assign", "operator": coordinator_y.pk})
    assert IntakeRequest.objects.get(pk=item.pk).assigned_to is None


def test_overdue_requests_are_flagged(client, intake_operator, submit):
    from datetime import timedelta

    from django.utils import timezone

    late = submit(now=timezone.now() - timedelta(days=10), email="late@example.org")
    fresh = submit(email="fresh@example.org")
    client.force_login(intake_operator)
    page = client.get(QUEUE + "?overdue=on").content.decode()
    assert late.reference in page and fresh.reference not in page
    assert "in ritardo" in page


def test_a_failed_email_is_shown_and_can_be_retried(client, intake_operator, coordinator_y, submit):
    item = submit()
    message = OutboxMessage.objects.get(kind=services.KIND_CONFIRMATION)
    OutboxMessage.objects.filter(pk=message.pk).update(status="failed", last_error="SMTPRecipientsRefused")
    client.force_login(intake_operator)
    assert "E-mail non consegnate" in client.get(QUEUE).content.decode()
    assert "non è stata consegnata" in client.get(_detail(item)).content.decode()
    client.force_login(coordinator_y)
    retry = reverse("workspace:intake_message_retry", kwargs={"pk": message.pk})
    assert client.post(retry).status_code == 404
    client.force_login(intake_operator)
    assert client.post(retry, {"next": "request"}).status_code == 302
    assert OutboxMessage.objects.get(pk=message.pk).status == "pending"


def test_a_facilitator_sees_only_introductions_to_their_own_groups(
    client, submit, group_a, group_b, facilitator_a, facilitator_b
):
    _with_meetings(group_a)
    _with_meetings(group_b)
    lucia = submit(first_name="Lucia", phone="333 111 1111", email="")
    marco = submit(first_name="Marco", phone="333 222 2222", email="")
    for item, group in ((lucia, group_a), (marco, group_b)):
        services.request_contact(request=item, by=None)
        services.request_propose(request=item, group=group, by=None)
        services.request_introduce(request=item, by=None)
    meeting_a = lucia.introductions.get().meeting
    client.force_login(facilitator_a)
    home = client.get("/it/workspace/").content.decode()
    assert "Lucia" in home and "prima volta" in home
    assert "Marco" not in home and "333" not in home
    meeting_page = client.get(reverse("workspace:meeting", kwargs={"pk": meeting_a.pk})).content.decode()
    assert "Lucia" in meeting_page and "Marco" not in meeting_page
    assert (
        client.get(reverse("workspace:meeting", kwargs={"pk": marco.introductions.get().meeting.pk})).status_code == 404
    )
    assert client.get(_detail(lucia)).status_code == 403


def test_a_referrer_files_a_request_and_sees_only_their_own(client, referrer_x, association_x, submit):
    other = submit(email="altra@example.org")
    client.force_login(referrer_x)
    form = client.get("/it/workspace/intake/refer/")
    token = form.context["form"]["token"].value()
    data = {
        "first_name": "Mario",
        "phone": "0461 123456",
        "relationship": "affected",
        "consent": "on",
        "token": token,
        "association": association_x.pk,
    }
    refused = client.post("/it/workspace/intake/refer/", data)
    assert refused.status_code == 400 and "accordo della persona" in refused.content.decode()
    done = client.post("/it/workspace/intake/refer/", {**data, "person_agreed": "on"})
    assert done.status_code == 302
    filed = IntakeRequest.objects.get(referred_by=referrer_x)
    assert filed.source == "referrer" and filed.person_agreed_at is not None
    listing = client.get("/it/workspace/intake/referred/").content.decode()
    assert filed.reference in listing and other.reference not in listing
    assert "0461" not in listing
    assert client.get(_detail(filed)).status_code == 403


def test_a_coordinator_sets_the_response_time_and_new_requests_follow_it(client, coordinator_x, association_x, submit):
    from django.utils import timezone

    url = "/it/workspace/intake/settings/"
    client.force_login(coordinator_x)
    assert client.get(url).status_code == 200
    bad = client.post(url, {"response_working_days": "0", "demand_threshold": "6", "demand_radius_km": "30"})
    assert bad.status_code == 400
    data = {
        "response_working_days": "5",
        "demand_threshold": "8",
        "demand_radius_km": "20",
        "demand_window_months": "6",
    }
    assert client.post(url, data).status_code == 302
    settings = services.settings_for(association_x)
    assert (settings.response_working_days, settings.demand_threshold, settings.demand_radius_km) == (5, 8, 20)
    request = submit()
    assert (request.deadline_at - request.created_at).days >= 5
    assert timezone.localtime(request.deadline_at).weekday() < 5


def test_an_intake_operator_cannot_change_the_settings(client, intake_operator):
    client.force_login(intake_operator)
    assert client.get("/it/workspace/intake/settings/").status_code == 403
