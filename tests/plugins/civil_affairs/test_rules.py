"""The pure rules of 第十八条（一), table by table: the voting age on the birthday itself and
the day before, years of residence to the exact day (29 February included), no permit, and
the validation of elections, applications and the meeting's decision."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from core import api as kernel
from core.profile import load_profile
from plugins.civil_affairs import rules

D = dt.date
DIVISIONS = load_profile().divisions


def test_latest_start_agrees_with_the_period_rule() -> None:
    starts = [D(2023, 2, 25) + dt.timedelta(days=i) for i in range(400)]
    days = [D(2025, 2, 26) + dt.timedelta(days=i) for i in range(5)] + \
        [D(2026, 2, 26) + dt.timedelta(days=i) for i in range(5)]
    for years in (1, 2, 18):
        for as_of in days:
            bound = rules.latest_start(as_of, years)
            for start in starts:
                assert (kernel.rules.add_years(start, years) <= as_of) == (start <= bound)
    # the brief's add_years(as_of, -N) except on 28 February of a common year
    assert rules.latest_start(D(2026, 12, 4), 1) == D(2025, 12, 4)
    assert rules.latest_start(D(2025, 2, 28), 1) == D(2024, 2, 29)


@pytest.mark.parametrize("birth, as_of, passed, words", [
    (D(2009, 3, 20), D(2027, 3, 20), True, "18周岁，已满18周岁"),        # the 18th birthday
    (D(2009, 3, 21), D(2027, 3, 20), False, "17周岁，未满18周岁（2027年3月21日年满18周岁）"),
    (D(2008, 2, 29), D(2026, 2, 28), True, "已满18周岁"),                  # 02-29 → 02-28
    (D(2008, 2, 29), D(2026, 2, 27), False, "未满18周岁"),
    (D(2030, 1, 1), D(2027, 3, 20), False, "晚于判断日"),
])
def test_voting_age(birth: dt.date, as_of: dt.date, passed: bool, words: str) -> None:
    reason = rules.voting_age_reason(birth, as_of, 18)
    assert (reason.code, reason.passed, reason.basis) == ("voting_age", passed, "《宪法》第三十四条")
    assert words in reason.text


@pytest.mark.parametrize("since, as_of, passed", [
    (D(2026, 3, 20), D(2027, 3, 20), True),     # exactly one year
    (D(2026, 3, 21), D(2027, 3, 20), False),    # one day short
    (D(2024, 2, 29), D(2025, 2, 28), True),     # the period ends on 28 February
    (D(2024, 2, 29), D(2025, 2, 27), False),
    (D(2020, 1, 1), D(2027, 3, 20), True),
])
def test_years_of_residence(since: dt.date, as_of: dt.date, passed: bool) -> None:
    reason = rules.residence_reason(since, as_of, 1)
    assert (reason.code, reason.passed) == ("residence_years", passed)
    assert "《村民委员会组织法》第十三条" in reason.basis and "《办法》第十四条" in reason.basis
    assert "自补办签注之日起连续计算" in reason.text
    assert ("未满1年" in reason.text) is not passed


def test_no_permit_no_years() -> None:
    reason = rules.residence_reason(None, D(2027, 3, 20), 1)
    assert not reason.passed and reason.text.startswith("无有效居住证，居住年限无法计算")


@pytest.mark.parametrize("birth, since, eligible", [
    (D(1990, 3, 7), D(2025, 1, 1), True),
    (D(2010, 3, 7), D(2025, 1, 1), False),      # too young
    (D(1990, 3, 7), D(2026, 12, 1), False),     # too recent
    (D(1990, 3, 7), None, False),               # no permit
])
def test_the_decision_needs_age_and_residence(birth: dt.date, since: Any, eligible: bool) -> None:
    decision = rules.voter_decision(birth, since, D(2027, 3, 20), 18, 1)
    assert decision.eligible is eligible
    assert [r.code for r in decision.reasons] == ["voting_age", "residence_years", "application"]
    application = decision.reasons[2]
    assert application.passed and application.basis == "《村民委员会组织法》第十三条"
    assert "村民会议或者村民代表会议同意" in application.text


@pytest.mark.parametrize("code, kind, error", [
    ("530323001001", "community", None),
    ("530323102201", "village", None),
    ("530323102201", "community", "division_code_kind"),    # 2xx is a village
    ("530323001001", "village", "division_code_kind"),
    ("530323999201", "village", "division_outside_county"),  # no such township
    ("530302001201", "village", "division_outside_county"),  # 麒麟区
    ("530323001", "village", "division_code_format"),
    ("53032300120A", "village", "division_code_format"),
])
def test_division_codes(code: str, kind: str, error: str | None) -> None:
    if error is None:
        assert rules.check_division(code, kind, DIVISIONS) == code
        return
    with pytest.raises(kernel.RuleError) as exc:
        rules.check_division(code, kind, DIVISIONS)
    assert (exc.value.field, exc.value.code) == ("division_code", error)
    assert exc.value.message.startswith("区划代码：")


def test_without_a_profile_the_county_prefix_is_checked() -> None:
    assert rules.check_division("530323102201", "village", None) == "530323102201"
    with pytest.raises(kernel.RuleError):
        rules.check_division("530302102201", "village", None)


def test_dates_of_elections_and_applications() -> None:
    rules.check_election_dates(D(2027, 3, 20), D(2027, 3, 20))
    with pytest.raises(kernel.RuleError) as exc:
        rules.check_election_dates(D(2027, 3, 20), D(2027, 3, 21))
    assert exc.value.field == "registration_closes_on"
    rules.check_applied_on(D(2027, 3, 1), D(2027, 3, 1), D(1990, 3, 7))   # the last day
    with pytest.raises(kernel.RuleError) as exc:
        rules.check_applied_on(D(2027, 3, 2), D(2027, 3, 1), D(1990, 3, 7))
    assert (exc.value.field, exc.value.code) == ("applied_on", "registration_closed")
    assert exc.value.message.startswith("申请日期：2027年3月2日晚于报名截止日期2027年3月1日")


@pytest.mark.parametrize("approved, approved_on, field", [
    (None, None, None),
    (True, D(2027, 2, 1), None),
    (False, D(2027, 3, 20), None),            # on the election day itself
    (None, D(2027, 2, 1), "approved_on"),
    (True, None, "approved_on"),
    (True, D(2027, 1, 9), "approved_on"),     # before the application
    (True, D(2027, 3, 21), "approved_on"),    # after the election
])
def test_the_meetings_decision(approved: Any, approved_on: Any, field: str | None) -> None:
    args = (approved, approved_on, D(2027, 1, 10), D(2027, 3, 20))
    if field is None:
        assert rules.check_approval(*args) == approved_on
    else:
        with pytest.raises(kernel.RuleError) as exc:
            rules.check_approval(*args)
        assert exc.value.field == field and exc.value.message.startswith("决定日期：")
