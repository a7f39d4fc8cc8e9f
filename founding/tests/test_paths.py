"""Each of the five ways: its own checklist, steps ticked off and logged, what is missing shown."""

import pytest

from founding import services
from founding.models import FoundingPath, StepTick
from founding.paths import path_state, steps_for
from network.models import Activity, Group, GroupStatus, StartMode
from network.services import Refused, group_set_status, group_update
from network.tests.factories import GroupFactory, ThemeFactory, VenueFactory

from .conftest import agree_everything, in_days

# A step only this way has, to tick by hand.
OWN_STEP = {
    StartMode.ON_REQUEST: "demand",
    StartMode.TARGETED: "letter",
    StartMode.OPEN_INVITATION: "poster",
    StartMode.FOURTH_WAY: "cofounders",
    StartMode.SPONTANEOUS: "met",
}


@pytest.mark.parametrize("way", StartMode.values)
def test_each_way_starts_a_planned_group_with_its_own_checklist(association_x, someone, way):
    theme = ThemeFactory(name_it="Lutto")
    path = services.founding_start(
        association=association_x, start_mode=way, name="Dopo una perdita", themes=[theme], by=someone
    )
    group = Group.objects.get(pk=path.group_id)
    assert group.status == GroupStatus.PLANNED and group.start_mode == way
    assert list(group.themes.all()) == [theme]
    keys = [step.key for step in steps_for(way)]
    assert OWN_STEP[way] in keys
    others = {OWN_STEP[other] for other in StartMode.values if other != way}
    assert not others & set(keys), "each way has its own steps"
    states = path_state(path)
    assert [state.step.key for state in states] == keys
    assert not any(state.done for state in states)
    logged = Activity.objects.get(action="founding.start")
    assert logged.group == group and logged.actor == someone and logged.payload["start_mode"] == way


@pytest.mark.parametrize("way", StartMode.values)
def test_ticking_a_step_off_records_who_and_when_and_the_path_shows_what_is_left(association_x, someone, way):
    path = services.founding_start(association=association_x, start_mode=way, name="Gruppo nuovo", by=someone)
    before = sum(not state.done for state in path_state(path))

    services.founding_step_tick(path=path, step=OWN_STEP[way], by=someone)
    services.founding_step_tick(path=path, step=OWN_STEP[way], by=someone)  # twice: one tick, one entry

    tick = StepTick.objects.get(path=path)
    assert tick.ticked_by == someone and tick.ticked_at is not None
    assert sum(not state.done for state in path_state(path)) == before - 1
    assert Activity.objects.filter(action="founding.step", payload={"step": OWN_STEP[way]}).count() == 1

    services.founding_step_untick(path=path, step=OWN_STEP[way], by=someone)
    assert not StepTick.objects.filter(path=path).exists()
    assert Activity.objects.filter(action="founding.step_undone").count() == 1


def test_a_step_of_another_way_or_one_read_from_the_group_cannot_be_ticked(association_x, someone):
    path = services.founding_start(
        association=association_x, start_mode=StartMode.OPEN_INVITATION, name="Gruppo", by=someone
    )
    with pytest.raises(Refused, match="non fa parte"):
        services.founding_step_tick(path=path, step="letter", by=someone)
    with pytest.raises(Refused, match="da solo"):
        services.founding_step_tick(path=path, step="agreements", by=someone)
    assert not StepTick.objects.exists()


def test_steps_read_from_the_group_are_done_when_true(association_x, someone, frozen):
    path = services.founding_start(
        association=association_x, start_mode=StartMode.OPEN_INVITATION, name="Gruppo", by=someone
    )
    group = path.group
    states = {state.step.key: state.done for state in path_state(path)}
    assert not (states["agreements"] or states["first_date"] or states["published"] or states["held"])

    group_update(group=group, venue=VenueFactory(association=association_x), by=someone)
    agree_everything(group, first_meeting_at=in_days(10))
    states = {state.step.key: state.done for state in path_state(FoundingPath.objects.get(pk=path.pk))}
    assert states["agreements"] and states["first_date"]
    assert not states["published"] and not states["held"]

    group_set_status(group=group, status=GroupStatus.PROMOTING, by=someone)
    states = {state.step.key: state.done for state in path_state(FoundingPath.objects.get(pk=path.pk))}
    assert states["published"] and not states["held"]


def test_on_request_carries_the_count_of_people_who_asked_never_their_names(association_x, someone):
    path = services.founding_start(
        association=association_x,
        start_mode=StartMode.ON_REQUEST,
        name="Gioco d'azzardo",
        requesters_count=7,
        by=someone,
    )
    assert path.requesters_count == 7
    assert Activity.objects.get(action="founding.start").payload == {"start_mode": "on_request", "requesters": 7}


def test_targeted_invitations_are_counted(association_x, someone):
    path = services.founding_start(association=association_x, start_mode=StartMode.TARGETED, name="G", by=someone)
    services.founding_invitations_record(path=path, count=12, by=someone)
    path = services.founding_invitations_record(path=path, count=3, by=someone)
    assert path.invitations_sent == 15
    assert [a.payload for a in Activity.objects.filter(action="founding.invitations").order_by("pk")] == [
        {"added": 12, "total": 12},
        {"added": 3, "total": 15},
    ]
    for wrong in (0, -1, 1001):
        with pytest.raises(Refused):
            services.founding_invitations_record(path=path, count=wrong, by=someone)
    path.refresh_from_db()
    assert path.invitations_sent == 15


def test_a_path_for_an_existing_group_only_while_it_is_being_started_and_in_its_association(
    association_x, association_y, someone
):
    planned = GroupFactory(association=association_x, status=GroupStatus.PLANNED)
    path = services.founding_start(
        association=association_x, start_mode=StartMode.SPONTANEOUS, group=planned, by=someone
    )
    assert path.group == planned
    planned.refresh_from_db()
    assert planned.start_mode == StartMode.SPONTANEOUS
    with pytest.raises(Refused, match="già un percorso"):
        services.founding_start(association=association_x, start_mode=StartMode.TARGETED, group=planned, by=someone)
    with pytest.raises(Refused, match="non è in avvio"):
        services.founding_start(
            association=association_x,
            start_mode=StartMode.TARGETED,
            group=GroupFactory(association=association_x),
            by=someone,
        )
    with pytest.raises(Refused, match="altra associazione"):
        services.founding_start(
            association=association_y,
            start_mode=StartMode.TARGETED,
            group=GroupFactory(association=association_x, status=GroupStatus.PLANNED),
            by=someone,
        )
    with pytest.raises(Refused):
        services.founding_start(association=association_x, start_mode="fifth_way", name="G", by=someone)
    with pytest.raises(Refused, match="nome"):
        services.founding_start(association=association_x, start_mode=StartMode.TARGETED, name="  ", by=someone)
