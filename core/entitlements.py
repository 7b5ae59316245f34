"""Types of the entitlement engine (DESIGN §4): what a department plugin declares and returns.

The engine itself (permit state first, per-item error isolation, batch SQL) grows in the
Article 18 issue; the types are fixed here because the hook that carries them is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Callable, TypeVar

if TYPE_CHECKING:
    from sqlalchemy import Select
    from sqlalchemy.orm import Session

    from core.models import Holder
    from core.parameters import ParameterReader

# art18.1 … art18.11, art18.12.<name> (county-specific), and art19: the settlement check of
# 第十九条, which the police answer the same way.
T = TypeVar("T")

CODE_RE = re.compile(r"^(?:art18\.(?:(?:[1-9]|1[01])|12\.[a-z][a-z0-9_]*)|art19)$")


@dataclass(frozen=True)
class Reason:
    """One condition of a decision, as a citizen reads it."""

    code: str
    passed: bool
    text: str  # Chinese
    basis: str  # e.g. "《办法》第十四条"

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "passed": self.passed, "text": self.text, "basis": self.basis}


@dataclass(frozen=True)
class Decision:
    eligible: bool
    reasons: tuple[Reason, ...]
    # Dated parameter values the check used, by name (DESIGN §4).
    parameters: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_reasons(cls, reasons: list[Reason], **parameters: Any) -> "Decision":
        return cls(all(r.passed for r in reasons), tuple(reasons), dict(parameters))


@dataclass(frozen=True)
class PermitState:
    """A holder's permit as it stands on ``as_of`` (status derived from dates, 第十四条)."""

    number: str
    status: str  # "valid" | "suspended" | "revoked"
    issued_on: date
    valid_until: date
    continuous_residence_since: date
    station_code: str


@dataclass(frozen=True)
class CheckFacts:
    """What a check receives: the holder, the permit on ``as_of`` (None if none was ever
    issued), the date, and a read-only session for the department's own facts."""

    holder: "Holder"
    permit: PermitState | None
    as_of: date
    session: "Session"
    # The dated parameters on ``as_of`` (set by the engine, one reader per item so that each
    # decision names only the values it used).
    params: "ParameterReader | None" = None
    # What :meth:`once` read, shared by every item of this evaluation (the engine copies the
    # facts per item with the same dict).
    shared: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    def once(self, key: Any, read: Callable[[], T]) -> T:
        """``read()``, called once per evaluation of this holder on this date: two items of
        one department that need the same facts (（七）and（八）both count the training
        records) share one query. ``key`` names what is read (a tuple starting with the
        plugin's name). Nothing outlives the evaluation, so nothing can be stale."""
        if key not in self.shared:
            self.shared[key] = read()
        return self.shared[key]

    def param(self, name: str) -> Any:
        """The value of dated parameter ``name`` on ``as_of``; the decision will name it."""
        if self.params is None:
            raise LookupError(f"参数 {name}：此次判断未提供参数（应由判断引擎调用）")
        return self.params(name)


@dataclass(frozen=True)
class BatchContext:
    """What a check's SQL form receives: the date, the parameters on it, and the session."""

    as_of: date
    session: "Session"
    params: "ParameterReader"

    def param(self, name: str) -> Any:
        return self.params(name)

    def permits(self) -> Any:
        """A subquery of each holder's permit on ``as_of`` (the one :class:`CheckFacts` gets):
        columns ``holder_id, number, status, issued_on, valid_until,
        continuous_residence_since``; holders without one are absent."""
        from core.batch import latest_permits

        return latest_permits(self.as_of)


@dataclass(frozen=True)
class Entitlement:
    """A public service of 《办法》第十八条, owned by one department."""

    code: str  # art18.1 … art18.11, or art18.12.<name>
    item: str  # the item as the measures number it, e.g. "（三）"
    title: str  # Chinese title
    department: str  # org code of the owning department, e.g. "dept-education"
    # check(facts: CheckFacts) -> Decision with the department's OWN conditions; the engine
    # puts the permit's state first (DESIGN §4), so a check need not repeat it.
    check: Callable[[CheckFacts], Decision]
    # Optional set-based form of the SAME conditions, for batch evaluation (DESIGN §4):
    # sql(ctx: BatchContext) -> a SELECT of one column, the ids of the holders whose
    # department conditions pass on ctx.as_of (the engine adds the permit's state). A holder
    # absent from it fails. Tests must show it agrees with ``check`` (NULLs included).
    sql: "Callable[[BatchContext], Select[Any]] | None" = None

    def validate(self) -> None:
        if not CODE_RE.match(self.code):
            raise ValueError(
                f"权益代码 {self.code!r} 不合规：应为 art18.1 至 art18.11、art18.12.<名称>"
                "（《办法》第十八条）或 art19（第十九条）"
            )

