"""Dashboard panels for a station chief and the county PSB (DESIGN §6): registrations
overdue, permits due for endorsement within 30 days, suspended permits, blank cards on hand.

A station clerk sees its own station; the county admin and police officers the whole county.
Each count is one COUNT … WHERE query (or the services' own set-based queries); the numbers
come with a small accessible table and a link to the list behind them.
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

POLICE = frozenset(api.POLICE_ROLES)
TEMPLATE = "public_security/admin/panel.html"
#: A table row: label, number, and the whole it is part of (drawn as a small meter) or None.
Row = tuple[str, int, int | None]


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
            note: str = "") -> str:
    return render_template(TEMPLATE, title=title, scope=scope_name(station_id), rows=rows,
                           link=link, link_text=link_text, note=note)


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
    rows: list[Row] = [(f"{DUE_DAYS}日内到期待签注", count_permits("due", as_of, station_id), None)]
    return _render("30日内到期待签注", station_id, rows, permits_url("due"), "查看名单",
                   "有效期届满前30日内办理签注（《办法》第十四条）。")


def suspended_panel(user: Any, as_of: dt.date) -> str:
    """使用功能中止: past valid_until without endorsement, not revoked (第十四条)."""
    station_id = station_of(user)
    rows: list[Row] = [("使用功能中止（逾期未签注）", count_permits("suspended", as_of, station_id),
                        None)]
    return _render("使用功能中止", station_id, rows, permits_url("suspended"), "查看名单",
                   "逾期未签注的，居住证使用功能中止；补办签注后恢复（《办法》第十四条）。")


def stock_panel(user: Any, as_of: dt.date) -> str:
    """空白证件库存: expected blanks on hand per station, from the reconciliation."""
    station_id = station_of(user)
    recs = ([stock.reconcile(api.db.session, station_id)] if station_id is not None
            else stock.reconcile_all(api.db.session))
    # Stations that never had a range carry no stock: leave them out of the county list.
    rows: list[Row] = [(r.station_name + ("（账实不符）" if r.flagged else ""), r.expected_on_hand,
                        r.allocated) for r in recs if r.allocated or r.counted_on]
    return _render("空白证件库存", station_id, rows,
                   url_for("public_security_reconciliation.index"), "查看号码对账",
                   "应有库存 = 已分配 − 已制证 − 已作废（《办法》第七条、第八条）。")


def panels() -> list[api.DashboardPanel]:
    return [
        api.DashboardPanel(key="public_security.overdue", title="逾期登记", roles=POLICE,
                           render=overdue_panel, order=10),
        api.DashboardPanel(key="public_security.endorsements_due", title="30日内到期待签注",
                           roles=POLICE, render=due_panel, order=20),
        api.DashboardPanel(key="public_security.suspended", title="使用功能中止", roles=POLICE,
                           render=suspended_panel, order=30),
        api.DashboardPanel(key="public_security.stock", title="空白证件库存", roles=POLICE,
                           render=stock_panel, order=40),
    ]
