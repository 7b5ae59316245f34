"""core/charts.py: SVG bar charts with their data tables, pure functions of their numbers."""

from __future__ import annotations

import re

import pytest

from core.charts import Series, _nice_max, bar_chart


def bars(html: str) -> list[tuple[float, float, str]]:
    """(width, height, tooltip) of every bar, in drawing order."""
    return [(float(w), float(h), t) for w, h, t in re.findall(
        r'<rect class="juzhu-s\d"[^>]*width="([\d.]+)" height="([\d.]+)"><title>([^<]*)</title>',
        html)]


@pytest.mark.parametrize("value,top", [(0, 1), (1, 1), (3, 5), (7, 10), (11, 20), (150, 200),
                                       (999, 1000), (5001, 10000)])
def test_the_axis_top_is_a_round_number_at_or_above_the_largest(value: int, top: int) -> None:
    assert _nice_max(value) == top


def test_stacked_bars_are_proportional_and_each_says_its_number() -> None:
    html = bar_chart(title="登记", description="每周登记数", categories=["第1周", "第2周"],
                     series=[Series("按时", [30, 10]), Series("逾期", [10, 0])])
    drawn = bars(html)
    # top is 50 (round, above the largest total 40): heights of a 120-unit plot
    assert [h for _w, h, _t in drawn] == [72.0, 24.0, 24.0]
    assert [t for _w, _h, t in drawn] == ["第1周 按时：30", "第1周 逾期：10", "第2周 按时：10"]
    # a zero value draws no bar, but the table has it, with the totals
    table = re.search(r"(?s)<tbody>(.*)</tbody>", html).group(1)
    assert re.findall(r"<td[^>]*>(\d+)</td>", table) == ["30", "10", "40", "10", "0", "10"]
    assert "<caption>登记</caption>" in html and "按时</li>" in html  # legend for two series


def test_horizontal_bars_put_long_labels_beside_them() -> None:
    html = bar_chart(title="库存", description="各所库存", horizontal=True,
                     categories=["丹凤派出所", "雄壁镇派出所"], series=[Series("库存", [95, 47])])
    drawn = bars(html)
    assert [w for w, _h, _t in drawn] == [209.0, 103.4]  # of 220 units, top 100
    assert 'text-anchor="end">丹凤派出所</text>' in html
    assert "juzhu-legend" not in html  # one series: no legend needed


def test_it_is_accessible_and_needs_no_script_or_inline_style() -> None:
    html = str(bar_chart(title="状态", description="按状态的居住证数", categories=["有效"],
                         series=[Series("居住证", [3])]))
    svg = re.search(r"<svg[^>]*>", html).group(0)
    assert 'role="img"' in svg
    t, d = re.search(r'aria-labelledby="([^ ]+) ([^"]+)"', svg).groups()
    assert f'<title id="{t}">状态</title>' in html and f'<desc id="{d}">按状态的居住证数</desc>' in html
    assert "<script" not in html and "style=" not in html and "http" not in html
    assert "<details" in html and '<th scope="row"' in html and '<th scope="col"' in html
    # two charts on one page never share ids
    other = str(bar_chart(title="x", description="y", categories=["a"], series=[Series("s", [1])]))
    assert re.search(r'aria-labelledby="([^ ]+)', other).group(1) != t


def test_labels_are_escaped() -> None:
    html = str(bar_chart(title="<b>t</b>", description="<i>", categories=["<script>x</script>"],
                         series=[Series("<s>", [1])]))
    assert "<script>" not in html and "<b>" not in html and "&lt;script&gt;" in html


@pytest.mark.parametrize("series", [[Series("a", [1])], [Series("a", [1, -1])]])
def test_bad_numbers_are_refused(series: list[Series]) -> None:
    with pytest.raises(ValueError):
        bar_chart(title="t", description="d", categories=["x", "y"], series=series)
