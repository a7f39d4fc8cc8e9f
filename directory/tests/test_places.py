"""Place names resolve offline first; an online geocoder is only a configured fallback."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from directory.places import resolve_place
from network.tests.factories import VenueFactory

pytestmark = pytest.mark.django_db


def test_venue_comuni_come_first():
    VenueFactory(comune="Borgo Immaginario", latitude=45.5, longitude=10.5)
    VenueFactory(comune="Borgo Immaginario", latitude=45.7, longitude=10.7)
    place = resolve_place("borgo immaginario")
    assert (place.latitude, place.longitude) == pytest.approx((45.6, 10.6))


@pytest.mark.parametrize(
    ("typed", "latitude"),
    [
        ("Trento", 46.07),
        ("TRENTO", 46.07),
        ("Rovereto (TN)", 45.89),
        ("Forlì", 44.22),
        ("Forli", 44.22),
        ("Rome", 41.89),
    ],
)
def test_gazetteer_knows_italian_towns_in_any_spelling(typed, latitude):
    assert resolve_place(typed).latitude == pytest.approx(latitude, abs=0.05)


def test_typed_coordinates_are_accepted():
    place = resolve_place("46.0679, 11.1211")
    assert (place.latitude, place.longitude) == (46.0679, 11.1211)


def test_unknown_place_is_none_without_a_geocoder():
    assert resolve_place("Atlantide") is None


@pytest.fixture
def local_geocoder(settings):
    """A Nominatim-compatible server on loopback, standing in for an association's own."""
    seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append(self.path)
            body = json.dumps([{"lat": "45.1", "lon": "9.2"}] if "Frazione" in self.path else []).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.CERCHIO_GEOCODER = "directory.places.NominatimGeocoder"
    settings.CERCHIO_GEOCODER_URL = f"http://127.0.0.1:{server.server_port}"
    yield seen
    server.shutdown()


def test_configured_geocoder_is_asked_only_for_unknown_places(local_geocoder):
    assert resolve_place("Trento").latitude == pytest.approx(46.07, abs=0.05)
    assert local_geocoder == []
    place = resolve_place("Frazione Sconosciuta")
    assert (place.latitude, place.longitude) == (45.1, 9.2)
    assert resolve_place("Nessun Luogo") is None
    assert len(local_geocoder) == 2


def test_a_failing_geocoder_never_breaks_the_search(settings, client):
    settings.CERCHIO_GEOCODER = "directory.places.NominatimGeocoder"
    settings.CERCHIO_GEOCODER_URL = "http://127.0.0.1:9"  # nothing listens there
    response = client.get("/api/v1/groups?place=Luogo+Inesistente")
    assert response.status_code == 400
    assert "place" in response.json()["errors"]


def test_a_city_is_named_back_as_the_person_wrote_it():
    assert resolve_place("Milano").name == "Milano"
