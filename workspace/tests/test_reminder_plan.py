"""A group chooses when its followers are reminded (issue 8): who may, what the page shows, what the worker does."""

import re
from datetime import date, time

import pytest
from django.urls import reverse

from following.models import ReminderPlan, ReminderRun
from following.reminders import queue_reminders
from following.tests.conftest import add_follower
from network.models import Activity
from notifications.models import OutboxMessage
from workspace.tests.conftest import on

pytestmark = pytest.mark.django_db


def url(group, language: str = "it") -> str:
    return f"/{language}/workspace/groups/{group.slug}/reminders/"


def test_the_url_follows_the_workspace_style(group_a):
    assert reverse("workspace:group_reminders", args=[group_a.slug]) == "/it/workspace/groups/gruppo-a/reminders/"


def test_the_group_page_links_to_the_reminders_with_what_is_set_now(fac_client, group_a, meetings_a):
    page = fac_client.get(f"/it/workspace/groups/{group_a.slug}/").content.decode()
    assert f'href="{url(group_a)}"' in page
    assert "Promemoria per chi segue il gruppo" in page and "Il giorno prima alle 18:00" in page
    ReminderPlan.objects.create(group=group_a, day_before_at=time(19, 15), hours_before=2)
    page = fac_client.get(f"/it/workspace/groups/{group_a.slug}/").content.decode()
    assert "Il giorno prima alle 19:15 e 2 ore prima" in page


def test_the_page_shows_the_default_the_followers_and_what_a_follower_receives(fac_client, group_a, meetings_a):
    page = fac_client.get(url(group_a)).content.decode()
    assert 'name="day_before_at" value="18:00"' in page
    assert '<option value="" selected>No</option>' in page
    # Monday 26 July 2027, 09:00: the next meeting is on Tuesday 27 at 20:30.
    assert (
        "Chi segue il gruppo riceve un promemoria lunedì 26 alle 18:00 per l&#x27;incontro di martedì 27 alle 20:30."
        in page
    )
    assert "non nominano mai il gruppo né il suo tema" in page
    assert "<dd>0</dd>" in page


@pytest.mark.parametrize(("followers", "shown"), [(1, "meno di 3"), (2, "meno di 3"), (3, "3"), (5, "5")])
def test_a_small_number_of_followers_is_not_shown(fac_client, group_a, meetings_a, followers, shown):
    for number in range(followers):
        add_follower(group_a, f"segue{number}@example.org")
    page = fac_client.get(url(group_a)).content.decode()
    assert f"<dd>{shown}</dd>" in page


def test_the_facilitator_chooses_also_two_hours_before_and_the_worker_reminds_then(fac_client, group_a, meetings_a):
    add_follower(group_a, "segue@example.org")
    response = fac_client.post(url(group_a), {"day_before_at": "18:00", "hours_before": "2"})
    assert response.status_code == 302 and response["Location"] == f"/it/workspace/groups/{group_a.slug}/"
    plan = ReminderPlan.objects.get(group=group_a)
    assert (plan.day_before_at, plan.hours_before) == (time(18, 0), 2)
    assert Activity.objects.filter(action="reminders.plan", group=group_a).exists()
    page = fac_client.get(response["Location"]).content.decode()
    assert "Promemoria salvati. Il giorno prima alle 18:00 e 2 ore prima." in page
    page = fac_client.get(url(group_a)).content.decode()
    assert "un promemoria lunedì 26 alle 18:00 e un altro martedì 27 alle 18:30" in page
    assert '<option value="2" selected>2 ore prima</option>' in page
    # The worker: the evening before, then two hours before the meeting on Tuesday 27 July at 20:30.
    tuesday = date(2027, 7, 27)
    assert queue_reminders(now=on(date(2027, 7, 26), 18, 1)) == 1
    assert queue_reminders(now=on(tuesday, 18, 29)) == 0
    assert queue_reminders(now=on(tuesday, 18, 30)) == 1
    assert sorted(ReminderRun.objects.values_list("slot", flat=True)) == ["d1", "h2"]
    assert OutboxMessage.objects.filter(kind="reminder").count() == 2


def test_only_some_hours_before_leaves_out_the_evening_before(fac_client, group_a, meetings_a):
    add_follower(group_a, "segue@example.org")
    assert fac_client.post(url(group_a), {"day_before_at": "", "hours_before": "3"}).status_code == 302
    assert queue_reminders(now=on(date(2027, 7, 26), 18, 1)) == 0
    assert queue_reminders(now=on(date(2027, 7, 27), 17, 30)) == 1
    page = fac_client.get(url(group_a)).content.decode()
    (field,) = re.findall(r'<input[^>]*name="day_before_at"[^>]*>', page)
    assert "value=" not in field
    assert "riceve un promemoria martedì 27 alle 17:30 per l&#x27;incontro di martedì 27 alle 20:30" in page


def test_a_coordinator_of_the_association_sets_the_times(client, coordinator_x, group_a, meetings_a):
    client.force_login(coordinator_x)
    assert client.get(url(group_a)).status_code == 200
    assert client.post(url(group_a), {"day_before_at": "17:00", "hours_before": ""}).status_code == 302
    plan = ReminderPlan.objects.get(group=group_a)
    assert (plan.day_before_at, plan.hours_before) == (time(17, 0), None)
    assert Activity.objects.get(action="reminders.plan").actor == coordinator_x


def test_a_facilitator_of_another_group_finds_nothing(client, facilitator_b, group_a, meetings_a):
    client.force_login(facilitator_b)
    assert client.get(url(group_a)).status_code == 404
    assert client.post(url(group_a), {"day_before_at": "09:00", "hours_before": "1"}).status_code == 404
    assert not ReminderPlan.objects.filter(group=group_a).exists()


def test_the_intake_operator_only_looks_at_the_group(client, intake_operator, group_a, meetings_a):
    client.force_login(intake_operator)
    assert client.get(url(group_a)).status_code == 403
    page = client.get(f"/it/workspace/groups/{group_a.slug}/").content.decode()
    assert url(group_a) not in page


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({"day_before_at": "25:00", "hours_before": ""}, "Scrivi l&#x27;ora così: 18:00."),
        ({"day_before_at": "alle sei", "hours_before": "2"}, "Scrivi l&#x27;ora così: 18:00."),
        ({"day_before_at": "18:00", "hours_before": "0"}, "Le ore prima dell&#x27;incontro vanno da 1 a 24."),
        ({"day_before_at": "18:00", "hours_before": "30"}, "Le ore prima dell&#x27;incontro vanno da 1 a 24."),
        ({"day_before_at": "", "hours_before": "due"}, "Le ore prima dell&#x27;incontro vanno da 1 a 24."),
        (
            {"day_before_at": "", "hours_before": ""},
            "Scegli almeno un promemoria: il giorno prima o qualche ora prima.",
        ),
    ],
    ids=["25 o'clock", "words for a time", "0 hours", "30 hours", "words for hours", "nothing chosen"],
)
def test_bad_choices_are_refused_with_a_reason_and_what_was_typed_is_kept(
    fac_client, group_a, meetings_a, data, reason
):
    ReminderPlan.objects.create(group=group_a, day_before_at=time(19, 0), hours_before=None)
    response = fac_client.post(url(group_a), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert reason in page
    if data["day_before_at"]:
        assert f'value="{data["day_before_at"]}"' in page
    plan = ReminderPlan.objects.get(group=group_a)
    assert (plan.day_before_at, plan.hours_before) == (time(19, 0), None)
    assert not Activity.objects.filter(action="reminders.plan").exists()


def test_a_stored_value_outside_the_usual_choices_is_kept(fac_client, group_a, meetings_a):
    ReminderPlan.objects.create(group=group_a, day_before_at=None, hours_before=5)
    page = fac_client.get(url(group_a)).content.decode()
    assert '<option value="5" selected>5 ore prima</option>' in page
    assert fac_client.post(url(group_a), {"day_before_at": "", "hours_before": "5"}).status_code == 302


def test_the_history_says_who_chose_the_times(fac_client, group_a, meetings_a):
    fac_client.post(url(group_a), {"day_before_at": "18:00", "hours_before": "1"})
    page = fac_client.get(f"/it/workspace/groups/{group_a.slug}/history/").content.decode()
    assert "ha scelto quando arrivano i promemoria a chi segue il gruppo" in page
    assert "Il giorno prima alle 18:00 e 1 ora prima" in page


def test_the_page_in_english(fac_client, group_a, meetings_a):
    ReminderPlan.objects.create(group=group_a, day_before_at=time(18, 0), hours_before=2)
    page = fac_client.get(url(group_a, "en")).content.decode()
    assert '<html lang="en">' in page
    assert "Reminders for the group's followers" in page
    assert "The day before at 18:00 and 2 hours before" in page
    assert "Followers receive a reminder on Monday 26 at 18:00 and another on Tuesday 27 at 18:30" in page
    assert "for the meeting on Tuesday 27 at 20:30." in page
    response = fac_client.post(url(group_a, "en"), {"day_before_at": "", "hours_before": ""})
    assert "Choose at least one reminder" in response.content.decode()
