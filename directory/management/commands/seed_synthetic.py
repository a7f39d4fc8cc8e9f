"""A large synthetic network of groups all over Italy, for benchmarks and load tests.

    python manage.py seed_synthetic --groups 100000

The groups belong to their own association ("rete-sintetica") and are spread over
the towns of the offline gazetteer, a little more in the bigger ones. Each has one
venue near its town (none when it meets online), one theme and one schedule with
the rhythms AMA groups keep. Meetings and the derived search columns are computed
by the same functions the normal write path uses, then written with bulk inserts,
so 100,000 groups take minutes, not hours. Idempotent in count: running it again
only adds the groups that are missing.
"""

import math
import random
import re
import time
from datetime import time as clock
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from directory.models import Place
from directory.places import load_gazetteer
from network import fulltext
from network.demo import DESCRIPTIONS, THEMES, VENUE_KINDS
from network.models import (
    Association,
    Audience,
    Entry,
    FacilitatorKind,
    Group,
    GroupStatus,
    Meeting,
    Schedule,
    StartMode,
    Theme,
    Venue,
)
from network.recurrence import RRULE_DAYS
from network.services import _horizon_end, _planned_meetings, search_fields_for

ASSOCIATION_SLUG = "rete-sintetica"
SLUG_PREFIX = "sintetico-"
BATCH = 5000
# Towns are drawn with weight population ** POPULATION_EXPONENT: cities get more
# groups than villages, but far fewer than in proportion to their inhabitants.
POPULATION_EXPONENT = 0.6
MIN_POPULATION = 500

# GeoNames names the biggest cities in English; venues carry the comune's own name.
ITALIAN_NAMES = {
    "Rome": "Roma",
    "Milan": "Milano",
    "Naples": "Napoli",
    "Turin": "Torino",
    "Genoa": "Genova",
    "Florence": "Firenze",
    "Padua": "Padova",
    "Venice": "Venezia",
    "Mantua": "Mantova",
}
# City districts GeoNames lists as places of their own; they are not comuni.
DISTRICT_PREFIXES = ("Circoiscrizione ", "Circoscrizione ", "Quartiere ", "Municipio ")

# (weight, rule): {day} is the RRULE weekday, {other} a second one for twice-weekly groups.
RHYTHMS = [
    (30, "FREQ=WEEKLY;BYDAY={day}"),
    (18, "FREQ=WEEKLY;INTERVAL=2;BYDAY={day}"),
    (15, "FREQ=MONTHLY;BYDAY=2{day},4{day}"),
    (12, "FREQ=MONTHLY;BYDAY=1{day},3{day}"),
    (10, "FREQ=MONTHLY;BYDAY=-1{day}"),
    (8, "FREQ=MONTHLY;BYDAY=1{day}"),
    (4, "FREQ=WEEKLY;BYDAY={day},{other}"),
    (3, "FREQ=MONTHLY;BYDAY=3{day}"),
]
WEEKDAY_WEIGHTS = [17, 17, 17, 17, 16, 10, 6]  # Monday … Sunday
# (weight, start time, duration in minutes)
START_TIMES = [
    (6, "09:30", 120),
    (6, "10:00", 90),
    (5, "15:00", 90),
    (6, "17:30", 120),
    (12, "18:00", 90),
    (10, "19:00", 90),
    (15, "20:00", 120),
    (25, "20:30", 120),
    (8, "21:00", 90),
]
STATUSES = [
    (86, GroupStatus.ACTIVE),
    (6, GroupStatus.PROMOTING),
    (3, GroupStatus.SUSPENDED),
    (2, GroupStatus.PLANNED),
    (2, GroupStatus.CLOSED),
    (1, GroupStatus.GEMMATED),
]
# (weight, venue, online link)
FORMATS = [(85, True, False), (7, True, True), (8, False, True)]
EXTRA_VENUE_KINDS = [
    ("Parrocchia di San Giuseppe, sala riunioni", "Via della Chiesa 5"),
    ("Casa di quartiere", "Via Mazzini 40"),
    ("Consultorio familiare", "Via Dante 8"),
    ("Circolo ACLI", "Corso Italia 17"),
    ("Sala civica", "Piazza Municipio 1"),
]


def _weighted(options):
    weights = [option[0] for option in options]
    values = [option[1:] if len(option) > 2 else option[1] for option in options]
    return values, weights


class Command(BaseCommand):
    help = "Generate a large synthetic network of groups all over Italy (idempotent in count)."

    def add_arguments(self, parser):
        parser.add_argument("--groups", type=int, default=1000, help="How many synthetic groups there should be.")
        parser.add_argument("--seed", type=int, default=20250901, help="Random seed, for repeatable data.")

    def handle(self, *args, groups: int, seed: int, **options):
        if settings.PRODUCTION:
            raise CommandError("Synthetic data cannot be loaded in production.")
        if groups < 0:
            raise CommandError("--groups must be zero or more.")
        started = time.monotonic()
        association, _ = Association.objects.get_or_create(
            slug=ASSOCIATION_SLUG,
            defaults={
                "name": "Rete sintetica (dati di prova)",
                "city": "Roma",
                "public_email": "accoglienza@rete-sintetica.example",
                "public_phone": "06 000 000",
                "website": "https://rete-sintetica.example",
            },
        )
        existing = association.groups.count()
        if existing >= groups:
            self.stdout.write(f"Synthetic network: {existing:,} groups already there, nothing to do.")
            return
        if not Place.objects.filter(country="IT").exists():
            self.stdout.write("Loading the gazetteer first…")
            load_gazetteer()
        themes = []
        for slug, name_it, name_en, synonyms in THEMES:
            theme, _ = Theme.objects.get_or_create(
                slug=slug, defaults={"name_it": name_it, "name_en": name_en, "synonyms": synonyms}
            )
            themes.append(theme)
        towns = [
            (ITALIAN_NAMES.get(name, name), latitude, longitude, population)
            for name, latitude, longitude, population in Place.objects.filter(country="IT")
            .values_list("name", "latitude", "longitude", "population")
            .order_by("pk")
            if not name.startswith(DISTRICT_PREFIXES)
        ]
        town_weights = [max(population, MIN_POPULATION) ** POPULATION_EXPONENT for *_, population in towns]
        next_index = self._next_index()
        missing = groups - existing
        self.stdout.write(
            f"Synthetic network: {existing:,} groups there, adding {missing:,} over {len(towns):,} towns…"
        )
        writer = _Writer(association=association, themes=themes, towns=towns, town_weights=town_weights)
        done = meetings = 0
        while done < missing:
            size = min(BATCH, missing - done)
            # One generator per batch, seeded by position: the same command gives the same data.
            rng = random.Random(f"{seed}:{next_index}")
            meetings += writer.write_batch(rng=rng, first_index=next_index, size=size)
            done += size
            next_index += size
            elapsed = time.monotonic() - started
            self.stdout.write(
                f"  {existing + done:>9,} groups, {meetings:>10,} meetings  ({elapsed:6.1f} s, "
                f"{done / elapsed:,.0f} groups/s)"
            )
        if connection.vendor in {"sqlite", "postgresql"}:
            self.stdout.write("Updating the planner statistics (ANALYZE)…")
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(
            f"Synthetic network: {existing + done:,} groups, {meetings:,} new meetings "
            f"in {time.monotonic() - started:.1f} s."
        )

    def _next_index(self) -> int:
        """One past the highest synthetic slug number, so slugs never collide."""
        pattern = re.compile(rf"^{re.escape(SLUG_PREFIX)}(\d+)$")
        numbers = [
            int(match.group(1))
            for slug in Group.objects.filter(slug__startswith=SLUG_PREFIX).values_list("slug", flat=True)
            if (match := pattern.match(slug))
        ]
        return max(numbers, default=0) + 1


class _WithThemes:
    """An unsaved group as search_fields_for sees it, with its themes known in advance.

    A group without an id cannot use its many-to-many manager; everything else is
    read from the group itself.
    """

    def __init__(self, group: Group, themes: list[Theme]):
        self._group = group
        self.themes = _Themes(themes)

    def __getattr__(self, name: str):
        return getattr(self._group, name)


class _Themes:
    def __init__(self, themes: list[Theme]):
        self._themes = themes

    def all(self) -> list[Theme]:
        return self._themes


class _Writer:
    def __init__(self, *, association, themes, towns, town_weights):
        self.association = association
        self.themes = themes
        self.towns = towns
        self.town_cum_weights = list(_cumulative(town_weights))
        self.today = timezone.localdate()
        self.rhythms, self.rhythm_weights = _weighted(RHYTHMS)
        self.starts, self.start_weights = _weighted(START_TIMES)
        self.statuses, self.status_weights = _weighted(STATUSES)
        self.formats, self.format_weights = _weighted(FORMATS)
        self.venue_kinds = VENUE_KINDS + EXTRA_VENUE_KINDS
        self.start_modes = list(StartMode.values)
        self.through = Group.themes.through
        self.times = {start: clock(*map(int, start.split(":"))) for start, _ in self.starts}

    def write_batch(self, *, rng: random.Random, first_index: int, size: int) -> int:
        towns = rng.choices(self.towns, cum_weights=self.town_cum_weights, k=size)
        plans = []
        for offset, town in enumerate(towns):
            index = first_index + offset
            has_venue, has_link = rng.choices(self.formats, weights=self.format_weights)[0]
            plans.append((index, town, has_venue, has_link))
        with transaction.atomic():
            venues = Venue.objects.bulk_create(
                [self._venue(rng, town) for _index, town, has_venue, _link in plans if has_venue]
            )
            venue_iter = iter(venues)
            groups, schedules, links, meetings = [], [], [], []
            # Anything after "now" counts as upcoming, exactly as group_refresh_search_fields does.
            now = timezone.now()
            for index, town, has_venue, has_link in plans:
                theme = rng.choice(self.themes)
                venue = next(venue_iter) if has_venue else None
                group = self._group(rng, index, town, theme, venue, has_link)
                schedule = self._schedule(rng, group)
                # A bulk writer for scale work: the same planning as the services, without a query per group.
                planned = [
                    Meeting(schedule=schedule, **meeting.__dict__)
                    for meeting in _planned_meetings(
                        schedule=schedule,
                        group=group,
                        start=self.today,
                        end=_horizon_end(self.today),
                        exceptions=(),
                        pauses=(),
                    ).values()
                ]
                upcoming = [meeting for meeting in planned if meeting.starts_at >= now]
                fields = search_fields_for(group=_WithThemes(group, [theme]), upcoming=upcoming)
                for name, value in fields.items():
                    setattr(group, name, value)
                groups.append(group)
                schedules.append(schedule)
                links.append((group, theme))
                meetings += planned
            Group.objects.bulk_create(groups)
            # The full-text index, as group_refresh_search_fields keeps it.
            fulltext.index_groups((group.pk, group.search_text) for group in groups)
            self.through.objects.bulk_create(
                [self.through(group_id=group.pk, theme_id=theme.pk) for group, theme in links]
            )
            Schedule.objects.bulk_create(schedules)
            for meeting in meetings:
                # Planned before the groups had ids; the schedule carries it now.
                meeting.group_id = meeting.schedule.group_id
            Meeting.objects.bulk_create(meetings)
        return len(meetings)

    def _venue(self, rng: random.Random, town) -> Venue:
        name, lat, lon, population = town
        # Venues scatter around the town centre, wider in the bigger towns.
        spread_km = 0.6 + 0.004 * math.sqrt(max(population, 0))
        lat += rng.gauss(0, spread_km / 111.2)
        lon += rng.gauss(0, spread_km / (111.2 * math.cos(math.radians(lat))))
        kind, address = rng.choice(self.venue_kinds)
        step_free = rng.random() < 0.6
        return Venue(
            association=self.association,
            name=kind,
            address=address,
            comune=name[:100],
            province="",  # the gazetteer has no province codes
            latitude=round(lat, 5),
            longitude=round(lon, 5),
            step_free=step_free,
            transport_notes="Fermata dell'autobus a 200 metri." if step_free and rng.random() < 0.5 else "",
        )

    def _group(self, rng: random.Random, index: int, town, theme: Theme, venue: Venue | None, has_link: bool):
        audience = rng.choice([Audience.AFFECTED, Audience.AFFECTED, Audience.BOTH, Audience.FAMILY])
        if theme.slug == "alzheimer-demenze":
            audience = Audience.FAMILY
        place = town[0] if venue else f"online da {town[0]}"
        return Group(
            association=self.association,
            name=f"{theme.name_it} – {place}"[:200],
            slug=f"{SLUG_PREFIX}{index:06d}",
            description=DESCRIPTIONS.get(theme.slug, "Un gruppo di auto mutuo aiuto."),
            audience=audience,
            facilitator_kind=FacilitatorKind.PEER if rng.random() < 0.7 else FacilitatorKind.NON_PEER,
            venue=venue,
            online_url=f"https://meet.example/{SLUG_PREFIX}{index:06d}" if has_link else "",
            accessibility_notes="Sala al piano terra." if venue and venue.step_free else "",
            entry=Entry.CLOSED if rng.random() < 0.15 else Entry.OPEN,
            accepting_newcomers=rng.random() < 0.9,
            status=rng.choices(self.statuses, weights=self.status_weights)[0],
            start_mode=rng.choice(self.start_modes),
        )

    def _schedule(self, rng: random.Random, group: Group) -> Schedule:
        template = rng.choices(self.rhythms, weights=self.rhythm_weights)[0]
        weekday = rng.choices(range(7), weights=WEEKDAY_WEIGHTS)[0]
        other = (weekday + 3) % 7
        rule = template.format(day=RRULE_DAYS[weekday], other=RRULE_DAYS[other])
        start, minutes = rng.choices(self.starts, weights=self.start_weights)[0]
        if group.status in (GroupStatus.PLANNED, GroupStatus.PROMOTING):
            starts_on = self.today + timedelta(days=rng.randint(7, 90))
        else:
            starts_on = self.today - timedelta(days=rng.randint(0, 180))
        return Schedule(
            group=group,
            rrule=rule,
            starts_on=starts_on,
            start_time=self.times[start],
            duration_minutes=minutes,
        )


def _cumulative(weights):
    total = 0.0
    for weight in weights:
        total += weight
        yield total
