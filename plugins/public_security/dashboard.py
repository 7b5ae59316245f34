"""Dashboard panels for a station chief and the county PSB (DESIGN §6): registrations
overdue, registrations per week (on time and late), permits due for endorsement within 30
days, suspended permits, blank cards on hand.

A station clerk sees its own station; the county admin and police officers the whole county.
Each count is one COUNT … WHERE query (or the services' own set-based queries); the numbers
come with a small accessible table and a link to the list behind them; the charts are
server-rendered SVG (``api.bar_chart``) with their own data tables.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import render_template, url_for
from sqlalchemy import func, select

from core import api

from . import registration, stock
from .admin.overdue import LIMIT
from .admin.permits import DUE_DAYS, permits_url, status_criterion
from .models import Registration

POLICE = frozenset(api.POLICE_ROLES)
TEMPLATE = "public_security/admin/panel.html"
#: A table row: label, number, and the whole it is part of (drawn as a small meter) or None.
Row = tuple[str, int, int | None]
WEEKS = 12  # the registrations chart's span


def station_of(user: Any) -> int | None:
    """The station a panel is limited to: a clerk's own; None (the county) for others."""
    return user.org_id if user.role == "station_clerk" else None


def count_permits(status: str, as_of: dt.date, station_id: int | None) -> int:
    stmt = select(func.count()).select_from(api.Permit).where(status_criterion(status, as_of))
    if station_id is not None:
        stmt = stmt.where(api.Permit.station_id == station_id)
    return api.db.session.scalar(stmt) or 0


def scope_name(station_id: int | None) -> str:
    if station_id is None:
        return "全县"
    return api.db.session.get(api.OrgUnit, station_id).name


def _render(title: str, station_id: int | None, rows: list[Row], link: str, link_text: str,
            note: str = "", chart: Any = None) -> str:
    return render_template(TEMPLATE, title=title, scope=scope_name(station_id), rows=rows,
                           link=link, link_text=link_text, note=note, chart=chart)


def week_start(day: dt.date) -> dt.date:
    """The Monday of ``day``'s week."""
    return day - dt.timedelta(days=day.weekday())


def registrations_panel(user: Any, as_of: dt.date) -> str:
    """近12周暂住登记: registrations per week, on time and late (第十条: 5个工作日内)."""
    station_id = station_of(user)
    weeks = [week_start(as_of) - dt.timedelta(weeks=k) for k in range(WEEKS - 1, -1, -1)]
    R = Registration
    stmt = (select(R.registered_on, R.on_time, func.count())
            .where(R.registered_on >= weeks[0], R.registered_on <= as_of)
            .group_by(R.registered_on, R.on_time))
    if station_id is not None:
        stmt = stmt.where(R.station_id == station_id)
    on_time, late = [0] * WEEKS, [0] * WEEKS
    for day, punctual, n in api.db.session.execute(stmt):
        k = weeks.index(week_start(day))
        (on_time if punctual else late)[k] += n
    chart = api.bar_chart(
        title=f"近{WEEKS}周暂住登记（{scope_name(station_id)}）",
        description=f"自{api.zh_date(weeks[0])}起每周的暂住登记数，按时与逾期分色叠加",
        categories=[f"{w:%m-%d}" for w in weeks],
        series=[api.ChartSeries("按时登记", on_time), api.ChartSeries("逾期登记", late)])
    rows: list[Row] = [("按时登记", sum(on_time), None), ("逾期登记", sum(late), None)]
    return _render(f"近{WEEKS}周暂住登记", station_id, rows,
                   url_for("public_security_registrations.index_view"), "查看登记簿",
                   "每周从周一起算；逾期指抵达后超过5个工作日登记（《办法》第十条）。", chart)


def overdue_panel(user: Any, as_of: dt.date) -> str:
    """逾期登记: late registrations and reported people never registered (第十条)."""
    station_id = station_of(user)
    items = registration.overdue(api.db.session, station_id, as_of, limit=LIMIT)
    late = sum(1 for i in items if i.kind == "late_registration")
    rows: list[Row] = [("逾期未登记（第三方报告后）", len(items) - late, None),
                       ("逾期登记", late, None)]
    note = f"已达统计上限{LIMIT}条，实际可能更多。" if len(items) >= LIMIT else ""
    return _render("逾期登记", station_id, rows, url_for("public_security_overdue.index"),
                   "查看逾期名单", note)


def due_panel(user: Any, as_of: dt.date) -> str:
    """30日内到期待签注: valid_until within the next 30 days, not revoked (第十四条)."""
    station_id = station_of(user)
    stmt = (select(api.Permit.valid_until, func.count())
            .where(status_criterion("due", as_of)).group_by(api.Permit.valid_until))
    if station_id is not None:
        stmt = stmt.where(api.Permit.station_id == station_id)
    starts = [as_of + dt.timedelta(days=7 * k) for k in range(DUE_DAYS // 7 + 1)]
    per_week = [0] * len(starts)
    for day, n in api.db.session.execute(stmt):
        per_week[min((day - as_of).days // 7, len(starts) - 1)] += n
    chart = api.bar_chart(
        title=f"{DUE_DAYS}日内到期（{scope_name(station_id)}）",
        description=f"自{api.zh_date(as_of)}起每7日内有效期届满、待签注的居住证数",
        categories=[f"{d:%m-%d}起" for d in starts],
        series=[api.ChartSeries("到期待签注", per_week)])
    rows: list[Row] = [(f"{DUE_DAYS}日内到期待签注", sum(per_week), None)]
    return _render("30日内到期待签注", station_id, rows, permits_url("due"), "查看名单",
                   "有效期届满前30日内办理签注（《办法》第十四条）。", chart)


def suspended_panel(user: Any, as_of: dt.date) -> str:
    """使用功能中止: past valid_until without endorsement, not revoked (第十四条)."""
    station_id = station_of(user)
    chart = None
    if station_id is None:  # the county: per station; a station sees its own number
        counts = api.db.session.execute(
            select(api.OrgUnit.name, func.count()).join(
                api.Permit, api.Permit.station_id == api.OrgUnit.id)
            .where(status_criterion("suspended", as_of))
            .group_by(api.OrgUnit.name).order_by(func.count().desc(), api.OrgUnit.name)).all()
        total = sum(n for _name, n in counts)
        if counts:
            chart = api.bar_chart(
                title="各派出所使用功能中止的居住证", horizontal=True,
                description="逾期未签注、使用功能中止的居住证数，按发证派出所",
                categories=[name for name, _n in counts],
                series=[api.ChartSeries("使用功能中止", [n for _name, n in counts])])
    else:
        total = count_permits("suspended", as_of, station_id)
    rows: list[Row] = [("使用功能中止（逾期未签注）", total, None)]
    return _render("使用功能中止", station_id, rows, permits_url("suspended"), "查看名单",
                   "逾期未签注的，居住证使用功能中止；补办签注后恢复（《办法》第十四条）。",
                   chart)


def stock_panel(user: Any, as_of: dt.date) -> str:
    """空白证件库存: expected blanks on hand per station, from the reconciliation."""
    station_id = station_of(user)
    recs = ([stock.reconcile(api.db.session, station_id)] if station_id is not None
            else stock.reconcile_all(api.db.session))
    # Stations that never had a range carry no stock: leave them out of the county list.
    rows: list[Row] = [(r.station_name + ("（账实不符）" if r.flagged else ""), r.expected_on_hand,
                        r.allocated) for r in recs if r.allocated or r.counted_on]
    chart = None
    if station_id is None and rows:  # the county: one bar per station, the total in the table
        chart = api.bar_chart(
            title="各派出所空白证件应有库存", horizontal=True,
            description="各派出所应有的空白证件数（已分配号码减已制证、已作废）",
            categories=[label for label, _v, _w in rows],
            series=[api.ChartSeries("应有库存", [v for _l, v, _w in rows])])
        rows = [("全县应有库存合计", sum(v for _l, v, _w in rows), None)]
    return _render("空白证件库存", station_id, rows,
                   url_for("public_security_reconciliation.index"), "查看号码对账",
                   "应有库存 = 已分配 − 已制证 − 已作废（《办法》第七条、第八条）。", chart)


def panels() -> list[api.DashboardPanel]:
    return [
        api.DashboardPanel(key="public_security.registrations", title="近12周暂住登记",
                           roles=POLICE, render=registrations_panel, order=5),
        api.DashboardPanel(key="public_security.overdue", title="逾期登记", roles=POLICE,
                           render=overdue_panel, order=10),
        api.DashboardPanel(key="public_security.endorsements_due", title="30日内到期待签注",
                           roles=POLICE, render=due_panel, order=20),
        api.DashboardPanel(key="public_security.suspended", title="使用功能中止", roles=POLICE,
                           render=suspended_panel, order=30),
        api.DashboardPanel(key="public_security.stock", title="空白证件库存", roles=POLICE,
                           render=stock_panel, order=40),
    ]
