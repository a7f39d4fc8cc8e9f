"""The follow-up milestones fall due on the right dates, from the first meeting, with the association's defaults."""

from datetime import date

import pytest
from django.urls import reverse

from founding import services
from founding.milestones import due_milestones, milestones_for
from founding.models import MilestoneKind
from founding.tests.conftest import agree_everything, in_days
from network.models import Activity, GroupStatus, StartMode
from network.services import Refused


@pytest.fixture
def started(association_x, someone, frozen):
    """Open invitation, fortnightly on Tuesdays from 2 March 2027; first meeting Tuesday 16 March."""
    path = services.founding_start(
        association=association_x, start_mode=StartMode.OPEN_INVITATION, name="Nuovo gruppo", by=someone
    )
    agree_everything(path.group, first_meeting_at=in_days(15))
    return path.group


def _dates(group):
    return [(m.kind, m.number, m.due_on) for m in milestones_for(group)]


def test_default_milestones_fall_on_the_first_three_meetings_six_months_and_a_year(started):
    assert _dates(started) == [
        (MilestoneKind.ACCOMPANY, 1, date(2027, 3, 16)),
        (MilestoneKind.ACCOMPANY, 2, date(2027, 3, 30)),
        (MilestoneKind.ACCOMPANY, 3, date(2027, 4, 13)),
        (MilestoneKind.REVIEW, 1, date(2027, 9, 16)),
        (MilestoneKind.CHECKIN, 1, date(2028, 3, 16)),
    ]


def test_no_milestones_before_the_first_meeting_is_set(association_x, someone):
    path = services.founding_start(association=association_x, start_mode=StartMode.TARGETED, name="G", by=someone)
    assert milestones_for(path.group) == []


def test_the_association_changes_the_defaults_and_every_date_follows(started, association_x, someone):
    services.followup_settings_set(
        association=association_x, accompanied_meetings=1, review_after_months=3, checkin_every_months=6, by=someone
    )
    assert _dates(started) == [
        (MilestoneKind.ACCOMPANY, 1, date(2027, 3, 16)),
        (MilestoneKind.REVIEW, 1, date(2027, 6, 16)),
        (MilestoneKind.CHECKIN, 1, date(2027, 9, 16)),
    ]
    with pytest.raises(Refused):
        services.followup_settings_set(
            association=association_x,
            accompanied_meetings=13,
            review_after_months=3,
            checkin_every_months=6,
            by=someone,
        )


def test_milestones_show_on_the_board_a_week_before_they_fall_due(started, frozen):
    assert due_milestones([started], today=date(2027, 3, 8)) == []
    due = due_milestones([started], today=date(2027, 3, 9))
    assert [(m.kind, m.number) for m in due] == [(MilestoneKind.ACCOMPANY, 1)]
    due = due_milestones([started], today=date(2027, 9, 10))
    assert [(m.kind, m.number) for m in due] == [
        (MilestoneKind.ACCOMPANY, 1),
        (MilestoneKind.ACCOMPANY, 2),
        (MilestoneKind.ACCOMPANY, 3),
        (MilestoneKind.REVIEW, 1),
    ]


def test_a_milestone_is_marked_done_only_once_it_is_near(started, someone, frozen):
    with pytest.raises(Refused, match="non è ancora arrivata"):
        services.milestone_done(group=started, kind=MilestoneKind.REVIEW, number=1, by=someone)
    frozen.move_to("2027-09-10 09:00+02:00")
    services.milestone_done(group=started, kind=MilestoneKind.REVIEW, number=1, by=someone)
    assert [m.done for m in milestones_for(started) if m.kind == MilestoneKind.REVIEW] == [True]


def test_a_done_milestone_leaves_the_board_and_the_next_check_in_comes(started, someone, frozen):
    frozen.move_to("2028-03-15 09:00+01:00")
    for number in (1, 2, 3):
        services.milestone_done(group=started, kind=MilestoneKind.ACCOMPANY, number=number, by=someone)
    services.milestone_done(group=started, kind=MilestoneKind.REVIEW, number=1, by=someone)
    services.milestone_done(group=started, kind=MilestoneKind.CHECKIN, number=1, by=someone)
    assert due_milestones([started], today=date(2028, 3, 20)) == []
    assert _dates(started)[-1] == (MilestoneKind.CHECKIN, 2, date(2029, 3, 16))
    assert [m.number for m in due_milestones([started], today=date(2029, 3, 10))] == [2]
    assert Activity.objects.filter(action="founding.milestone").count() == 5
    with pytest.raises(Refused):
        services.milestone_done(group=started, kind=MilestoneKind.ACCOMPANY, number=9, by=someone)


def test_a_closed_group_has_no_more_milestones(started, someone):
    from network.services import group_set_status

    group_set_status(group=started, status=GroupStatus.CLOSED, by=someone)
    started.refresh_from_db()
    assert milestones_for(started) == []


def test_the_board_lists_due_milestones_and_a_coordinator_marks_them_done(client, coordinator_x, started, frozen):
    frozen.move_to("2027-09-14 09:00+02:00")
    client.force_login(coordinator_x)
    page = client.get(reverse("workspace:founding_board")).content.decode()
    assert "Verifica del gruppo" in page and "Nuovo gruppo" in page
    url = reverse("workspace:milestone_done", args=[started.slug, "review", 1])
    assert client.post(url, {"next": "board"}).status_code == 302
    page = client.get(reverse("workspace:founding_board")).content.decode()
    assert "Verifica del gruppo" not in page


def test_a_facilitator_cannot_mark_milestones(client, facilitator_a, group_a):
    client.force_login(facilitator_a)
    response = client.post(reverse("workspace:milestone_done", args=[group_a.slug, "review", 1]))
    assert response.status_code == 403


def test_the_workspace_home_points_the_coordinator_to_due_milestones(client, coordinator_x, started, frozen):
    frozen.move_to("2027-03-12 09:00+01:00")
    client.force_login(coordinator_x)
    page = client.get(reverse("workspace:home")).content.decode()
    assert "Una tappa del seguito di un nuovo gruppo da fare" in page
    assert reverse("workspace:founding_board") in page
