"""Bar charts drawn by the server as SVG: no script, no third-party request, readable printed.

A chart is an image with a title and a description for screen readers (`role="img"`);
pages show the same figures in a table next to it, which is the accessible version.
Values that are None are "not shown" (a count suppressed below 3, see lib/figures.py):
the chart writes "<3" where the bar would be instead of drawing it.

    bar_chart(
        title="Richieste per mese",
        categories=["gen", "feb", "mar"],
        series=[Series("Entrati in un gruppo", [4, None, 7]), Series("Non interessati", [3, 0, 5])],
        stacked=True,
    )
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import count

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Okabe–Ito: told apart by people with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#6B6B6B", "#000000"]
HEIGHT = 240
PLOT_TOP = 16
PLOT_BOTTOM = 196  # the baseline; category labels sit below it
LEFT = 44
CATEGORY_WIDTH = 56
_ids = count(1)


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float | int | None]


def nice_ticks(maximum: float) -> list[float]:
    """0 and 3–5 round steps up to at least `maximum` (counts of people get whole steps)."""
    if maximum <= 0:
        return [0, 1]
    if maximum <= 4 and float(maximum).is_integer():
        return list(range(0, int(maximum) + 1))
    raw = maximum / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    top = step * math.ceil(maximum / step)
    ticks = []
    value = 0.0
    while value <= top + step / 1000:
        ticks.append(round(value, 6))
        value += step
    return ticks


def _number(value: float) -> str:
    return f"{value:g}" if not float(value).is_integer() else str(int(value))


def bar_chart(
    *,
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    description: str = "",
    stacked: bool = False,
) -> SafeString:
    """An SVG bar chart: one group of bars per category, one bar per series (or one stack)."""
    if not series:
        raise ValueError("a chart needs at least one series")
    for each in series:
        if len(each.values) != len(categories):
            raise ValueError(f"series {each.label!r} has {len(each.values)} values for {len(categories)} categories")
    if stacked:
        totals = [sum(each.values[i] or 0 for each in series) for i in range(len(categories))]
    else:
        totals = [max((each.values[i] or 0 for each in series), default=0) for i in range(len(categories))]
    ticks = nice_ticks(max(totals, default=0))
    top = ticks[-1]
    width = LEFT + max(len(categories), 1) * CATEGORY_WIDTH + 8
    legend_rows = 0 if len(series) == 1 else len(series)
    height = HEIGHT + legend_rows * 18
    plot_height = PLOT_BOTTOM - PLOT_TOP

    def y(value: float) -> float:
        return PLOT_BOTTOM - (value / top) * plot_height

    uid = next(_ids)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="chart-{uid}-title chart-{uid}-desc" '
        f'preserveAspectRatio="xMinYMin meet" font-family="sans-serif" font-size="11">',
        f'<title id="chart-{uid}-title">{escape(title)}</title>',
        f'<desc id="chart-{uid}-desc">{escape(description)}</desc>',
    ]
    for tick in ticks:
        parts.append(f'<line x1="{LEFT}" x2="{width - 4}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#d0d0d0"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" fill="#333">{_number(tick)}</text>')
    bar_width = (CATEGORY_WIDTH - 12) / (1 if stacked else len(series))
    for index, category in enumerate(categories):
        x0 = LEFT + index * CATEGORY_WIDTH + 6
        base = 0.0
        for position, each in enumerate(series):
            value = each.values[index]
            x = x0 if stacked else x0 + position * bar_width
            label = escape(f"{each.label}, {category}: {'<3' if value is None else _number(value)}")
            if value is None:
                # Suppressed: say so where the bar would be, draw nothing.
                text_y = y(base) - 4 if stacked else PLOT_BOTTOM - 4
                parts.append(
                    f'<text x="{x + bar_width / 2:.1f}" y="{text_y:.1f}" text-anchor="middle" fill="#333" '
                    f'font-size="9"><title>{label}</title>&lt;3</text>'
                )
                continue
            start, end = (base, base + value) if stacked else (0, value)
            if value > 0:
                parts.append(
                    f'<rect x="{x:.1f}" y="{y(end):.1f}" width="{bar_width - 1:.1f}" '
                    f'height="{y(start) - y(end):.1f}" fill="{PALETTE[position % len(PALETTE)]}">'
                    f"<title>{label}</title></rect>"
                )
            if stacked:
                base = end
        parts.append(
            f'<text x="{x0 + (CATEGORY_WIDTH - 12) / 2:.1f}" y="{PLOT_BOTTOM + 16}" text-anchor="middle" '
            f'fill="#333">{escape(category)}</text>'
        )
    parts.append(f'<line x1="{LEFT}" x2="{width - 4}" y1="{PLOT_BOTTOM}" y2="{PLOT_BOTTOM}" stroke="#333"/>')
    if legend_rows:
        for position, each in enumerate(series):
            top_y = HEIGHT - 12 + position * 18
            parts.append(
                f'<rect x="{LEFT}" y="{top_y}" width="12" height="12" fill="{PALETTE[position % len(PALETTE)]}"/>'
            )
            parts.append(f'<text x="{LEFT + 18}" y="{top_y + 10}" fill="#333">{escape(each.label)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  every text above is escaped
