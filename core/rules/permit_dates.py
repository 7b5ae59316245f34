"""The dates of a permit's life: eligibility, validity, endorsement, status (《办法》第十一条、
第十四条; 居住证暂行条例第十条) and the measures' own expiry (《办法》第二十三条).

All periods are 民法典 periods (see :mod:`core.rules.periods`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from .errors import RuleError, zh_date
from .periods import add_months, add_years

__all__ = [
    "ENDORSEMENT_WINDOW_DAYS",
    "MEASURES_EXPIRE_ON",
    "Status",
    "Window",
    "EndorsementResult",
    "WindowNotOpen",
    "residence_eligible_from",
    "valid_until_for",
    "endorsement_window",
    "permit_status",
    "endorse",
    "measures_warning",
]

ENDORSEMENT_BASIS = "《办法》第十四条"
ENDORSEMENT_WINDOW_DAYS = 30
MEASURES_EXPIRE_ON = date(2030, 1, 31)

Status = Literal["valid", "suspended", "revoked"]


@dataclass(frozen=True)
class Window:
    """A closed range of days, ``opens`` … ``closes`` inclusive."""

    opens: date
    closes: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.opens <= day <= self.closes

    @property
    def days(self) -> int:
        return (self.closes - self.opens).days + 1


@dataclass(frozen=True)
class EndorsementResult:
    """What an endorsement (签注) changes."""

    late: bool
    valid_until: date
    continuous_residence_since: date


class WindowNotOpen(RuleError):
    """An endorsement asked for before the window opens (API: 409 ``window_not_open``)."""

    opens: date
    http_status = 409  # a conflict with the permit's state, not bad input

    def __init__(self, opens: date, endorsed_on: date) -> None:
        super().__init__(
            field="endorsed_on",
            code="window_not_open",
            message=(
                f"尚未到签注期：签注应在居住证有效期届满前30日内办理，"
                f"自{zh_date(opens)}起方可办理，{zh_date(endorsed_on)}不予签注"
                "（《办法》第十四条；《居住证暂行条例》第十条）"
            ),
            basis=ENDORSEMENT_BASIS,
        )
        self.opens = opens


def residence_eligible_from(registered_on: date) -> date:
    """First day on which residence is "满半年" (《办法》第十一条).

    Six months counted from the registration date (not arrival), the registration day not
    counted; the condition is met on the period's last day: 2026-01-10 → 2026-07-10.
    """
    return add_months(registered_on, 6)


def valid_until_for(issued_on: date) -> date:
    """Last day of validity of a permit issued on ``issued_on``: one year on (《办法》第十四条).

    2026-01-15 → 2027-01-15; the permit is valid through that day.
    """
    return add_years(issued_on, 1)


def endorsement_window(valid_until: date) -> Window:
    """The endorsement window: the 30 days ending on ``valid_until``, inclusive.

    《办法》第十四条 says to endorse "在居住证1年有效期届满三十日前". Read alone, that would
    make the last month too late — contradicting the higher 居住证暂行条例第十条, which asks
    for endorsement "每满一年之日前一个月内". A lower rule cannot narrow the higher one, so the
    platform reads it as the last 30 days: valid_until 2027-01-15 → 2026-12-17 … 2027-01-15.
    """
    return Window(valid_until - timedelta(days=ENDORSEMENT_WINDOW_DAYS - 1), valid_until)


def permit_status(valid_until: date, as_of: date, revoked_on: date | None = None) -> Status:
    """The permit's status on ``as_of``, derived from dates alone (no job needs to run).

    ``revoked`` from ``revoked_on`` (注销); otherwise ``suspended`` from the day after
    ``valid_until`` (《办法》第十四条: 逾期未签注，使用功能中止); otherwise ``valid``.
    """
    if revoked_on is not None and as_of >= revoked_on:
        return "revoked"
    if as_of > valid_until:
        return "suspended"
    return "valid"


def endorse(
    valid_until: date, continuous_residence_since: date, endorsed_on: date
) -> EndorsementResult:
    """Endorse (签注) a permit on ``endorsed_on`` (《办法》第十四条; 条例第十条).

    - Before the window opens → :class:`WindowNotOpen` (with ``opens``).
    - In the window → on time: valid one year more (2027-01-15 → 2028-01-15); the
      continuous residence date is unchanged.
    - After ``valid_until`` → late: use restored; valid until ``endorsed_on`` one year on;
      residence years restart from ``endorsed_on`` (补办签注手续之日起连续计算).
    """
    window = endorsement_window(valid_until)
    if endorsed_on < window.opens:
        raise WindowNotOpen(window.opens, endorsed_on)
    if endorsed_on <= valid_until:
        return EndorsementResult(
            late=False,
            valid_until=add_years(valid_until, 1),
            continuous_residence_since=continuous_residence_since,
        )
    return EndorsementResult(
        late=True,
        valid_until=add_years(endorsed_on, 1),
        continuous_residence_since=endorsed_on,
    )


def measures_warning(as_of: date, expires_on: date = MEASURES_EXPIRE_ON) -> str | None:
    """A Chinese warning when ``as_of`` is after the measures' expiry (《办法》第二十三条).

    The decision still answers (the platform keeps working until a successor text is loaded);
    the warning tells the reader that the legal basis has lapsed. None while in force.
    """
    if as_of <= expires_on:
        return None
    return (
        f"注意：《师宗县流动人口居住证管理办法》有效期至{zh_date(expires_on)}，"
        f"{zh_date(as_of)}已失效（《办法》第二十三条）；本结论仍按该办法作出，请以现行规定为准。"
    )
