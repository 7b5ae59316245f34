"""Types of the entitlement engine (DESIGN §4): what a department plugin declares and returns.

The engine itself (permit state first, per-item error isolation, batch SQL) grows in the
Article 18 issue; the types are fixed here because the hook that carries them is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

CODE_RE = re.compile(r"^art18\.(?:(?:[1-9]|1[01])|12\.[a-z][a-z0-9_]*)$")


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
class Entitlement:
    """A public service of 《办法》第十八条, owned by one department."""

    code: str  # art18.1 … art18.11, or art18.12.<name>
    item: str  # the item as the measures number it, e.g. "（三）"
    title: str  # Chinese title
    department: str  # org code of the owning department, e.g. "dept-education"
    check: Callable[..., Decision]

    def validate(self) -> None:
        if not CODE_RE.match(self.code):
            raise ValueError(
                f"权益代码 {self.code!r} 不合规：应为 art18.1 至 art18.11，或 art18.12.<名称>"
                "（《办法》第十八条）"
            )

