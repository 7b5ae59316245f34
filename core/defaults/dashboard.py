"""The kernel's dashboard panel: how many holders, and permits by status today (a chart with
its table)."""

from __future__ import annotations

import datetime as dt

from flask import Flask, render_template_string
from markupsafe import Markup
from sqlalchemy import case, func, select

from core.api import ChartSeries, DashboardPanel, bar_chart, db, hookimpl
from core.models import Holder, Permit

_TABLE = """
<table class="table table-sm">
  <caption class="sr-only">{{ title }}</caption>
  <tbody>
  {% for label, value in rows %}<tr><th scope="row">{{ label }}</th><td class="text-right">{{ value }}</td></tr>{% endfor %}
  </tbody>
</table>
"""


def _overview(user, as_of: dt.date) -> str:  # type: ignore[no-untyped-def]
    status = case(
        (Permit.revoked_on.is_not(None) & (Permit.revoked_on <= as_of), "revoked"),
        (Permit.valid_until < as_of, "suspended"),
        else_="valid",
    )
    counts = dict(db.session.execute(select(status, func.count()).group_by(status)).all())
    holders = db.session.scalar(select(func.count()).select_from(Holder))
    statuses = [("有效居住证", counts.get("valid", 0)), ("中止使用（逾期未签注）", counts.get("suspended", 0)),
                ("已注销", counts.get("revoked", 0))]
    chart = bar_chart(title="居住证按状态", horizontal=True,
                      description="全县居住证按今日状态（有效、中止使用、已注销）的数量（《办法》第十四条）",
                      categories=[label for label, _n in statuses],
                      series=[ChartSeries("居住证", [n for _label, n in statuses])])
    return Markup(render_template_string(_TABLE, rows=[("持证人", holders)], title="概况")) + chart


@hookimpl
def register_dashboard_panels(app: Flask):  # type: ignore[no-untyped-def]
    return [DashboardPanel(
        key="core.overview", title="概况", order=0, render=_overview,
        roles=frozenset({"county_admin", "station_clerk", "police_officer", "dept_clerk",
                         "auditor"}),
    )]
