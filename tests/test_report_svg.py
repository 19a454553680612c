"""The SVG chart module on its own: shapes per level, titles, escaping, ranges, bars."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from cart_cli.report import svg

NS = "{http://www.w3.org/2000/svg}"


def draw(points, **kwargs) -> str:
    options = {"x_start": 0, "x_end": 10, "y_min": 36, "y_max": 38, "unit": "°C"} | kwargs
    return svg.chart("Temperature", [svg.Series("t", points)], **options)


@pytest.mark.parametrize(
    ("level", "tag", "css"),
    [
        (None, "circle", "pt"),
        ("amber", "path", "pt amber"),
        ("red", "path", "pt red"),
        ("emergency", "path", "pt red"),
    ],
)
def test_each_level_has_its_own_shape(level, tag, css):
    """Red is a triangle, amber a diamond, ordinary a circle: readable without colour."""
    tree = ET.fromstring(draw([svg.Point(1, 37, "a reading", level)]))
    marks = [el for el in tree.iter() if (el.get("class") or "").startswith("pt")]
    assert [(m.tag, m.get("class")) for m in marks] == [(NS + tag, css)]
    assert marks[0].find(NS + "title").text == "a reading"


def test_triangle_and_diamond_differ():
    red = svg.shape(10, 10, "red", "x")
    amber = svg.shape(10, 10, "amber", "x")
    assert red.count(" L") == 2 and amber.count(" L") == 3


def test_text_is_escaped_and_the_svg_is_well_formed():
    label = '<script>alert(1)</script> & "quotes"'
    markup = svg.chart(
        label,
        [svg.Series("t", [svg.Point(1, 37, label)])],
        x_start=0, x_end=2, y_min=36, y_max=38, unit=label,
        guides=[svg.Guide(37.5, label)], markers=[svg.Marker(1, label)], ticks=[svg.Tick(1, label, label)],
    )  # fmt: skip
    assert "<script" not in markup
    tree = ET.fromstring(markup)  # raises if anything broke the markup
    assert tree.find(NS + "title").text == label


def test_the_y_range_grows_to_hold_every_value_and_guide():
    """A value outside y_min..y_max is still inside the plot, and so is every guide line."""
    markup = draw([svg.Point(1, 41.2, "hot")], guides=[svg.Guide(35.0, "low")])
    labels = [float(el.text) for el in ET.fromstring(markup).iter(NS + "text") if el.get("class") == "ylab"]
    assert min(labels) <= 35.0 and max(labels) >= 41.2


def test_points_are_placed_left_to_right_by_x():
    tree = ET.fromstring(draw([svg.Point(2, 37, "a"), svg.Point(8, 37, "b")]))
    xs = [float(c.get("cx")) for c in tree.iter(NS + "circle")]
    assert xs[0] < xs[1]
    assert xs[0] == pytest.approx(svg.LEFT + 0.2 * (svg.WIDTH - svg.LEFT - svg.RIGHT), abs=0.1)


def test_higher_values_are_drawn_higher():
    tree = ET.fromstring(draw([svg.Point(2, 36.5, "a"), svg.Point(3, 37.5, "b")]))
    ys = [float(c.get("cy")) for c in tree.iter(NS + "circle")]
    assert ys[1] < ys[0]


def test_bars_start_at_the_bottom_and_have_titles():
    markup = svg.chart(
        "Fluids",
        [svg.Series("f", [svg.Point(1, 1.5, "1.5 L"), svg.Point(2, 0.5, "0.5 L")], bars=True)],
        x_start=0, x_end=3, y_min=0, y_max=2, unit="L",
    )  # fmt: skip
    bars = [el for el in ET.fromstring(markup).iter(NS + "rect") if "bar" in (el.get("class") or "")]
    assert [b.find(NS + "title").text for b in bars] == ["1.5 L", "0.5 L"]
    bottoms = {round(float(b.get("y")) + float(b.get("height")), 1) for b in bars}
    assert len(bottoms) == 1
    assert float(bars[0].get("height")) == pytest.approx(3 * float(bars[1].get("height")), rel=0.01)


def test_a_single_point_and_a_flat_range_do_not_divide_by_zero():
    markup = svg.chart(
        "t", [svg.Series("t", [svg.Point(5, 5, "p")])], x_start=5, x_end=5, y_min=5, y_max=5, unit=""
    )
    assert ET.fromstring(markup).find(f"{NS}g/{NS}circle") is not None


def test_a_range_draws_a_line_from_low_to_high():
    tree = ET.fromstring(draw([svg.Point(1, 37.8, "day", low=36.4)]))
    (line,) = [el for el in tree.iter(NS + "line") if "range" in (el.get("class") or "")]
    (dot,) = tree.iter(NS + "circle")
    assert float(line.get("y2")) == pytest.approx(float(dot.get("cy")))
    assert float(line.get("y1")) > float(line.get("y2"))  # the low end is lower on the chart


def test_milestone_labels_never_overlap():
    """Close milestones take the second row, then keep only their line (and its title)."""
    markers = [svg.Marker(x, f"milestone number {x}") for x in (1.0, 1.1, 1.2, 6.0)]
    tree = ET.fromstring(draw([svg.Point(1, 37, "p")], markers=markers))
    labels = [(el.text, el.get("y")) for el in tree.iter(NS + "text") if el.get("class") == "mlab"]
    assert labels == [
        ("milestone number 1.0", str(svg.TOP - 4)),
        ("milestone number 1.1", str(svg.TOP - 14)),
        ("milestone number 6.0", str(svg.TOP - 4)),
    ]
    titles = [el.find(NS + "title").text for el in tree.iter(NS + "line") if el.get("class") == "milestone"]
    assert len(titles) == 4
