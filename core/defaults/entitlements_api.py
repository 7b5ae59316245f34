"""GET /holders/{id}/entitlements?as_of= (DESIGN §4, §5): every item in one call."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Flask, render_template, request
from pydantic import Field, ValidationError

from core.api import (ApiBlueprint, ApiError, In, IsoDate, Out, db, field, hookimpl,
                      sees_personal_data, state, today, zh_date)
from core.engine import ItemResult, evaluate
from core.http.schema import ReasonOut, translate
from core.parameters import current_store
from core.models import Holder
from core.rules import mask_id_number, measures_warning


class EntitlementsQuery(In):
    as_of: IsoDate | None = field("判断日期", "《办法》第十八条", default=None)


class ParameterOut(Out):
    name: str
    title: str | None = None
    unit: str | None = None
    value: Any
    since: IsoDate | None = None
    source: str | None = None


class ItemOut(Out):
    code: str
    item: str
    title: str
    department: str
    status: str = Field(description='"eligible" | "ineligible" | "error"')
    eligible: bool
    reasons: list[ReasonOut]
    parameters: list[ParameterOut] = Field(default_factory=list,
                                           description="判断所用的参数取值（值、起始日期、来源）")


class EntitlementsOut(Out):
    holder_id: int
    as_of: IsoDate
    items: list[ItemOut]
    warning: str | None = Field(default=None, description="《办法》第二十三条：有效期届满后的提示")


def blueprint() -> ApiBlueprint:
    bp = ApiBlueprint("core_entitlements", __name__, tags=["公共服务权益"])

    @bp.route_api("/holders/<int:holder_id>/entitlements", summary="持证人在某日享有的公共服务（第十八条）",
                  roles={"county_admin", "station_clerk", "police_officer", "dept_clerk",
                         "auditor"}, query=EntitlementsQuery, responses={200: EntitlementsOut},
                  errors=(404,))
    def entitlements(holder_id: int, query: EntitlementsQuery):  # type: ignore[no-untyped-def]
        holder, as_of, items = _evaluate(holder_id, query.as_of)
        return {"holder_id": holder.id, "as_of": as_of.isoformat(),
                "items": [i.as_dict() for i in items],
                "warning": measures_warning(as_of, state().profile.measures_expires_on)}

    @bp.route_page("/holders/<int:holder_id>/entitlements/print",
                   summary="公共服务权益说明（打印，第十八条）",
                   roles={"county_admin", "station_clerk", "police_officer", "dept_clerk",
                          "auditor"})
    def entitlements_print(holder_id: int, user):  # type: ignore[no-untyped-def]
        """Every item with its reasons and articles, for the citizen to take away."""
        try:
            query = EntitlementsQuery.model_validate(dict(request.args.items()))
        except ValidationError as exc:
            fields = translate(EntitlementsQuery, exc)
            raise ApiError(422, "invalid_input", "；".join(m for ms in fields.values() for m in ms),
                           fields) from None
        holder, as_of, items = _evaluate(holder_id, query.as_of)
        return render_template(
            "juzhu/entitlements_print.html", holder=holder, as_of=as_of, items=items,
            zh_date=zh_date, warning=measures_warning(as_of, state().profile.measures_expires_on),
            id_number=holder.id_number if sees_personal_data(user.role)
            else mask_id_number(holder.id_number))

    return bp


def _evaluate(holder_id: int, as_of_asked: dt.date | None) -> tuple[Holder, dt.date, list[ItemResult]]:
    holder = db.session.get(Holder, holder_id)
    if holder is None:
        raise ApiError(404, "holder_not_found", f"持证人 {holder_id} 不存在")
    as_of = as_of_asked or today()
    return holder, as_of, evaluate(db.session, holder, as_of,
                                   [ent for _plugin, ent in state().entitlements.values()],
                                   current_store(db.session))


@hookimpl
def register_api(app: Flask):  # type: ignore[no-untyped-def]
    return [blueprint()]
