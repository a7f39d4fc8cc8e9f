"""Directory search benchmark: the real API against a single hand-written SQL query.

    .venv/bin/python bench/directory.py        (or: make bench)

The search a newcomer runs most: one theme, 25 km around a town, one weekday,
the first page of 20 groups by distance with their next meetings. It is timed

  APP  through the API in-process (django.test.Client: URL routing, middleware,
       form validation, place lookup, search, serialisation, JSON);
  SQL  as one raw query on the same connection that does the same filtering,
       ordering and next-meetings lookup, with the place already resolved: the
       floor no ORM can beat;
  HTML the public results page for the same searches (/it/groups/?…): the search
       plus rendering, to keep rendering cheap next to the search itself;
  TEXT a one-word text search through the API (/api/v1/groups?q=…), served by the
       database's full-text engine (SQLite FTS5, PostgreSQL with unaccent).

The database is data/bench.sqlite3 (or BENCH_DATABASE_URL), seeded once with
100,000 synthetic groups (manage.py seed_synthetic) and reused afterwards.
Results go to bench/results/directory.json.
"""

import json
import math
import os
import platform
import random
import statistics
import sys
import time
import warnings
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "cerchio.settings"
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{ROOT / 'data' / 'bench.sqlite3'}"
# Measure what production runs: no debug cursor recording every query.
os.environ.setdefault("DEBUG", "false")

import django  # noqa: E402

# Static files are not collected for a benchmark; WhiteNoise would say so on every run.
warnings.filterwarnings("ignore", message="No directory at")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from directory.management.commands.seed_synthetic import ASSOCIATION_SLUG  # noqa: E402
from directory.places import resolve_place  # noqa: E402
from directory.search import NEXT_MEETINGS  # noqa: E402
from lib.geo import EARTH_RADIUS_KM, bounding_box  # noqa: E402
from network import fulltext, recurrence  # noqa: E402
from network.models import Group, GroupStatus, Theme, Venue  # noqa: E402

GROUPS = int(os.environ.get("BENCH_GROUPS", "100000"))
QUERIES = int(os.environ.get("BENCH_QUERIES", "300"))
WARMUP = 30
RADIUS_KM = 25
PAGE_SIZE = 20
TOWNS = 40  # the biggest towns of the synthetic network
RESULTS = ROOT / "bench" / "results" / "directory.json"
KEPT_BY_HAND = ("text_vs_tsml",)  # the text search beside another directory, docs/benchmarks.md

# Bounding box first (an index range on latitude), then the exact haversine distance
# of lib.geo, written out so it rounds the same way; the page of 20 is ranked
# once (MATERIALIZED keeps the planner from re-running it per meeting row).
FLOOR_SQL = """
WITH box AS MATERIALIZED (
    SELECT g.id, g.slug, g.name, g.audience, g.entry, g.accepting_newcomers, g.status,
           g.venue_id, g.online_url, g.latitude, g.longitude
    FROM network_group AS g
    JOIN network_group_themes AS gt ON gt.group_id = g.id
    WHERE gt.theme_id = %(theme)s
      AND g.status IN (%(active)s, %(promoting)s)
      AND g.latitude BETWEEN %(min_lat)s AND %(max_lat)s
      AND g.longitude BETWEEN %(min_lon)s AND %(max_lon)s
      AND (g.meeting_weekdays & %(bit)s) = %(bit)s
),
measured AS (
    SELECT box.*,
           2 * %(earth_radius)s * asin({least}(1.0, sqrt(
               power(sin((radians(box.latitude) - %(phi)s) / 2), 2)
               + %(cos_phi)s * cos(radians(box.latitude)) * power(sin(radians(box.longitude - %(lon)s) / 2), 2)
           ))) AS distance
    FROM box
),
page AS MATERIALIZED (
    SELECT measured.*, count(*) OVER () AS total
    FROM measured
    WHERE distance <= %(radius)s
    ORDER BY distance, id
    LIMIT %(page_size)s
),
ranked AS (
    SELECT m.group_id, m.starts_at, m.ends_at, m.is_cancelled, m.is_changed, m.note, m.venue_id, m.schedule_id,
           row_number() OVER (PARTITION BY m.group_id ORDER BY m.starts_at, m.id) AS position
    FROM network_meeting AS m
    WHERE m.group_id IN (SELECT id FROM page) AND m.starts_at >= %(now)s AND m.is_scheduled = %(scheduled)s
)
SELECT page.slug, page.name, page.distance, page.total, page.audience, page.entry, page.accepting_newcomers,
       page.status, page.online_url, gv.comune,
       r.starts_at, r.ends_at, r.is_cancelled, r.is_changed, r.note, s.timezone, mv.comune
FROM page
LEFT JOIN network_venue AS gv ON gv.id = page.venue_id
LEFT JOIN ranked AS r ON r.group_id = page.id AND r.position <= %(meetings)s
LEFT JOIN network_schedule AS s ON s.id = r.schedule_id
LEFT JOIN network_venue AS mv ON mv.id = r.venue_id
ORDER BY page.distance, page.id, r.position
"""


def prepare_database() -> None:
    print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable")  # the results page keeps the network's area there
    call_command("load_places")
    started = time.monotonic()
    call_command("seed_synthetic", groups=GROUPS)
    print(f"Seeding step: {time.monotonic() - started:.1f} s")
    # A migration may have rebuilt a table (SQLite does so to drop a column) and with it
    # lost the planner's statistics; both sides of the benchmark need them.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def plan_queries() -> list[dict]:
    """Varied searches: theme × one of the biggest towns × weekday, deterministic."""
    themes = list(Theme.objects.filter(groups__association__slug=ASSOCIATION_SLUG).distinct().order_by("slug"))
    towns = list(
        Venue.objects.filter(association__slug=ASSOCIATION_SLUG)
        .values("comune")
        .annotate(n=Count("id"))
        .order_by("-n", "comune")
        .values_list("comune", flat=True)[:TOWNS]
    )
    origins = {town: resolve_place(town) for town in towns}
    rng = random.Random(20250901)
    queries = []
    for _ in range(WARMUP + QUERIES):
        town = rng.choice(towns)
        theme, weekday = rng.choice(themes), rng.randint(1, 7)
        queries.append({"theme": theme, "town": town, "origin": origins[town], "weekday": weekday})
    return queries


def api_url(query: dict) -> str:
    params = {
        "theme": query["theme"].slug,
        "place": query["town"],
        "radius_km": RADIUS_KM,
        "weekday": query["weekday"],
        "page_size": PAGE_SIZE,
    }
    return f"/api/v1/groups?{urlencode(params)}"


def floor_params(query: dict) -> dict:
    origin = query["origin"]
    min_lat, max_lat, min_lon, max_lon = bounding_box(origin.latitude, origin.longitude, RADIUS_KM)
    phi = math.radians(origin.latitude)
    bit = recurrence.weekday_bit(query["weekday"])
    return {
        "theme": query["theme"].pk,
        "active": GroupStatus.ACTIVE.value,
        "promoting": GroupStatus.PROMOTING.value,
        "min_lat": min_lat,
        "max_lat": max_lat,
        "min_lon": min_lon,
        "max_lon": max_lon,
        "bit": bit,
        "earth_radius": EARTH_RADIUS_KM,
        "phi": phi,
        "cos_phi": math.cos(phi),
        "lon": origin.longitude,
        "radius": RADIUS_KM,
        "page_size": PAGE_SIZE,
        "now": connection.ops.adapt_datetimefield_value(timezone.now()),
        "scheduled": True,
        "meetings": NEXT_MEETINGS,
    }


def run_app(client: Client, query: dict) -> tuple[float, dict]:
    url = api_url(query)
    started = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code, response.content[:500])
    return elapsed, response


def html_url(query: dict) -> str:
    params = {
        "theme": query["theme"].slug,
        "place": query["town"],
        "radius_km": RADIUS_KM,
        "weekday": query["weekday"],
    }
    return f"/it/groups/?{urlencode(params)}"


def run_html(client: Client, query: dict, expected: int) -> float:
    url = html_url(query)
    started = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code)
    # The same groups as the API: one card each.
    assert response.content.count(b'<li class="card">') == expected, (url, expected)
    return elapsed


def plan_words() -> list[str]:
    """One-word searches people type: theme words and their variants, and town names."""
    words = set()
    for theme in Theme.objects.filter(groups__association__slug=ASSOCIATION_SLUG).distinct():
        words.update(fulltext.query_words(theme.name_it)[:1])
        words.update(word for synonym in theme.synonym_list for word in fulltext.query_words(synonym)[:1])
    towns = (
        Venue.objects.filter(association__slug=ASSOCIATION_SLUG)
        .values("comune")
        .annotate(n=Count("id"))
        .order_by("-n", "comune")
        .values_list("comune", flat=True)[:TOWNS]
    )
    words.update(fulltext.query_words(town)[0] for town in towns if fulltext.query_words(town))
    words = sorted(word for word in words if len(word) > 2)
    rng = random.Random(20250902)
    return [rng.choice(words) for _ in range(WARMUP + QUERIES)]


def run_text(client: Client, word: str) -> tuple[float, int]:
    url = f"/api/v1/groups?{urlencode({'q': word, 'page_size': PAGE_SIZE})}"
    started = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code)
    return elapsed, response.json()["count"]


def run_sql(cursor, sql: str, query: dict) -> tuple[float, list]:
    params = floor_params(query)
    started = time.perf_counter()
    cursor.execute(sql, params)
    rows = cursor.fetchall()
    elapsed = time.perf_counter() - started
    return elapsed, rows


def verify(query: dict, response, rows: list) -> bool:
    """Same groups, same order, same distances and the same next meetings."""
    body = response.json()
    api = [
        (
            group["slug"],
            group["distance_km"],
            [datetime.fromisoformat(meeting["start"]).astimezone(UTC) for meeting in group["next_meetings"]],
        )
        for group in body["results"]
    ]
    floor, seen = [], {}
    for row in rows:
        slug, distance, starts_at = row[0], row[2], row[10]
        if slug not in seen:
            seen[slug] = (slug, round(distance, 2), [])
            floor.append(seen[slug])
        if starts_at is not None:
            seen[slug][2].append(_utc(starts_at))
    total = rows[0][3] if rows else 0
    if api != floor or total != body["count"]:
        print(f"WARNING: API and SQL floor disagree for {api_url(query)}")
        print(f"  API:   count={body['count']} {[item[:2] for item in api]}")
        print(f"  floor: count={total} {[item[:2] for item in floor]}")
        return False
    return True


def _utc(value) -> datetime:
    """A datetime column as the cursor returns it (naive UTC on SQLite), in UTC."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor()
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
        else:
            cursor.execute("SELECT version()")
        version = cursor.fetchone()[0]
    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "database": f"{connection.vendor} {version}",
    }


def main() -> None:
    prepare_database()
    groups = Group.objects.count()
    queries = plan_queries()
    print(
        f"{groups:,} groups; {QUERIES} searches (+{WARMUP} warm-up): theme + {RADIUS_KM} km around one of "
        f"{TOWNS} towns + weekday, first {PAGE_SIZE} by distance with their next {NEXT_MEETINGS} meetings"
    )
    sql = FLOOR_SQL.format(least="min" if connection.vendor == "sqlite" else "least")
    client = Client()
    words = plan_words()
    app_times, sql_times, html_times, text_times, text_counts, mismatches, results_sizes = [], [], [], [], [], 0, []
    with connection.cursor() as cursor:
        for number, (query, word) in enumerate(zip(queries, words, strict=True)):
            # Interleaved, so any noise on the machine hits every side alike.
            app_elapsed, response = run_app(client, query)
            sql_elapsed, rows = run_sql(cursor, sql, query)
            html_elapsed = run_html(client, query, len(response.json()["results"]))
            text_elapsed, text_count = run_text(client, word)
            if number < WARMUP:
                continue
            app_times.append(app_elapsed * 1000)
            sql_times.append(sql_elapsed * 1000)
            html_times.append(html_elapsed * 1000)
            text_times.append(text_elapsed * 1000)
            text_counts.append(text_count)
            results_sizes.append(len(response.json()["results"]))
            # Outside the timings: both must give the same groups, in the same order.
            if not verify(query, response, rows):
                mismatches += 1
    result = {
        "groups": groups,
        "queries": len(app_times),
        "app_p50_ms": round(statistics.median(app_times), 2),
        "app_p95_ms": round(percentile(app_times, 95), 2),
        "sql_p50_ms": round(statistics.median(sql_times), 2),
        "sql_p95_ms": round(percentile(sql_times, 95), 2),
    }
    result["ratio_p95"] = round(result["app_p95_ms"] / result["sql_p95_ms"], 2)
    result.update(
        {
            "html_p50_ms": round(statistics.median(html_times), 2),
            "html_p95_ms": round(percentile(html_times, 95), 2),
            "text_app_p50_ms": round(statistics.median(text_times), 2),
            "text_app_p95_ms": round(percentile(text_times, 95), 2),
            "text_matches_median": round(statistics.median(text_counts)),
        }
    )
    result["html_to_app_p50"] = round(result["html_p50_ms"] / result["app_p50_ms"], 2)
    result["load_average_1min"] = round(os.getloadavg()[0], 2)
    result["machine"] = machine()
    result["date"] = datetime.now(UTC).isoformat(timespec="seconds")

    print()
    print(f"{'':6} {'p50 ms':>8} {'p95 ms':>8}")
    print(f"{'APP':6} {result['app_p50_ms']:8.2f} {result['app_p95_ms']:8.2f}")
    print(f"{'SQL':6} {result['sql_p50_ms']:8.2f} {result['sql_p95_ms']:8.2f}")
    print(f"{'HTML':6} {result['html_p50_ms']:8.2f} {result['html_p95_ms']:8.2f}")
    print(f"{'TEXT':6} {result['text_app_p50_ms']:8.2f} {result['text_app_p95_ms']:8.2f}")
    print(f"ratio p95 (APP / SQL): {result['ratio_p95']:.2f}   target <= 2.0, APP p95 < 50 ms")
    print(f"ratio p50 (HTML / APP): {result['html_to_app_p50']:.2f}   target <= 1.5")
    print(
        f"text search: median {result['text_matches_median']} matching groups; "
        f"load average {result['load_average_1min']}"
    )
    print(f"groups per page: median {statistics.median(results_sizes):.0f}, min {min(results_sizes)}")
    print(f"API and SQL floor agree on {len(app_times) - mismatches} of {len(app_times)} searches")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    # Figures measured by hand (docs/benchmarks.md) stay until they are measured again.
    if RESULTS.exists():
        previous = json.loads(RESULTS.read_text())
        result.update({key: previous[key] for key in KEPT_BY_HAND if key in previous})
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(f"Written {RESULTS}")


if __name__ == "__main__":
    main()
