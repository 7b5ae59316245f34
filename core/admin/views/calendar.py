"""官方节假日安排: entered by the county admin; it outranks chinese-calendar (DESIGN §3)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from core.admin.base import SecureModelView
from core.models import CalendarDay


class CalendarDayView(SecureModelView):
    roles = frozenset({"county_admin", "station_clerk", "police_officer", "dept_clerk", "auditor"})
    write_roles = frozenset({"county_admin"})
    allow_delete = True
    column_list = ["day", "workday", "name", "source"]
    column_labels = {"day": "日期", "workday": "是否上班", "name": "名称（如 春节、调休上班）",
                     "source": "依据（通知文号）"}
    column_default_sort = ("day", True)
    form_columns = ["day", "workday", "name", "source"]

    def get_one(self, id: Any) -> Any:
        """The key is a date: Flask-Admin hands the URL's text to the query, which SQLite's
        Date type refuses (details, edit and delete answered 500)."""
        try:
            day = dt.date.fromisoformat(str(id))
        except ValueError:
            return None
        return self.db_session.get(CalendarDay, day)
