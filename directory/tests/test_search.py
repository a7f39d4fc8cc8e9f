"""Directory search semantics: each filter, non-weekly rhythms, radius edges, ordering."""

from datetime import date, time

import pytest
import time_machine

from directory.search import GroupSearchForm, search_groups
from lib.geo import distance_km
from network.models import Audience, GroupStatus
from network.tests.factories import ThemeFactory, VenueFactory, make_group

TODAY = date(2026, 11, 23)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


@pytest.fixture
def frozen_now():
    with time_machine.travel("2026-11-23 09:00:00+01:00", tick=False):
        yield


def search(**params):
    form = GroupSearchForm({key: str(value) for key, value in params.items()})
    assert form.is_valid(), form.errors
    return search_groups(form.cleaned_data)


def slugs(results):
    return [group.slug for group in results.groups]


def test_tuesday_finds_a_group_meeting_on_the_second_and_fourth_tuesday():
    make_group(slug="secondo-quarto-martedi", rule="FREQ=MONTHLY;BYDAY=2TU,4TU", today=TODAY)
    make_group(slug="ogni-giovedi", rule="FREQ=WEEKLY;BYDAY=TH", today=TODAY)
    assert slugs(search(weekday=2)) == ["secondo-quarto-martedi"]
    assert slugs(search(weekday=4)) == ["ogni-giovedi"]
    assert slugs(search(weekday=3)) == []


def test_every_other_week_and_last_friday_are_found_by_their_weekday():
    make_group(slug="quindicinale", rule="FREQ=WEEKLY;INTERVAL=2;BYDAY=WE", today=TODAY)
    make_group(slug="ultimo-venerdi", rule="FREQ=MONTHLY;BYDAY=-1FR", today=TODAY)
    assert slugs(search(weekday=3)) == ["quindicinale"]
    assert slugs(search(weekday=5)) == ["ultimo-venerdi"]


def test_part_of_day_uses_the_local_start_time():
    make_group(slug="mattina", at=time(9, 30), today=TODAY)
    make_group(slug="pomeriggio", at=time(15, 0), today=TODAY)
    make_group(slug="sera", at=time(20, 30), today=TODAY)
    assert slugs(search(part_of_day="morning")) == ["mattina"]
    assert slugs(search(part_of_day="afternoon")) == ["pomeriggio"]
    assert slugs(search(part_of_day="evening")) == ["sera"]


def test_theme_filter():
    grief, gambling = ThemeFactory(slug="lutto"), ThemeFactory(slug="gioco")
    make_group(slug="g-lutto", themes=[grief], today=TODAY)
    make_group(slug="g-gioco", themes=[gambling], today=TODAY)
    assert slugs(search(theme="lutto")) == ["g-lutto"]


def test_free_text_ignores_case_and_accents():
    make_group(slug="citta", name="Gruppo Città Aperta", today=TODAY)
    make_group(slug="altro", name="Altro gruppo", today=TODAY)
    assert slugs(search(q="CITTA aperta")) == ["citta"]


def test_audience_family_includes_groups_for_both():
    make_group(slug="familiari", audience=Audience.FAMILY, today=TODAY)
    make_group(slug="entrambi", audience=Audience.BOTH, today=TODAY)
    make_group(slug="diretti", audience=Audience.AFFECTED, today=TODAY)
    assert sorted(slugs(search(audience="family"))) == ["entrambi", "familiari"]
    assert sorted(slugs(search(audience="affected"))) == ["diretti", "entrambi"]


def test_format_is_derived_from_venue_and_online_link():
    make_group(slug="presenza", today=TODAY)
    make_group(slug="online", venue=None, online_url="https://meet.example/x", today=TODAY)
    make_group(slug="ibrido", online_url="https://meet.example/y", today=TODAY)
    assert slugs(search(format="in_person")) == ["presenza"]
    assert slugs(search(format="online")) == ["online"]
    assert slugs(search(format="hybrid")) == ["ibrido"]


def test_open_filter_and_hidden_statuses():
    make_group(slug="aperto", today=TODAY)
    make_group(slug="pieno", accepting_newcomers=False, today=TODAY)
    make_group(slug="sospeso", status=GroupStatus.SUSPENDED, today=TODAY)
    assert slugs(search(open="true")) == ["aperto"]
    assert sorted(slugs(search())) == ["aperto", "pieno"]


def test_radius_includes_the_edge_and_excludes_just_beyond():
    origin = (46.0, 11.0)
    # One degree of latitude is about 111.19 km on the haversine sphere.
    inside = VenueFactory(latitude=46.0 + 24.99 / 111.195, longitude=11.0)
    outside = VenueFactory(latitude=46.0 + 25.05 / 111.195, longitude=11.0)
    make_group(slug="dentro", venue=inside, today=TODAY)
    make_group(slug="fuori", venue=outside, today=TODAY)
    results = search(lat=origin[0], lon=origin[1], radius_km=25)
    assert slugs(results) == ["dentro"]
    assert results.groups[0].distance_km == pytest.approx(distance_km(*origin, inside.latitude, inside.longitude))
    assert results.groups[0].distance_km <= 25


def test_radius_edge_east_west_at_italian_latitudes():
    # Longitude degrees shrink with latitude: the bounding box must not cut this group.
    east = VenueFactory(latitude=46.0, longitude=11.0 + 24.9 / (111.195 * 0.6947))
    make_group(slug="est", venue=east, today=TODAY)
    assert distance_km(46.0, 11.0, east.latitude, east.longitude) < 25
    assert slugs(search(lat=46.0, lon=11.0, radius_km=25)) == ["est"]


def test_results_with_a_place_are_sorted_by_distance():
    for slug, lat in [("lontano", 46.15), ("vicino", 46.07), ("medio", 46.11)]:
        make_group(slug=slug, venue=VenueFactory(latitude=lat, longitude=11.12108, comune="Altrove"), today=TODAY)
    results = search(place="Trento", radius_km=50)
    assert slugs(results) == ["vicino", "medio", "lontano"]
    assert results.origin.name == "Trento"


def test_results_without_a_place_are_sorted_by_next_meeting():
    make_group(slug="giovedi", rule="FREQ=WEEKLY;BYDAY=TH", today=TODAY)
    make_group(slug="martedi", rule="FREQ=WEEKLY;BYDAY=TU", today=TODAY)
    make_group(slug="mensile", rule="FREQ=MONTHLY;BYDAY=-1MO", today=TODAY)
    # Monday 23 November 2026: Tuesday 24, Thursday 26, last Monday = 30 November.
    assert slugs(search()) == ["martedi", "giovedi", "mensile"]


def test_next_meetings_are_attached_and_in_order():
    make_group(slug="m", rule="FREQ=MONTHLY;BYDAY=2TU,4TU", today=TODAY)
    group = search().groups[0]
    starts = [m.starts_at for m in group.next_meetings]
    assert len(starts) == 6
    assert starts == sorted(starts)
    assert starts[0].date() == date(2026, 11, 24)


def test_paging_counts_all_results():
    for index in range(5):
        make_group(slug=f"p{index}", today=TODAY)
    first = search(page_size=2)
    third = search(page_size=2, page=3)
    assert (first.total, first.pages, len(first.groups)) == (5, 3, 2)
    assert len(third.groups) == 1 and not third.has_next


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"radius_km": "-5"}, "radius_km"),
        ({"lat": "abc", "lon": "11"}, "lat"),
        ({"lat": "46"}, "lon"),
        ({"weekday": "9"}, "weekday"),
        ({"q": "x" * 10_000}, "q"),
        ({"theme": "non-esiste"}, "theme"),
        ({"place": "Atlantide sommersa"}, "place"),
        ({"open": "forse"}, "open"),
        ({"page_size": "1000"}, "page_size"),
        ({"lat": "nan", "lon": "11"}, "lat"),
    ],
)
def test_bad_filters_are_explained_on_the_field(params, field):
    form = GroupSearchForm(params)
    assert not form.is_valid()
    assert field in form.errors


def test_weekday_and_part_of_day_combine_on_the_same_meeting():
    make_group(slug="mar-mattina-gio-sera", rule="FREQ=WEEKLY;BYDAY=TU", at=time(10, 0), today=TODAY)
    group = make_group(slug="martedi-sera", rule="FREQ=WEEKLY;BYDAY=TU", at=time(20, 30), today=TODAY)
    other = make_group(slug="due-orari", rule="FREQ=WEEKLY;BYDAY=TU", at=time(10, 0), today=TODAY)
    from network.models import Schedule
    from network.services import group_sync_meetings

    Schedule.objects.create(
        group=other, rrule="FREQ=WEEKLY;BYDAY=TH", starts_on=date(2025, 1, 1), start_time=time(20, 30)
    )
    group_sync_meetings(group=other, today=TODAY)
    assert slugs(search(weekday=2, part_of_day="evening")) == [group.slug]
    assert sorted(slugs(search(weekday=4, part_of_day="evening"))) == ["due-orari"]
    assert sorted(slugs(search(part_of_day="morning"))) == ["due-orari", "mar-mattina-gio-sera"]
