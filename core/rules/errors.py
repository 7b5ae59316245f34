"""The one way a rule refuses its facts.

A :class:`RuleError` names the input field it objects to, a stable snake_case code that
the API returns as ``error``, a Chinese message for the clerk or citizen, and the legal
basis (an article of 《办法》 or of a standard) — every refusal must say where it comes from.
"""

from __future__ import annotations

from datetime import date

__all__ = ["RuleError", "zh_date"]


class RuleError(ValueError):
    """A fact that a rule cannot accept.

    It subclasses :class:`ValueError` so that plain callers (form validators, CLI option
    parsers) can treat it as bad input without importing this module.
    """

    field: str
    code: str
    message: str
    basis: str

    def __init__(self, field: str, code: str, message: str, basis: str) -> None:
        super().__init__(message)
        self.field = field
        self.code = code
        self.message = message
        self.basis = basis

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(field={self.field!r}, code={self.code!r}, "
            f"message={self.message!r}, basis={self.basis!r})"
        )

    def __reduce__(self):  # type: ignore[no-untyped-def]
        # Keep the attributes when an error crosses a process boundary (pickling).
        return (_rebuild, (type(self), self.__dict__.copy(), self.message))


def _rebuild(cls: type[RuleError], state: dict[str, object], message: str) -> RuleError:
    err = cls.__new__(cls)
    ValueError.__init__(err, message)
    err.__dict__.update(state)
    return err


def zh_date(d: date) -> str:
    """Format a date the way Chinese official documents write it: 2026年1月15日."""
    return f"{d.year}年{d.month}月{d.day}日"
