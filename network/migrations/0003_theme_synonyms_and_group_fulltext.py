"""Themes get variants and synonyms; the groups' search text gets the database's full-text engine.

SQLite: an FTS5 table filled from the search text (network/fulltext.py keeps it right).
PostgreSQL: the `unaccent` extension, a text search configuration `cerchio` (simple,
accents removed) and a GIN index on the search text under that configuration.
"""

from django.db import migrations, models

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS network_group_fts USING fts5(search_text, tokenize = 'unicode61 remove_diacritics 2')",
    "DELETE FROM network_group_fts",
    "INSERT INTO network_group_fts (rowid, search_text) SELECT id, search_text FROM network_group",
]
SQLITE_BACKWARD = ["DROP TABLE IF EXISTS network_group_fts"]

POSTGRESQL_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    """DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'cerchio') THEN
            CREATE TEXT SEARCH CONFIGURATION cerchio (COPY = simple);
            ALTER TEXT SEARCH CONFIGURATION cerchio
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
        END IF;
    END $$""",
    "CREATE INDEX IF NOT EXISTS group_search_text_fts ON network_group "
    "USING gin (to_tsvector('cerchio'::regconfig, search_text))",
]
POSTGRESQL_BACKWARD = [
    "DROP INDEX IF EXISTS group_search_text_fts",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS cerchio",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0002_venue_schedule_updated_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="theme",
            name="synonyms",
            field=models.TextField(
                blank=True,
                db_default="",
                help_text="Altri modi in cui le persone chiamano questo tema, separati da virgole: per esempio «alcool, alcolismo».",
                verbose_name="varianti e sinonimi",
            ),
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRESQL_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRESQL_BACKWARD}),
        ),
    ]
