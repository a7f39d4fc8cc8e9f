"""A page of search results straight from database rows, for the API and the results page.

Building model instances cost more than the whole search: a page of 20 groups was about
170 of them (up to 120 meetings with five date columns each). The pages need none of
their behaviour, only some columns, so a few queries of only those columns fill plain
tuples: the groups with their venue, their themes, their next meetings with their
schedule's time zone and their own venue's comune, and (for the results page) how
often they meet.

The SQL is written out: the ORM took longer to build such queries than the database took
to run them. Only quoted table names and placeholders are interpolated.
"""

from datetime import UTC, datetime, time
from functools import lru_cache
from typing import NamedTuple

from django.db import connection
from django.utils import timezone
from django.utils.translation import get_language

from network import recurrence
from network.models import STARTING_STATUSES, Format, Group, Meeting, Schedule, Theme, Venue

NEXT_MEETINGS = 6  # shown with each group found


class ThemeRow(NamedTuple):
    slug: str
    name_it: str
    name_en: str

    @property
    def name(self) -> str:
        """As Theme.name: English on English pages where there is one."""
        return self.name_en if (get_language() or "it").startswith("en") and self.name_en else self.name_it


class MeetingRow(NamedTuple):
    starts_at: datetime
    ends_at: datetime
    is_cancelled: bool
    is_changed: bool
    note: str
    timezone: str  # its schedule's
    comune: str | None  # of its own venue (a meeting may be moved elsewhere)


class GroupRow(NamedTuple):
    id: int
    slug: str
    name: str
    name_en: str
    venue_id: int | None
    online_url: str
    audience: str
    entry: str
    accepting_newcomers: bool
    status: str
    language: str
    comune: str | None  # of its venue
    venue_name: str | None
    themes: list[ThemeRow]  # by Italian name
    next_meetings: list[MeetingRow]
    rhythms: list[str]  # its schedules in words, when asked for
    distance_km: float | None

    @property
    def format(self) -> str:
        """As Group.format."""
        if self.venue_id and self.online_url:
            return Format.HYBRID
        if self.online_url:
            return Format.ONLINE
        return Format.IN_PERSON

    @property
    def format_label(self) -> str:
        return Format(self.format).label

    @property
    def starting_soon(self) -> bool:
        return self.status in STARTING_STATUSES


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _marks(values) -> str:
    return ", ".join(["%s"] * len(values))


def aware(value) -> datetime:
    """A datetime column as the cursor gives it: text in UTC on SQLite, an aware datetime elsewhere."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def group_rows(
    ids: list[int],
    distances: dict[int, float] | None = None,
    *,
    next_meetings: int = NEXT_MEETINGS,
    rhythms: bool = False,
) -> list[GroupRow]:
    """The groups `ids`, in that order, with their themes, next meetings and (if asked) rhythms."""
    if not ids:
        return []
    themes = theme_rows(ids)
    meetings = next_meeting_rows(ids, next_meetings)
    described = rhythm_rows(ids) if rhythms else {}
    distances = distances or {}
    sql = (
        "SELECT g.id, g.slug, g.name, g.name_en, g.venue_id, g.online_url, g.audience, g.entry,"  # noqa: S608
        " g.accepting_newcomers, g.status, g.language, v.comune, v.name"
        f" FROM {_table(Group)} AS g LEFT JOIN {_table(Venue)} AS v ON v.id = g.venue_id"
        f" WHERE g.id IN ({_marks(ids)})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, ids)
        found = {row[0]: row for row in cursor.fetchall()}
    rows = []
    for pk in ids:
        *columns, accepting, status, language, comune, venue_name = found[pk]
        rows.append(
            GroupRow(
                *columns,
                bool(accepting),
                status,
                language,
                comune,
                venue_name,
                themes.get(pk, []),
                meetings.get(pk, []),
                described.get(pk, []),
                distances.get(pk),
            )
        )
    return rows


def group_row(group: Group) -> GroupRow:
    """The row of a group already loaded with its venue and themes (the API's group detail)."""
    venue = group.venue
    return GroupRow(
        group.pk,
        group.slug,
        group.name,
        group.name_en,
        group.venue_id,
        group.online_url,
        group.audience,
        group.entry,
        group.accepting_newcomers,
        group.status,
        group.language,
        venue.comune if venue else None,
        venue.name if venue else None,
        [ThemeRow(theme.slug, theme.name_it, theme.name_en) for theme in group.themes.all()],
        next_meeting_rows([group.pk]).get(group.pk, []),
        [],
        None,
    )


def theme_rows(ids: list[int]) -> dict[int, list[ThemeRow]]:
    """The themes of each group, by Italian name (as Python orders it, whatever the database's collation)."""
    links = _table(Group.themes.through)
    sql = (
        f"SELECT link.group_id, t.slug, t.name_it, t.name_en FROM {links} AS link"  # noqa: S608
        f" JOIN {_table(Theme)} AS t ON t.id = link.theme_id WHERE link.group_id IN ({_marks(ids)})"
        " ORDER BY link.id"
    )
    by_group: dict[int, list[ThemeRow]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, ids)
        for group_id, *theme in cursor.fetchall():
            by_group.setdefault(group_id, []).append(ThemeRow(*theme))
    for themes in by_group.values():
        themes.sort(key=lambda theme: theme.name_it)
    return by_group


def next_meeting_rows(ids: list[int], count: int = NEXT_MEETINGS) -> dict[int, list[MeetingRow]]:
    """The first `count` meetings from now of each group (cancelled ones included), in order.

    One short index range per group, joined by UNION ALL: numbering every upcoming
    meeting of the groups with a window function read and sorted three times as many
    rows. (SQLite allows 500 terms in a UNION; a page has at most 100 groups.)
    """
    if not ids:
        return {}
    one_group = (
        "SELECT * FROM (SELECT m.id, m.group_id, m.schedule_id, m.venue_id, m.starts_at, m.ends_at,"  # noqa: S608
        f" m.is_cancelled, m.is_changed, m.note FROM {_table(Meeting)} AS m"
        " WHERE m.group_id = %s AND m.starts_at >= %s AND m.is_scheduled = %s"
        " ORDER BY m.starts_at, m.id LIMIT %s) AS one_group"
    )
    sql = (
        "SELECT r.group_id, r.starts_at, r.ends_at, r.is_cancelled, r.is_changed, r.note, s.timezone, v.comune"  # noqa: S608
        f" FROM ({' UNION ALL '.join([one_group] * len(ids))}) AS r"
        f" JOIN {_table(Schedule)} AS s ON s.id = r.schedule_id"
        f" LEFT JOIN {_table(Venue)} AS v ON v.id = r.venue_id"
        " ORDER BY r.group_id, r.starts_at, r.id"
    )
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    by_group: dict[int, list[MeetingRow]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for pk in ids for value in (pk, now, True, count)])
        for group_id, starts_at, ends_at, cancelled, changed, note, zone, comune in cursor.fetchall():
            by_group.setdefault(group_id, []).append(
                MeetingRow(aware(starts_at), aware(ends_at), bool(cancelled), bool(changed), note, zone, comune)
            )
    return by_group


def rhythm_rows(ids: list[int]) -> dict[int, list[str]]:
    """How often each group meets, in words: one line per schedule, by start time."""
    sql = (
        f"SELECT group_id, rrule, start_time FROM {_table(Schedule)}"  # noqa: S608
        f" WHERE group_id IN ({_marks(ids)}) ORDER BY group_id, start_time, id"
    )
    by_group: dict[int, list[str]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, ids)
        for group_id, rule, start_time in cursor.fetchall():
            if isinstance(start_time, str):  # SQLite keeps times as text
                start_time = time.fromisoformat(start_time)
            by_group.setdefault(group_id, []).append(_described(rule, start_time, get_language()))
    return by_group


@lru_cache(maxsize=1024)
def _described(rule: str, start_time: time, language: str | None) -> str:
    """recurrence.describe, once per rhythm and language: most groups keep one of a few rhythms."""
    return recurrence.describe(rule, start_time)
