"""Bar charts as server-rendered SVG, each with its numbers in a table (DESIGN §6, issue 7).

No script and no CDN: a county intranet is offline and the admin's CSP allows no inline
script. The SVG carries no ``style`` attribute either (CSP ``style-src`` has no
``'unsafe-inline'``): colours come from classes in juzhu.css (``juzhu-s0`` … ``juzhu-s5``).

Accessibility: the ``<svg>`` is ``role="img"`` with a ``<title>`` and a ``<desc>`` that says
what it shows; every bar has its own ``<title>`` (a tooltip with its exact number); the same
numbers follow in a real table inside ``<details>`` (keyboard-openable, read by screen
readers), so a chart is never the only way to the figures.

Pure functions of their arguments (no request, no database): the dashboard panels compute
the numbers and pass them in.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Sequence

from markupsafe import Markup, escape

_ids = itertools.count(1)


@dataclass(frozen=True)
class Series:
    """One coloured series: a name for the legend and one value per category."""

    name: str
    values: Sequence[int]


def _nice_max(value: int) -> int:
    """The axis top: the value rounded up to 1, 2 or 5 times a power of ten (at least 1)."""
    if value <= 0:
        return 1
    step = 1
    while True:
        for m in (1, 2, 5):
            if m * step >= value:
                return m * step
        step *= 10


def _table(caption: str, categories: Sequence[str], series: Sequence[Series],
           total: bool) -> str:
    head = "".join(f'<th scope="col" class="text-right">{escape(s.name)}</th>' for s in series)
    if total:
        head += '<th scope="col" class="text-right">合计</th>'
    rows = []
    for i, category in enumerate(categories):
        cells = "".join(f'<td class="text-right">{s.values[i]}</td>' for s in series)
        if total:
            cells += f'<td class="text-right">{sum(s.values[i] for s in series)}</td>'
        rows.append(f'<tr><th scope="row" class="font-weight-normal">{escape(category)}</th>'
                    f"{cells}</tr>")
    return (f'<details class="juzhu-chart-data"><summary>数据表</summary>'
            f'<table class="table table-sm mb-0"><caption>{escape(caption)}</caption>'
            f'<thead><tr><th scope="col">项目</th>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></details>')


def _legend(series: Sequence[Series]) -> str:
    if len(series) < 2:
        return ""
    items = "".join(f'<li><svg class="juzhu-key" viewBox="0 0 10 10" aria-hidden="true">'
                    f'<rect class="juzhu-s{i % 6}" width="10" height="10"/></svg>'
                    f"{escape(s.name)}</li>" for i, s in enumerate(series))
    return f'<ul class="juzhu-legend" aria-hidden="true">{items}</ul>'


def bar_chart(*, title: str, description: str, categories: Sequence[str],
              series: Sequence[Series], horizontal: bool = False) -> Markup:
    """A (stacked, when several series) bar chart with its table.

    ``title`` names the chart, ``description`` says in a sentence what it shows (the SVG's
    ``<desc>``); ``categories`` label the bars (weeks, stations, statuses); each series
    gives one non-negative value per category. Vertical bars suit time (weeks left to right);
    ``horizontal`` suits long labels (station names).
    """
    if any(len(s.values) != len(categories) for s in series):
        raise ValueError("every series needs one value per category")
    if any(v < 0 for s in series for v in s.values):
        raise ValueError("bar values are counts: none may be negative")
    n = next(_ids)
    totals = [sum(s.values[i] for s in series) for i in range(len(categories))]
    top = _nice_max(max(totals, default=0))
    parts: list[str] = []
    if horizontal:
        # room for the longest label (CJK characters are about one em of 11 units)
        label_w = min(200, max(40, 11 * max((len(c) for c in categories), default=1) + 10))
        bar_h, gap, plot_w = 18, 8, 220
        width, height = label_w + plot_w + 50, max(1, len(categories)) * (bar_h + gap) + 4
        for i, category in enumerate(categories):
            y, x = 2 + i * (bar_h + gap), label_w
            parts.append(f'<text class="juzhu-axis" x="{label_w - 6}" y="{y + bar_h - 5}" '
                         f'text-anchor="end">{escape(category)}</text>')
            for k, s in enumerate(series):
                w = round(s.values[i] / top * plot_w, 1)
                if w > 0:
                    parts.append(f'<rect class="juzhu-s{k % 6}" x="{x}" y="{y}" width="{w}" '
                                 f'height="{bar_h}"><title>{escape(category)} '
                                 f'{escape(s.name)}：{s.values[i]}</title></rect>')
                x += w
            parts.append(f'<text class="juzhu-value" x="{x + 4}" y="{y + bar_h - 5}">'
                         f"{totals[i]}</text>")
    else:
        width, left, plot_h, axis_h = 340, 30, 120, 30
        slot = (width - left - 6) / max(1, len(categories))
        bar_w = round(min(36, slot * 0.7), 1)
        height = plot_h + axis_h + 8
        base = plot_h + 6
        # grid lines with their values; a half line only where it is a whole number
        for frac in ((0, 0.5, 1) if top % 2 == 0 else (0, 1)):
            y = round(base - frac * plot_h, 1)
            parts.append(f'<line class="juzhu-grid" x1="{left}" x2="{width - 4}" y1="{y}" '
                         f'y2="{y}"/><text class="juzhu-axis" x="{left - 4}" y="{y + 4}" '
                         f'text-anchor="end">{round(top * frac)}</text>')
        every = 1 if len(categories) <= 8 else 2  # labels of many bars would overlap
        for i, category in enumerate(categories):
            x, y = round(left + i * slot + (slot - bar_w) / 2, 1), float(base)
            for k, s in enumerate(series):
                h = round(s.values[i] / top * plot_h, 1)
                if h > 0:
                    y -= h
                    parts.append(f'<rect class="juzhu-s{k % 6}" x="{x}" y="{round(y, 1)}" '
                                 f'width="{bar_w}" height="{h}"><title>{escape(category)} '
                                 f'{escape(s.name)}：{s.values[i]}</title></rect>')
            if (len(categories) - 1 - i) % every == 0:  # the latest always labelled
                parts.append(f'<text class="juzhu-axis" x="{round(x + bar_w / 2, 1)}" '
                             f'y="{base + 16}" text-anchor="middle">{escape(category)}</text>')
    svg = (f'<svg class="juzhu-chart-svg" role="img" viewBox="0 0 {width} {height}" '
           f'aria-labelledby="chart{n}-t chart{n}-d">'
           f'<title id="chart{n}-t">{escape(title)}</title>'
           f'<desc id="chart{n}-d">{escape(description)}</desc>{"".join(parts)}</svg>')
    return Markup(f'<figure class="juzhu-chart">{svg}{_legend(series)}'
                  f'{_table(title, categories, series, total=len(series) > 1)}</figure>')
