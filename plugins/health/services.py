"""Writes of the health department: recording a service given to a holder (服务记录).

``free`` is decided when the row is written: the holder's permit on the day served — the
latest issued on or before that day, with its status then, read by the kernel's engine
(``api.permit_state``) — valid means the service fell under 第十八条（六）. This is the permit
part of the art18.6 decision on that day (the department adds no condition). Validate, write,
audit in the caller's transaction; the API and the admin form both call
:func:`record_service`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from core import api

from . import rules
from .models import HealthService
from .rules import B186


def permit_on(session: Session, holder_id: int, day: dt.date) -> rules.PermitOnDay | None:
    """The holder's permit on ``day``: the latest issued on or before it, read as the engine
    reads it for every entitlement (``api.permit_state``)."""
    state = api.permit_state(session, holder_id, day)
    if state is None:
        return None
    return rules.PermitOnDay(state.number, state.status, state.valid_until)


def _provider(raw: str | None) -> str:
    text = (raw or "").strip()
    if not text:
        raise api.RuleError("provider", "provider_required",
                            f"服务机构：必须填写（例如丹凤街道社区卫生服务中心）（{B186}）", B186)
    if len(text) > 100:
        raise api.RuleError("provider", "provider_too_long", f"服务机构：超过100个字（{B186}）", B186)
    return text


def record_service(session: Session, *, holder: Any, service: str | None,
                   served_on: dt.date | None, provider: str | None, note: str | None,
                   actor: Any, today: dt.date) -> tuple[HealthService, api.Decision]:
    """Record one service; returns the row and the decision that set ``free``. Audited as
    ``health_service.create``. Does not commit."""
    code = rules.service_code(service)
    day = rules.check_served_on(served_on, today=today, birth_date=holder.birth_date)
    where = _provider(provider)
    note = (note or "").strip() or None
    if note is not None and len(note) > 255:
        raise api.RuleError("note", "note_too_long", f"备注：超过255个字（{B186}）", B186)
    decision = rules.service_decision(permit_on(session, holder.id, day), day)
    row = HealthService(holder_id=holder.id, service=code, served_on=day, provider=where,
                        free=decision.eligible, note=note,
                        recorded_by_id=getattr(actor, "id", None))
    session.add(row)
    session.flush()
    api.record_audit(session, action="health_service.create", entity="health_service",
                     entity_id=row.id, actor=actor,
                     new={"holder_id": holder.id, "service": code, "served_on": day.isoformat(),
                          "provider": where, "free": row.free, "note": note})
    return row, decision
