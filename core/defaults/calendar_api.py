"""GET /calendar/working-days (DESIGN §3, working days)."""

from __future__ import annotations

from flask import Flask
from pydantic import Field
from core.api import ApiBlueprint, In, IsoDate, Out, db, field, hookimpl, official_calendar
from core.rules import add_working_days


class WorkingDaysQuery(In):
    from_: IsoDate = field("起算日", "《办法》第十条", alias="from")
    n: int = field("工作日数", "《办法》第十条", ge=1, le=366)


class WorkingDaysOut(Out):
    deadline: IsoDate
    provisional: bool = Field(description="该年国务院放假安排尚未录入时为 true（按法定节假日推算）")


def blueprint() -> ApiBlueprint:
    bp = ApiBlueprint("core_calendar", __name__, tags=["工作日"])

    @bp.route_api("/calendar/working-days", summary="第 N 个工作日（起算日不计入）",
                  query=WorkingDaysQuery, responses={200: WorkingDaysOut})
    def working_days(query: WorkingDaysQuery):  # type: ignore[no-untyped-def]
        result = add_working_days(query.from_, query.n, official_calendar(db.session))
        return WorkingDaysOut(deadline=result.deadline, provisional=result.provisional)

    return bp


@hookimpl
def register_api(app: Flask):  # type: ignore[no-untyped-def]
    return [blueprint()]
