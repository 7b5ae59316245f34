"""The health department's JSON API, under ``/api/v1/health`` (DESIGN §5).

- ``POST /services``: record a service given to a holder → 201 ``{id, free, reasons, ...}``;
  ``free`` is whether the holder's permit was valid on the day served (第十八条（六）).
- ``GET /holders/<id>/services``: the holder's service log, newest first.

Reads: county_admin, the health department's clerks, the auditor. Writes: county_admin and
the health department's clerks. A clerk of another department gets 403; invalid input is a
422 whoever sends it (checked before the role, DESIGN §5).
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, RootModel
from sqlalchemy import select

from core import api

from . import DEPARTMENT, TITLE, rules, services
from .models import HealthService
from .rules import B186

READERS = frozenset({"county_admin", "dept_clerk", "auditor"})
WRITERS = frozenset({"county_admin", "dept_clerk"})


class ServiceIn(api.In):
    holder_id: int = api.field("持证人", B186, ge=1)
    service: str = api.field("服务项目", B186, min_length=1, max_length=40,
                             description="服务项目代码（或其中文名称）："
                                         + "、".join(f"{c} {n}" for c, n in rules.SERVICES.items()))
    served_on: api.IsoDate = api.field("服务日期", B186)
    provider: str = api.field("服务机构", B186, min_length=1, max_length=100)
    note: str | None = api.field("备注", B186, default=None, max_length=255)


class ServiceRow(api.Out):
    id: int
    holder_id: int
    service: str
    service_name: str
    served_on: api.IsoDate
    provider: str
    free: bool = Field(description="服务日居住证有效：属第十八条（六）免费服务")
    note: str | None


class ServiceOut(ServiceRow):
    reasons: list[api.ReasonOut] = Field(description="免费与否的理由（服务日的居住证状态、第十八条（六））")


class ServiceList(RootModel[list[ServiceRow]]):
    """The holder's service log, newest first."""


def _row(row: HealthService) -> dict[str, Any]:
    return {"id": row.id, "holder_id": row.holder_id, "service": row.service,
            "service_name": rules.SERVICES[row.service], "served_on": row.served_on,
            "provider": row.provider, "free": row.free, "note": row.note}


def blueprint() -> api.ApiBlueprint:
    bp = api.ApiBlueprint("health", __name__, url_prefix="/health", tags=["卫生健康"])

    @bp.route_api("/services", method="POST", summary="登记基本公共卫生、计划生育服务（第十八条（六））",
                  roles=WRITERS, roles_checked_in_view=True, body=ServiceIn,
                  responses={201: ServiceOut}, errors=(403, 404, 422))
    def health_service_create(body: ServiceIn, user: Any) -> Any:
        """Record a service; ``free`` says whether the holder's permit was valid that day.
        A future date or an unknown service is a 422 naming the field."""
        session = api.db.session
        holder = session.get(api.Holder, body.holder_id)
        if holder is None:
            raise api.ApiError(404, "holder_not_found", f"持证人 {body.holder_id} 不存在",
                               {"holder_id": [f"持证人：{body.holder_id} 不存在"]})
        row, decision = services.record_service(
            session, holder=holder, service=body.service, served_on=body.served_on,
            provider=body.provider, note=body.note, actor=user, today=api.today())
        api.own_department(user, DEPARTMENT, TITLE, roles=WRITERS)  # 403 rolls the act back
        session.commit()
        return ServiceOut(**_row(row), reasons=[api.ReasonOut(**r.as_dict())
                                                for r in decision.reasons]), 201

    @bp.route_api("/holders/<int:holder_id>/services", summary="持证人的基本公共卫生服务记录",
                  roles=READERS, responses={200: ServiceList}, errors=(403, 404))
    def health_services(holder_id: int, user: Any) -> Any:
        api.own_department(user, DEPARTMENT, TITLE)
        session = api.db.session
        if session.get(api.Holder, holder_id) is None:
            raise api.ApiError(404, "holder_not_found", f"持证人 {holder_id} 不存在")
        rows = session.scalars(select(HealthService).where(HealthService.holder_id == holder_id)
                               .order_by(HealthService.served_on.desc(), HealthService.id.desc()))
        return [ServiceRow(**_row(r)).model_dump(mode="json") for r in rows]

    return bp
