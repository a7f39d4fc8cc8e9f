"""Starting a group on request from the board, and telling the people who waited when it has a date."""

from datetime import time, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from intake import demand
from intake.models import DemandRecord, Outcome, RequestState
from intake.tests.demand_factories import LAVIS, TRENTO, make_demand, make_waiting
from network import services
from network.models import Activity, Audience, Group, GroupStatus, StartMode
from network.services import Refused
from network.tests.factories import ThemeFactory
from notifications.delivery import deliver_due
from notifications.models import OutboxMessage, OutboxStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def lutto():
    return ThemeFactory(slug="lutto", name_it="Lutto", name_en="Grief")


def _start(association, theme, records, by=None, name="Lutto – Trento"):
    return demand.demand_start_group(association=association, theme=theme, records=records, name=name, by=by)


def _first_meeting(group, days: int = 10):
    starts = timezone.localdate() + timedelta(days=days)
    rule = "FREQ=WEEKLY;BYDAY=" + ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][starts.weekday()]
    services.schedule_create(group=group, rrule=rule, start_time=time(20, 30), starts_on=starts, by=None)


def test_starting_a_group_creates_a_planned_group_on_request_and_links_the_demand(association_x, lutto, coordinator_x):
    records = [make_waiting(association_x, lutto, at=TRENTO) for _ in range(4)]
    records += [make_waiting(association_x, lutto, at=LAVIS, area="Lavis", audience="family") for _ in range(2)]
    group = _start(association_x, lutto, records, by=coordinator_x)
    assert group.status == GroupStatus.PLANNED and group.start_mode == StartMode.ON_REQUEST
    assert list(group.themes.all()) == [lutto] and group.association == association_x
    assert group.audience == Audience.BOTH
    assert set(DemandRecord.objects.filter(group=group).values_list("pk", flat=True)) == {r.pk for r in records}
    assert not Group.objects.public().filter(pk=group.pk).exists()
    logged = Activity.objects.get(action="demand.start_group", group=group)
    assert logged.actor == coordinator_x and logged.payload["records"] == 6
    assert Activity.objects.filter(action="group.create", group=group).exists()
    # The demand is answered: it leaves the board.
    assert not demand.waiting_demand(association_x).exists()


def test_starting_a_group_refuses_demand_of_another_association_or_already_answered(
    association_x, association_y, lutto
):
    mine = make_waiting(association_x, lutto)
    theirs = make_waiting(association_y, lutto)
    with pytest.raises(Refused):
        _start(association_x, lutto, [mine, theirs])
    with pytest.raises(Refused):
        _start(association_x, ThemeFactory(slug="altro"), [mine])
    _start(association_x, lutto, [mine])
    with pytest.raises(Refused, match="già un gruppo"):
        _start(association_x, lutto, [mine], name="Un altro")
    with pytest.raises(Refused):
        _start(association_x, lutto, [make_waiting(association_x, lutto)], name="   ")
    assert Group.objects.filter(start_mode=StartMode.ON_REQUEST).count() == 1


def test_the_coordinator_starts_the_group_from_the_board(client, coordinator_x, association_x, lutto):
    records = [make_waiting(association_x, lutto) for _ in range(6)]
    client.force_login(coordinator_x)
    board = client.get(reverse("workspace:demand")).content.decode()
    url = next(
        reverse("workspace:demand_start", kwargs={"pk": r.pk})
        for r in records
        if reverse("workspace:demand_start", kwargs={"pk": r.pk}) in board
    )
    page = client.get(url)
    assert page.status_code == 200 and "Lutto – Trento" in page.content.decode()
    assert client.post(url, {"name": ""}).status_code == 400
    response = client.post(url, {"name": "Lutto a Trento", "description": ""})
    group = Group.objects.get(name="Lutto a Trento")
    assert response.status_code == 302
    # On to the new group's founding path, which counts the six people who asked.
    assert response["Location"] == reverse("workspace:founding_path", kwargs={"slug": group.slug})
    assert group.founding_path.requesters_count == 6
    assert DemandRecord.objects.filter(group=group).count() == 6
    # The same link again leads to the group, never to a second one.
    again = client.post(url, {"name": "Lutto a Trento"})
    assert again.status_code == 302 and Group.objects.filter(start_mode=StartMode.ON_REQUEST).count() == 1


# --- Telling the people who wait ------------------------------------------------


def test_each_person_waiting_gets_exactly_one_message_once_the_first_meeting_is_set(association_x, lutto):
    anna = make_waiting(association_x, lutto, email="anna@example.org")
    john = make_waiting(association_x, lutto, email="john@example.org", language="en")
    phone_only = make_waiting(association_x, lutto)
    anonymous = make_demand(association_x, lutto, request=None)
    group = _start(association_x, lutto, [anna, john, phone_only, anonymous])
    assert demand.demand_news_enqueue() == 0  # no date yet: nothing to tell
    _first_meeting(group)
    assert demand.demand_news_enqueue() == 2
    assert demand.demand_news_enqueue() == 0
    assert OutboxMessage.objects.filter(kind=demand.NEWS_KIND).count() == 2
    deliver_due(worker_id="test")
    assert sorted(message.to[0] for message in mail.outbox) == ["anna@example.org", "john@example.org"]
    italian = next(message for message in mail.outbox if message.to == ["anna@example.org"])
    english = next(message for message in mail.outbox if message.to == ["john@example.org"])
    assert italian.subject == "Cerchio: c'è una novità sulla tua richiesta"
    assert english.subject != italian.subject and "Cerchio" in english.subject
    for message in mail.outbox:
        assert "Lutto" not in message.subject and "Grief" not in message.subject and group.name not in message.subject
    assert anna.request.reference in italian.body and "20:30" in italian.body
    # A planned group has no public page yet: no link to it.
    assert f"/groups/{group.slug}/" not in italian.body
    # Running the job again after sending sends nothing more.
    assert demand.demand_news_enqueue() == 0
    deliver_due(worker_id="test")
    assert len(mail.outbox) == 2


def test_the_message_links_the_public_page_once_the_group_is_promoted(association_x, lutto):
    anna = make_waiting(association_x, lutto, email="anna@example.org")
    group = _start(association_x, lutto, [anna])
    _first_meeting(group)
    services.group_set_status(group=group, status=GroupStatus.PROMOTING, by=None)
    demand.demand_news_enqueue()
    deliver_due(worker_id="test")
    assert f"/it/groups/{group.slug}/" in mail.outbox[0].body


def test_no_message_for_a_withdrawn_request_and_none_sent_if_withdrawn_before_sending(association_x, lutto):
    withdrawn = make_waiting(association_x, lutto, email="via@example.org")
    later = make_waiting(association_x, lutto, email="dopo@example.org")
    group = _start(association_x, lutto, [withdrawn, later])
    request = withdrawn.request
    request.state, request.outcome, request.closed_at = RequestState.CLOSED, Outcome.WITHDRAWN, timezone.now()
    request.save()
    _first_meeting(group)
    assert demand.demand_news_enqueue() == 1
    # The other person withdraws after the message was queued: the re-check stops it.
    request = later.request
    request.state, request.outcome, request.closed_at = RequestState.CLOSED, Outcome.WITHDRAWN, timezone.now()
    request.redacted_at = timezone.now()
    request.save()
    deliver_due(worker_id="test")
    assert mail.outbox == []
    assert OutboxMessage.objects.get(kind=demand.NEWS_KIND).status == OutboxStatus.CANCELLED


def test_no_message_when_the_only_meeting_is_cancelled(association_x, lutto):
    anna = make_waiting(association_x, lutto, email="anna@example.org")
    group = _start(association_x, lutto, [anna])
    _first_meeting(group)
    for meeting in group.meetings.all():
        services.meeting_cancel(meeting=meeting, by=None)
    assert demand.demand_news_enqueue() == 0


def test_the_periodic_job_is_registered_and_its_task_enqueues(association_x, lutto):
    from notifications.periodic import PERIODIC

    assert PERIODIC["demand_group_news"].task is demand.demand_news_task
    anna = make_waiting(association_x, lutto, email="anna@example.org")
    group = _start(association_x, lutto, [anna])
    _first_meeting(group)
    assert demand.demand_news_task.call() == 1
    assert OutboxMessage.objects.filter(kind=demand.NEWS_KIND).count() == 1
