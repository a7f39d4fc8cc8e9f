"""The personal-data export as people read it: sections and fields with their names, not table names.

The same data as the JSON export (privacy.services.user_export), labelled from the
models' own verbose names, with choices shown by their label.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from privacy.registry import REGISTRY


@dataclass
class Section:
    title: str
    rows: list[list[tuple[str, str]]]  # each row: (label, value) pairs


def _field(model, lookup: str):
    """The model field a lookup such as "group__name" ends on (None if it cannot be followed)."""
    field = None
    for part in lookup.split("__"):
        if model is None:
            return None
        try:
            field = model._meta.pk if part == "pk" else model._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        model = field.related_model if field.is_relation else None
    return field


def _label(model, lookup: str) -> str:
    field = _field(model, lookup)
    if field is None:
        return lookup.replace("__", " ").replace("_", " ")
    if "__" in lookup:
        # "group__name": the related object's name is best called by the relation ("gruppo").
        first = model._meta.get_field(lookup.split("__")[0])
        return capfirst(str(first.verbose_name))
    return capfirst(str(field.verbose_name))


def _value(field, value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("sì") if value else _("no")
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, date):
        return formats.date_format(value, "DATE_FORMAT")
    choices = dict(field.flatchoices) if field is not None and field.choices else {}
    return str(choices.get(value, value))


def readable_export(data: dict) -> list[Section]:
    """Sections with human labels, in the registry's order; empty sections are left out."""
    sections = []
    for label, rows in data.get("data", {}).items():
        if not rows:
            continue
        entry = REGISTRY.get(label)
        try:
            model = apps.get_model(label)
        except LookupError:
            model = None
        fields = list(entry.export_fields) if entry else list(rows[0])
        title = capfirst(str(model._meta.verbose_name_plural)) if model else label
        resolved = {name: _field(model, name) if model else None for name in fields}
        labels = [_label(model, name) if model else name for name in fields]
        sections.append(
            Section(
                title=title,
                rows=[
                    [(label, _value(resolved[name], row.get(name))) for label, name in zip(labels, fields, strict=True)]
                    for row in rows
                ],
            )
        )
    return sections
