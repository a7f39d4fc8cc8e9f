import csv
import io
import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from lib.charts import PLOT_BOTTOM, PLOT_TOP, Series, bar_chart, nice_ticks
from lib.figures import csv_response, suppress, suppressed_label

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def _bars(root: ET.Element) -> list[ET.Element]:
    return [rect for rect in root.iter(f"{SVG}rect") if rect.find(f"{SVG}title") is not None]


def test_bars_are_proportional_to_their_values():
    root = _parse(bar_chart(title="Incontri", categories=["gen", "feb", "mar"], series=[Series("Incontri", [4, 8, 2])]))
    heights = [float(bar.get("height")) for bar in _bars(root)]
    assert len(heights) == 3
    assert heights[1] == pytest.approx(2 * heights[0]) and heights[0] == pytest.approx(2 * heights[2])
    # The tallest bar reaches no higher than the top of the plot.
    assert min(float(bar.get("y")) for bar in _bars(root)) >= PLOT_TOP


def test_stacked_bars_sit_on_each_other():
    root = _parse(
        bar_chart(
            title="Esiti",
            categories=["gen"],
            series=[Series("Entrati", [3]), Series("Non interessati", [5])],
            stacked=True,
        )
    )
    first, second = _bars(root)
    assert float(first.get("y")) + float(first.get("height")) == pytest.approx(PLOT_BOTTOM)
    assert float(second.get("y")) + float(second.get("height")) == pytest.approx(float(first.get("y")), abs=0.2)
    assert first.get("fill") != second.get("fill")
    legend = [text.text for text in root.iter(f"{SVG}text")]
    assert "Entrati" in legend and "Non interessati" in legend


def test_a_suppressed_value_draws_no_bar_and_says_less_than_three():
    root = _parse(bar_chart(title="Nuove persone", categories=["gen", "feb"], series=[Series("Nuove", [None, 6])]))
    assert len(_bars(root)) == 1
    texts = "".join(root.itertext())
    assert "<3" in texts


def test_text_is_escaped_and_the_chart_is_an_accessible_image():
    svg = bar_chart(
        title="<script>alert(1)</script>",
        categories=['"><b>'],
        series=[Series("a&b", [1])],
        description="Descrizione",
    )
    root = _parse(svg)  # still well-formed XML
    assert "<script>" not in svg and root.get("role") == "img"
    title = root.find(f"{SVG}title")
    assert title.text == "<script>alert(1)</script>"
    assert root.get("aria-labelledby") == f"{title.get('id')} {root.find(f'{SVG}desc').get('id')}"


def test_series_of_the_wrong_length_are_refused():
    with pytest.raises(ValueError):
        bar_chart(title="x", categories=["a", "b"], series=[Series("s", [1])])
    with pytest.raises(ValueError):
        bar_chart(title="x", categories=["a"], series=[])


@pytest.mark.parametrize(
    ("maximum", "expected"),
    [(0, [0, 1]), (3, [0, 1, 2, 3]), (7, [0, 2, 4, 6, 8]), (95, [0, 25, 50, 75, 100]), (1234, [0, 500, 1000, 1500])],
)
def test_ticks_are_round_and_cover_the_maximum(maximum, expected):
    assert nice_ticks(maximum) == expected


def test_counts_below_three_are_suppressed_but_zero_is_not():
    assert [suppress(v) for v in (None, 0, 1, 2, 3, 40)] == [None, 0, None, None, 3, 40]
    with translation.override("it"):
        assert suppressed_label(2) == "meno di 3"
        assert suppressed_label(0) == "0"
    with translation.override("en"):
        assert suppressed_label(1) == "fewer than 3"


def test_csv_neutralises_formulas_and_keeps_accents():
    response = csv_response(
        filename="cifre.csv",
        header=["tema", "richieste"],
        rows=[['=HYPERLINK("http://x")', 4], ["Perdità", -2], ["@cmd", None]],
    )
    assert response["Content-Disposition"] == 'attachment; filename="cifre.csv"'
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows == [["tema", "richieste"], ['\'=HYPERLINK("http://x")', "4"], ["Perdità", "-2"], ["'@cmd", ""]]
