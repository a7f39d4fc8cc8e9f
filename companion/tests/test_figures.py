"""Attendance figures month by month, the CSV export with small counts suppressed, and the flags."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.urls import reverse

from companion import selectors, services
from companion.tests.conftest import NOW, meeting_weekly, past_and_upcoming
from network.models import Group, GroupStatus, Pause
from network.services import meeting_cancel

pytestmark = pytest.mark.django_db


def close_all(meetings, counts, by, newcomers=None):
    for index, (meeting, participants) in enumerate(zip(meetings, counts, strict=False)):
        services.meeting_close(
            meeting=meeting,
            participants=participants,
            newcomers=(newcomers or [0] * len(counts))[index],
            agreements=[],
            by=by,
        )


def test_monthly_figures_count_meetings_held_average_and_newcomers(meetings_a, facilitator_a, group_a):
    past, _upcoming = meetings_a
    july = [m for m in past if m.starts_at.month == 7]  # 6, 13, 20 July
    assert len(july) == 3
    close_all(july[:2], [8, 10], facilitator_a, newcomers=[1, 2])
    [figures] = selectors.monthly_figures(Group.objects.filter(pk=group_a.pk), months=3, today=NOW.date())
    months = {month.month: month for month in figures.months}
    assert list(months) == [date(2027, 5, 1), date(2027, 6, 1), date(2027, 7, 1)]
    assert months[date(2027, 7, 1)].held == 3
    assert months[date(2027, 7, 1)].counted == 2
    assert months[date(2027, 7, 1)].average == 9.0
    assert months[date(2027, 7, 1)].newcomers == 3
    assert months[date(2027, 6, 1)].held == 5 and months[date(2027, 6, 1)].average is None


def test_a_cancelled_meeting_is_not_held(frozen_now, group_a, facilitator_a):
    import time_machine

    with time_machine.travel(NOW - timedelta(days=30), tick=False):
        meeting_weekly(group_a, since_days=0)
        upcoming = past_and_upcoming(group_a)[1]
        meeting_cancel(meeting=upcoming[1], by=facilitator_a)
    [figures] = selectors.monthly_figures(Group.objects.filter(pk=group_a.pk), months=2, today=NOW.date())
    assert sum(month.held for month in figures.months) == 4  # five Tuesdays since 26 June, one cancelled


def test_the_export_suppresses_counts_of_people_below_three(client, meetings_a, facilitator_a, coordinator_x):
    past, _upcoming = meetings_a
    july = [m for m in past if m.starts_at.month == 7]
    june = [m for m in past if m.starts_at.month == 6]
    close_all(july, [2, 2, 2], facilitator_a, newcomers=[1, 0, 0])
    close_all(june, [9, 9, 9, 9, 9], facilitator_a, newcomers=[1, 1, 1, 0, 1])
    client.force_login(coordinator_x)
    response = client.get(reverse("workspace:figures_export"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = {(row[0], row[1]): row for row in csv.reader(io.StringIO(response.content.decode()))}
    july_row = rows[("Gruppo A", "2027-07")]
    # Meetings are not people; an average of 2 and 1 newcomer are.
    assert july_row[2:] == ["3", "3", "meno di 3", "meno di 3"]
    assert rows[("Gruppo A", "2027-06")][2:] == ["5", "5", "9.0", "4"]
    assert rows[("Gruppo A", "2027-05")][4:] == ["", ""]  # nothing recorded: empty, not zero
    assert "Gruppo Y" not in response.content.decode()  # another association's group


def test_the_page_shows_exact_counts_to_the_association_and_hides_small_ones_from_its_coordination(
    client, meetings_a, facilitator_a, coordinator_x, association_x, association_y, coordinator_y
):
    july = [m for m in meetings_a[0] if m.starts_at.month == 7]
    close_all(july, [2, 2, 2], facilitator_a, newcomers=[1, 0, 0])
    client.force_login(coordinator_x)
    response = client.get(reverse("workspace:figures"))
    row = next(row for row in response.context["rows"] if row["group"].slug == "gruppo-a")
    assert row["months"][0]["average"] == "2.0" and row["months"][0]["newcomers"] == "1"
    assert "<svg" in response.content.decode() and "Incontri tenuti, mese per mese" in response.content.decode()
    # Association Y coordinates X: it reads X's figures, with small counts hidden.
    association_x.coordination = association_y
    association_x.save()
    client.force_login(coordinator_y)
    response = client.get(reverse("workspace:figures"), {"association": association_x.pk})
    assert response.status_code == 200
    row = next(row for row in response.context["rows"] if row["group"].slug == "gruppo-a")
    assert row["months"][0]["average"] == "meno di 3" and row["months"][0]["newcomers"] == "meno di 3"
    assert "&lt;3" in response.content.decode()  # the chart draws no bar for a hidden count


def test_a_group_above_its_maximum_in_three_of_the_last_four_meetings_is_flagged(
    client, meetings_a, facilitator_a, coordinator_x, group_a
):
    group_a.max_size = 10
    group_a.save()
    past = meetings_a[0]
    close_all(past[-4:], [11, 12, 9, 10], facilitator_a)
    assert [flag.kind for flag in selectors.group_flags(Group.objects.filter(pk=group_a.pk))] == []
    close_all(past[-4:], [11, 12, 9, 13], facilitator_a)
    [flag] = selectors.group_flags(Group.objects.filter(pk=group_a.pk))
    assert (flag.kind, flag.over) == ("over_size", 3)
    # Older meetings do not count: only the last four.
    close_all(past[-8:-4], [20, 20, 20, 20], facilitator_a)
    assert len(selectors.group_flags(Group.objects.filter(pk=group_a.pk))) == 1
    client.force_login(coordinator_x)
    html = client.get(reverse("workspace:home")).content.decode()
    assert "Sopra il numero massimo (10) in 3 degli ultimi 4 incontri" in html


def test_a_group_that_has_not_met_for_six_weeks_is_flagged_unless_paused(
    client, frozen_now, group_a, facilitator_a, coordinator_x
):
    meeting_weekly(group_a, since_days=70)
    past = past_and_upcoming(group_a)[0]
    flags = selectors.group_flags(Group.objects.filter(pk=group_a.pk))
    assert flags == []
    # Every meeting of the last seven weeks was cancelled (as if the group had stopped).
    from network.models import Meeting

    Meeting.objects.filter(pk__in=[m.pk for m in past[-7:]]).update(is_cancelled=True)
    [flag] = selectors.group_flags(Group.objects.filter(pk=group_a.pk))
    assert flag.kind == "not_met" and flag.last_met == past[-8].starts_at.date()
    client.force_login(coordinator_x)
    assert "Non si incontra da sei settimane" in client.get(reverse("workspace:home")).content.decode()
    # A group on a pause, or suspended, is not chased.
    today = NOW.date()
    Pause.objects.create(group=group_a, starts_on=today - timedelta(days=50), ends_on=today + timedelta(days=5))
    assert selectors.group_flags(Group.objects.filter(pk=group_a.pk)) == []
    Pause.objects.all().delete()
    Group.objects.filter(pk=group_a.pk).update(status=GroupStatus.SUSPENDED)
    assert selectors.group_flags(Group.objects.filter(pk=group_a.pk)) == []


def test_a_facilitator_does_not_see_the_flags_or_the_figures(client, meetings_a, facilitator_a):
    client.force_login(facilitator_a)
    assert client.get(reverse("workspace:figures")).status_code == 403
    assert client.get(reverse("workspace:figures_export")).status_code == 403


def test_reflection_totals_need_three_authors_who_opted_in_and_suppress_small_counts(
    client, meetings_a, group_a, facilitator_a, coordinator_x
):
    from conftest import _user
    from network.models import GroupMembership, GroupRole

    past = meetings_a[0]
    others = []
    for number in range(3):
        user = _user(f"altro{number}@example.org", is_staff=True)
        GroupMembership.objects.create(user=user, group=group_a, role=GroupRole.FACILITATOR)
        others.append(user)
    services.reflection_save(meeting=past[-1], went_well=["do7"], hard=[], share_totals=True, by=facilitator_a)
    services.reflection_save(meeting=past[-1], went_well=["do7"], hard=["dont4"], share_totals=True, by=others[0])
    # Opted out: never counted.
    services.reflection_save(meeting=past[-1], went_well=["do7"], hard=["dont4"], share_totals=False, by=others[1])
    totals = selectors.shared_reflection_totals([group_a.association], since=date(2027, 1, 1))
    assert totals == {"enough": False, "tallies": []}
    services.reflection_save(meeting=past[-2], went_well=["do7"], hard=[], share_totals=True, by=others[2])
    totals = selectors.shared_reflection_totals([group_a.association], since=date(2027, 1, 1))
    tallies = {tally.code: tally for tally in totals["tallies"]}
    assert totals["enough"] and tallies["do7"].went_well == "3" and tallies["dont4"].hard == "meno di 3"
    assert tallies["do1"].went_well == "0"
    client.force_login(coordinator_x)
    html = client.get(reverse("workspace:figures")).content.decode()
    assert "Le riflessioni dei facilitatori, in forma anonima" in html and "nessuna riflessione né nota" in html
