"""The companion's personal data, in the privacy registry.

Attendance and agreements hold no person (counts, and practical agreements of the
group); the self-reflection is its author's, exported to them alone and erased with them.
"""

from privacy.registry import register

register(
    "companion.reflection",
    owners=("author",),
    export_fields=(
        "meeting__group__name",
        "meeting__starts_at",
        "went_well",
        "hard",
        "note",
        "share_totals",
        "created_at",
        "updated_at",
    ),
    retention="reflection",
    retention_field="created_at",
    why="a facilitator's private self-reflection after a meeting; the note is encrypted; only its author reads it",
)
