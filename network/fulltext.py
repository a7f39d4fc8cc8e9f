"""Full-text search over the groups' search text, in the database's own engine.

The text searched is `Group.search_text`: name, description, place, theme names and
the themes' variants and synonyms, folded (lower case, no accents) by the services.

- SQLite: an FTS5 table, `network_group_fts`, one row per group (rowid = group id).
  The services write it in the same transaction as the search columns
  (`index_groups`, called by `group_refresh_search_fields`); bulk writers call it too.
- PostgreSQL: a GIN index on `to_tsvector('cerchio', search_text)`, where the text
  search configuration `cerchio` is `simple` with `unaccent` first. The index follows
  the column by itself, so nothing more is written.
- Any other database: the folded words are looked for inside the text (no index).

Words match by prefix ("alcol" finds "alcolismo"), all words must match, and only
letters and digits ever reach the engine's query syntax: what people type cannot
break it.
"""

import re
from collections.abc import Iterable

from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

from lib.text import fold

FTS_TABLE = "network_group_fts"
TS_CONFIG = "cerchio"
MAX_WORDS = 8
_WORD = re.compile(r"[^\W_]+")


def query_words(text: str) -> list[str]:
    """The words of a search, folded; elided articles ("l'", "d'") are dropped when longer words remain."""
    words = _WORD.findall(fold(text or ""))
    longer = [word for word in words if len(word) > 1]
    return (longer or words)[:MAX_WORDS]


def index_groups(rows: Iterable[tuple[int, str]]) -> None:
    """Write the full-text rows of some groups from their (id, search_text); SQLite only."""
    if connection.vendor != "sqlite":
        return
    rows = list(rows)
    if not rows:
        return
    with connection.cursor() as cursor:
        cursor.executemany(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [(pk,) for pk, _text in rows])  # noqa: S608
        cursor.executemany(f"INSERT INTO {FTS_TABLE} (rowid, search_text) VALUES (%s, %s)", rows)  # noqa: S608


def matching(groups: QuerySet, text: str) -> QuerySet:
    """The groups whose search text holds every word of `text` (by prefix)."""
    words = query_words(text)
    if not words:
        return groups
    if connection.vendor == "sqlite":
        expression = " AND ".join(f'"{word}"*' for word in words)
        # Only constants and placeholders are interpolated; the words travel as a parameter.
        ids = RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [expression])  # noqa: S608, S611
        return groups.filter(pk__in=ids)
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(groups.model._meta.db_table)
        condition = RawSQL(  # noqa: S611 (constants and placeholders only)
            f"to_tsvector('{TS_CONFIG}'::regconfig, {table}.\"search_text\") "
            f"@@ to_tsquery('{TS_CONFIG}'::regconfig, %s)",
            [" & ".join(f"{word}:*" for word in words)],
            output_field=BooleanField(),
        )
        return groups.filter(condition)
    for word in words:
        groups = groups.filter(search_text__contains=word)
    return groups
