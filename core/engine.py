"""The entitlement engine (DESIGN §4): every item of 第十八条 (and art19) for one holder on
one date.

Each decision starts from the permit's state on ``as_of`` — no permit, suspended or revoked
fails every item, citing its article — and then adds the department's own conditions from its
check. A check that raises answers ``status: "error"`` for its item alone and is logged; the
other items still answer.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from dataclasses import dataclass
from functools import cache
from typing import Any, Iterable

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from core.entitlements import CheckFacts, Decision, Entitlement, PermitState, Reason
from core.models import OrgUnit, Permit
from core.parameters import ParameterError, ParameterStore
from core.rules import permit_status
from core.rules.errors import zh_date

log = logging.getLogger(__name__)

B14 = "《办法》第十四条"
B18 = "《办法》第十八条"


@dataclass(frozen=True)
class ItemResult:
    code: str
    item: str
    title: str
    department: str
    status: str  # "eligible" | "ineligible" | "error"
    reasons: tuple[Reason, ...]
    # the dated parameter values the decision used: [{name, title, unit, value, since, source}]
    parameters: list[dict[str, Any]]

    @property
    def eligible(self) -> bool:
        return self.status == "eligible"

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "item": self.item, "title": self.title,
                "department": self.department, "status": self.status,
                "eligible": self.eligible, "reasons": [r.as_dict() for r in self.reasons],
                "parameters": list(self.parameters)}


@cache
def _latest_permit() -> Any:
    # Built once with placeholders: every entitlements request runs it, and building a
    # select costs more than running it (measured 2.4 times the prepared one's time).
    return (select(Permit, OrgUnit.code).join(OrgUnit, OrgUnit.id == Permit.station_id)
            .where(Permit.holder_id == bindparam("holder_id"),
                   Permit.issued_on <= bindparam("as_of"))
            .order_by(Permit.issued_on.desc(), Permit.id.desc()).limit(1))


def permit_state(session: Session, holder_id: int, as_of: dt.date) -> PermitState | None:
    """The holder's permit on ``as_of``: the latest one issued on or before it.

    The status comes from the permit's current dates (valid_until after any endorsement), so
    an ``as_of`` in the past is judged with today's record of the permit, not replayed history.
    """
    row = session.execute(_latest_permit(), {"holder_id": holder_id, "as_of": as_of}).first()
    if row is None:
        return None
    permit, station_code = row
    return PermitState(number=permit.number,
                       status=permit_status(permit.valid_until, as_of, permit.revoked_on),
                       issued_on=permit.issued_on, valid_until=permit.valid_until,
                       continuous_residence_since=permit.continuous_residence_since,
                       station_code=station_code)


def permit_reason(state: PermitState | None) -> Reason:
    """The first reason of every decision: what the permit allows on the day (第十四条、第十八条)."""
    if state is None:
        return Reason("permit", False, "未持有《云南省居住证》：第十八条所列公共服务凭居住证享有", B18)
    return status_reason(state.number, state.status, state.valid_until)


def status_reason(number: str, status: str, valid_until: dt.date) -> Reason:
    """:func:`permit_reason` of a permit in ``status`` on the day (the generator's permits,
    core/generate.py, have no :class:`PermitState` and share the wording through here)."""
    if status == "valid":
        return Reason("permit", True,
                      f"持有有效的《云南省居住证》（号码{number}，有效期至{zh_date(valid_until)}）", B14)
    if status == "suspended":
        return Reason("permit", False,
                      f"居住证（号码{number}）有效期至{zh_date(valid_until)}，逾期未签注，"
                      "使用功能中止；补办签注后恢复", B14)
    return Reason("permit", False, f"居住证（号码{number}）已注销", B18)


def with_permit(first: Reason, own: Decision) -> Decision:
    """An item's verdict: the permit's reason first, then the department's own reasons;
    eligible when the permit allows it and the department's own verdict passes (its
    Decision.eligible: a check may need any one of its reasons, 第十九条: residence OR income,
    not all of them)."""
    return Decision(first.passed and own.eligible, (first, *own.reasons), own.parameters)


def decide(entitlement: Entitlement, facts: CheckFacts,
           store: ParameterStore | None = None) -> ItemResult:
    """One item: the permit's reason first, then the department's own check. With a
    ``store`` the check reads parameters through a reader of its own, whose record of the
    values used becomes the item's ``parameters``."""
    first = permit_reason(facts.permit)
    reader = store.reader(facts.as_of) if store is not None else facts.params
    if reader is not facts.params:
        facts = dataclasses.replace(facts, params=reader)
    try:
        own: Decision = entitlement.check(facts)
    except ParameterError as err:
        # A day before any value of a threshold was in force is no failure of ours: the item
        # is not available on that day, and the answer says which standard was missing.
        missing = Reason(err.code, False, err.message, err.basis)
        return ItemResult(entitlement.code, entitlement.item, entitlement.title,
                          entitlement.department, "ineligible", (first, missing), [])
    except Exception:  # one broken check must not take the other items down
        log.exception("entitlement check %s failed for holder %s", entitlement.code,
                      getattr(facts.holder, "id", None))
        error = Reason("check_error", False, "该项判断出错，已记录；请稍后再试或人工核实", B18)
        return ItemResult(entitlement.code, entitlement.item, entitlement.title,
                          entitlement.department, "error", (first, error), [])
    verdict = with_permit(first, own)
    used = reader.used_list() if reader is not None else []
    named = {p["name"] for p in used}
    # values a check names itself (Decision.parameters) that did not come from the reader
    used += [{"name": k, "value": v} for k, v in own.parameters.items() if k not in named]
    return ItemResult(entitlement.code, entitlement.item, entitlement.title,
                      entitlement.department, "eligible" if verdict.eligible else "ineligible",
                      verdict.reasons, used)


def evaluate(session: Session, holder: Any, as_of: dt.date,
             entitlements: Iterable[Entitlement],
             store: ParameterStore | None = None) -> list[ItemResult]:
    """Every item for one holder on one date, in the kernel's article order."""
    facts = CheckFacts(holder=holder, permit=permit_state(session, holder.id, as_of),
                       as_of=as_of, session=session)
    return [decide(ent, facts, store) for ent in entitlements]
