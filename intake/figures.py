"""The association's intake figures: requests per month by outcome and by theme, time to first contact.

Everything shown or exported leaves the queue, so small counts are suppressed (lib/figures.py):
a count of 1 or 2 becomes "meno di 3". Where a total is published next to its parts, one
hidden part could be worked out by subtraction, so a second part is hidden with it
(`suppress_cells`); a share is shown only when both of its parts are.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time
from statistics import median

from dateutil.relativedelta import relativedelta
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from intake.models import IntakeRequest, Outcome, RequestState
from lib.figures import MINIMUM_CELL, suppress, suppressed_label
from network.models import Association, Theme

OPEN = "open"
# The columns of "requests per month": the closed outcomes, then those still open.
OUTCOMES: list[tuple[str, str]] = [*Outcome.choices, (OPEN, gettext_lazy("ancora aperte"))]
MONTHS = 12
CHART_THEMES = 10  # the chart shows the most asked themes; the table lists them all


def suppress_cells(values: list[int]) -> list[int | None]:
    """Suppress small counts among parts whose total is published: never exactly one hidden part."""
    shown = [suppress(value) for value in values]
    hidden = [index for index, value in enumerate(shown) if value is None]
    if len(hidden) == 1:
        others = [index for index, value in enumerate(shown) if value]
        if others:
            shown[min(others, key=lambda index: (values[index], index))] = None
    return shown


def cell_label(value: int | None, shown: int | None) -> str:
    """How a cell reads: the number, "meno di 3", or "non diffuso" when hidden to protect another cell."""
    if shown is not None:
        return str(shown)
    if value is not None and 0 < value < MINIMUM_CELL:
        return suppressed_label(value)
    return _("non diffuso")


@dataclass
class Cell:
    value: int
    shown: int | None

    @property
    def label(self) -> str:
        return cell_label(self.value, self.shown)


@dataclass
class MonthRow:
    month: date
    received: Cell
    outcomes: list[Cell]
    on_time: Cell
    late: Cell
    share_on_time: int | None  # per cent, only when both parts are shown
    median_hours: float | None  # only with at least 3 first contacts

    @property
    def label(self) -> str:
        return formats.date_format(self.month, "M Y")


@dataclass
class ThemeRow:
    theme: Theme | None
    count: Cell

    @property
    def label(self) -> str:
        return str(self.theme) if self.theme is not None else _("tema non indicato")


@dataclass
class Figures:
    association: Association
    first_month: date
    last_month: date
    months: list[MonthRow]
    themes: list[ThemeRow]
    total: Cell
    on_time: Cell
    late: Cell
    share_on_time: int | None
    median_hours: float | None
    outcome_labels: list[str] = field(default_factory=list)


def _month(moment: datetime) -> date:
    return timezone.localtime(moment).date().replace(day=1)


def _share(on_time: Cell, late: Cell) -> int | None:
    if on_time.shown is None or late.shown is None or on_time.shown + late.shown == 0:
        return None
    return round(100 * on_time.shown / (on_time.shown + late.shown))


def _median_hours(durations: list[float]) -> float | None:
    if len(durations) < MINIMUM_CELL:
        return None
    return round(median(durations) / 3600, 1)


def _timing(created_at, deadline_at, first_contact_at, closed_at, now) -> str | None:
    """ "on_time", "late", or None when the request does not count (closed before its deadline, uncontacted)."""
    if first_contact_at is not None:
        return "on_time" if first_contact_at <= deadline_at else "late"
    if deadline_at < now and (closed_at is None or closed_at > deadline_at):
        return "late"
    return None


def period(*, today: date, year: int | None = None) -> tuple[date, date]:
    """The months shown: a calendar year, or the last twelve months up to this one."""
    if year is not None:
        return date(year, 1, 1), date(year, 12, 1)
    last = today.replace(day=1)
    return last - relativedelta(months=MONTHS - 1), last


def association_figures(association: Association, *, today: date | None = None, year: int | None = None) -> Figures:
    now = timezone.now()
    today = today or timezone.localdate()
    first, last = period(today=today, year=year)
    start = timezone.make_aware(datetime.combine(first, time.min))
    end = timezone.make_aware(datetime.combine(last + relativedelta(months=1), time.min))
    rows = IntakeRequest.objects.filter(association=association, created_at__gte=start, created_at__lt=end).values_list(
        "created_at", "state", "outcome", "theme_id", "deadline_at", "first_contact_at", "closed_at"
    )
    months: list[date] = []
    cursor = first
    while cursor <= last:
        months.append(cursor)
        cursor += relativedelta(months=1)
    columns = [value for value, _label in OUTCOMES]
    counts = {month: dict.fromkeys(columns, 0) for month in months}
    timing = {month: {"on_time": 0, "late": 0} for month in months}
    durations: dict[date, list[float]] = {month: [] for month in months}
    by_theme: dict[int | None, int] = {}
    for created_at, state, outcome, theme_id, deadline_at, first_contact_at, closed_at in rows:
        month = _month(created_at)
        if month not in counts:
            continue
        counts[month][outcome if state == RequestState.CLOSED and outcome else OPEN] += 1
        by_theme[theme_id] = by_theme.get(theme_id, 0) + 1
        kind = _timing(created_at, deadline_at, first_contact_at, closed_at, now)
        if kind:
            timing[month][kind] += 1
        if first_contact_at is not None:
            durations[month].append(max((first_contact_at - created_at).total_seconds(), 0))

    received = [sum(counts[month].values()) for month in months]
    received_shown = suppress_cells(received)
    month_rows = []
    for index, month in enumerate(months):
        values = [counts[month][column] for column in columns]
        shown = suppress_cells(values)
        if received_shown[index] is None:  # a hidden total hides its parts too
            shown = [0 if value == 0 else None for value in values]
        on_time, late = timing[month]["on_time"], timing[month]["late"]
        on_time_shown, late_shown = suppress_cells([on_time, late])
        on_time_cell, late_cell = Cell(on_time, on_time_shown), Cell(late, late_shown)
        month_rows.append(
            MonthRow(
                month=month,
                received=Cell(received[index], received_shown[index]),
                outcomes=[Cell(value, shown_value) for value, shown_value in zip(values, shown, strict=True)],
                on_time=on_time_cell,
                late=late_cell,
                share_on_time=_share(on_time_cell, late_cell),
                median_hours=_median_hours(durations[month]),
            )
        )

    themes = {theme.pk: theme for theme in Theme.objects.filter(pk__in=[pk for pk in by_theme if pk is not None])}
    ordered = sorted(by_theme.items(), key=lambda item: (-item[1], str(themes.get(item[0], "~"))))
    theme_shown = suppress_cells([count for _pk, count in ordered])
    theme_rows = [
        ThemeRow(theme=themes.get(pk) if pk is not None else None, count=Cell(count, shown))
        for (pk, count), shown in zip(ordered, theme_shown, strict=True)
    ]
    total_on_time = sum(item["on_time"] for item in timing.values())
    total_late = sum(item["late"] for item in timing.values())
    on_time_shown, late_shown = suppress_cells([total_on_time, total_late])
    total_on_time_cell, total_late_cell = Cell(total_on_time, on_time_shown), Cell(total_late, late_shown)
    total = sum(received)
    return Figures(
        association=association,
        first_month=first,
        last_month=last,
        months=month_rows,
        themes=theme_rows,
        total=Cell(total, suppress(total)),
        on_time=total_on_time_cell,
        late=total_late_cell,
        share_on_time=_share(total_on_time_cell, total_late_cell),
        median_hours=_median_hours([value for values in durations.values() for value in values]),
        outcome_labels=[str(label) for _value, label in OUTCOMES],
    )


def years_with_requests(association: Association) -> list[int]:
    dates = IntakeRequest.objects.filter(association=association).dates("created_at", "year", order="DESC")
    return [value.year for value in dates]


def month_table(figures: Figures) -> tuple[list[str], list[list[str]]]:
    """The per-month table as text cells, for the CSV (the same values as the page)."""
    header = [
        _("mese"),
        _("richieste ricevute"),
        *figures.outcome_labels,
        _("contattate in tempo"),
        _("contattate in ritardo"),
        _("quota in tempo (%)"),
        _("tempo mediano al primo contatto (ore)"),
    ]
    rows = [
        [
            row.month.strftime("%Y-%m"),
            row.received.label,
            *[cell.label for cell in row.outcomes],
            row.on_time.label,
            row.late.label,
            "" if row.share_on_time is None else str(row.share_on_time),
            "" if row.median_hours is None else f"{row.median_hours:g}",
        ]
        for row in figures.months
    ]
    return header, rows


def theme_table(figures: Figures) -> tuple[list[str], list[list[str]]]:
    return [_("tema"), _("richieste ricevute")], [[row.label, row.count.label] for row in figures.themes]
