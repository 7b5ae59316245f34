"""权益说明: a clerk types a holder's ID number and a date and opens the printable
explanation of every 第十八条 item (department clerks open it from their own menu)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import redirect, request
from flask_admin import expose
from sqlalchemy import select

from core.admin.base import DepartmentAccess, SecureView
from core.admin.fields import holder_lookup_kw
from core.clock import today
from core.db import db
from core.models import Holder
from core.rules import RuleError, parse_id_number


class ExplanationView(SecureView):
    # Department clerks open the same page from their own menu (explanation_view below).
    roles = frozenset({"county_admin", "station_clerk", "police_officer", "auditor"})

    def _page(self, error: str | None = None, **values: Any) -> Any:
        return self.render("juzhu/explanation_lookup.html", error=error,
                           lookup_attrs=holder_lookup_kw(),  # the look-up while typing
                           id_number=values.get("id_number", ""),
                           as_of=values.get("as_of") or today().isoformat())

    @expose("/", methods=("GET", "POST"))
    def index(self) -> Any:
        if request.method == "GET":
            return self._page()
        raw_id, raw_date = request.form.get("id_number", ""), request.form.get("as_of", "")
        try:
            as_of = dt.date.fromisoformat(raw_date)
        except ValueError:
            return self._page("判断日期：日期格式应为 YYYY-MM-DD", id_number=raw_id, as_of=raw_date)
        try:
            number = parse_id_number(raw_id, as_of=max(as_of, today())).number
        except RuleError as err:
            return self._page(err.message, id_number=raw_id, as_of=raw_date)
        holder_id = db.session.scalar(select(Holder.id).where(Holder.id_number == number))
        if holder_id is None:
            return self._page("未找到该公民身份号码的持证人（《办法》第四条）", id_number=raw_id,
                              as_of=raw_date)
        return redirect(f"/api/v1/holders/{holder_id}/entitlements/print?as_of={as_of}")


class DepartmentExplanationView(DepartmentAccess, ExplanationView):
    """权益说明 in one department's menu (its clerks see no other menu)."""


def explanation_view(*, plugin: str, category: str, department: str) -> ExplanationView:
    """``api.explanation_view(plugin="education", category="教育", department="dept-education")``
    in ``register_admin_views``: the printable explanation, opened from the department's menu."""
    view = DepartmentExplanationView(name="权益说明", category=category,
                                     endpoint=f"{plugin}_explanations")
    view.department = department
    return view
