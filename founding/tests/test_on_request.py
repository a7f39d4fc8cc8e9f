"""A group *su richiesta*: started from intake's demand board, it carries the people who asked as a count."""

import pytest

from founding.models import FoundingPath
from founding.promotion import people_who_asked, promotion_for
from founding.services import founding_start_on_request
from intake.models import DemandRecord, IntakeRequest
from intake.tests.demand_factories import LAVIS, TRENTO, make_request, make_waiting
from network.models import GroupStatus, StartMode
from network.services import Refused
from network.tests.factories import ThemeFactory

pytestmark = pytest.mark.django_db


def test_the_demand_board_starts_a_planned_group_with_its_founding_path(association_x, coordinator_x):
    lutto = ThemeFactory(slug="lutto", name_it="Lutto")
    records = [make_waiting(association_x, lutto, at=TRENTO) for _ in range(4)]
    records += [make_waiting(association_x, lutto, at=LAVIS, area="Lavis")]

    path = founding_start_on_request(
        association=association_x, theme=lutto, records=records, name="Lutto – Trento", by=coordinator_x
    )

    group = path.group
    assert (group.status, group.start_mode, path.start_mode) == (
        GroupStatus.PLANNED,
        StartMode.ON_REQUEST,
        StartMode.ON_REQUEST,
    )
    assert path.requesters_count == 5
    assert set(DemandRecord.objects.filter(pk__in=[r.pk for r in records]).values_list("group", flat=True)) == {
        group.pk
    }
    # The people who asked are counted, never named, and a request from the group's own page counts too.
    asking = make_request(association_x, theme=lutto)
    IntakeRequest.objects.filter(pk=asking.pk).update(asked_group=group)
    assert people_who_asked(group=group) == 6
    assert promotion_for(path).asked_shown == "6"


def test_a_refused_start_leaves_no_group_and_no_path(association_x, association_y, coordinator_x):
    lutto = ThemeFactory(slug="lutto", name_it="Lutto")
    theirs = [make_waiting(association_y, lutto, at=TRENTO)]
    with pytest.raises(Refused):
        founding_start_on_request(association=association_x, theme=lutto, records=theirs, name="X", by=coordinator_x)
    assert not FoundingPath.objects.exists()
    assert DemandRecord.objects.get(pk=theirs[0].pk).group_id is None


def test_few_people_asking_are_shown_as_fewer_than_three(association_x, coordinator_x):
    lutto = ThemeFactory(slug="lutto", name_it="Lutto")
    path = founding_start_on_request(
        association=association_x,
        theme=lutto,
        records=[make_waiting(association_x, lutto, at=TRENTO)],
        name="Lutto – Trento",
        by=coordinator_x,
    )
    assert people_who_asked(group=path.group) == 1
    assert promotion_for(path).asked_shown == "<3"
