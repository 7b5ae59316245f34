"""逾期登记 (《办法》第十条): late registrations, and people a third party reported who never
registered. The list is the registration service's (``registration.overdue``); this page
chooses the station and date and masks ID numbers for roles that must not see them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import flash, request
from flask_login import current_user
from sqlalchemy import select

from core import api

from .. import registration
from .base import CATEGORY, READERS, role, sees_personal_data

#: Rows shown at most; the page says so when the list is longer.
LIMIT = 500
KINDS = {"late_registration": "逾期登记", "never_registered": "报告后逾期未登记"}


def _as_of() -> dt.date:
    """The date asked for (?as_of=YYYY-MM-DD), today when absent or malformed."""
    raw = request.args.get("as_of", "")
    if raw:
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            flash("统计日期格式应为 YYYY-MM-DD，已按今天统计。", "error")
    return api.today()


class OverdueView(api.SecureView):
    """A station clerk sees its own station; county-wide roles choose a station or all."""

    roles = READERS

    def __init__(self) -> None:
        super().__init__(name="逾期登记", category=CATEGORY, endpoint="public_security_overdue")

    @api.expose("/")
    def index(self) -> Any:
        session = api.db.session
        stations = session.execute(
            select(api.OrgUnit.id, api.OrgUnit.code, api.OrgUnit.name)
            .where(api.OrgUnit.kind == "police_station").order_by(api.OrgUnit.code)).all()
        names = {s.id: s.name for s in stations}
        chosen = None
        if role() == "station_clerk":
            chosen = current_user.org_id
        elif request.args.get("station"):
            chosen = next((s.id for s in stations if s.code == request.args["station"]), None)
            if chosen is None:
                flash("未找到该派出所，已按全县统计。", "error")
        as_of = _as_of()
        items = registration.overdue(session, chosen, as_of, limit=LIMIT)
        masked = not sees_personal_data()
        rows = [{
            "kind": KINDS.get(i.kind, i.kind),
            "station": names.get(i.station_id, "县公安局（未指明场所）"),
            "name": i.name or "（尚未录入持证人）",
            "id_number": api.rules.mask_id_number(i.id_number) if masked else i.id_number,
            "due": i.due, "done_on": i.done_on, "source": i.source, "days_late": i.days_late,
        } for i in items]
        return self.render(
            "public_security/admin/overdue.html", rows=rows, as_of=as_of,
            stations=stations if role() != "station_clerk" else [],
            station=next((s for s in stations if s.id == chosen), None),
            capped=len(items) >= LIMIT)


def views() -> list[Any]:
    return [OverdueView()]
