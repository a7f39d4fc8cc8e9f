"""Figures that leave the association: small counts suppressed, CSV that spreadsheets read safely.

Italian statistical practice sets 3 as the smallest cell that may be published: a count
of 1 or 2 people can identify someone in a small town. Every figure shown to an
association or exported goes through `suppress`; the page says "meno di 3" instead.
"""

import csv
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from django.utils.translation import gettext as _

MINIMUM_CELL = 3


def suppress(value: int | None, *, minimum: int = MINIMUM_CELL) -> int | None:
    """The count, or None where it is too small to publish (zero is published: it names nobody)."""
    if value is None:
        return None
    if 0 < value < minimum:
        return None
    return value


def suppressed_label(value: int | None, *, minimum: int = MINIMUM_CELL) -> str:
    """How a cell reads on a page or in a file: the number, or "meno di 3"."""
    shown = suppress(value, minimum=minimum)
    if shown is None:
        return _("meno di %(minimum)d") % {"minimum": minimum} if value is not None else "–"
    return str(shown)


def _safe_cell(value) -> str:
    """Spreadsheets run a cell that starts with = + - @ as a formula: such text is quoted."""
    text = "" if value is None else str(value)
    if text and text[0] in "=+-@\t\r" and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def csv_response(*, filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    """A CSV download (UTF-8 with a BOM, so spreadsheet programs read accented letters right).

    The caller suppresses small counts before; this only writes and neutralises formulas.
    """
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([_safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([_safe_cell(cell) for cell in row])
    return response
