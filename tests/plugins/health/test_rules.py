"""第十八条（六）'s pure rules: nothing beyond the permit; whether a logged service was free
follows the permit on the day served; the service list and the date checks (no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from core import api as kernel
from plugins.health import rules
from plugins.health.rules import PermitOnDay

D = dt.date
B = "《办法》第十八条（六）"


def test_the_decision_asks_nothing_beyond_the_permit() -> None:
    decision = rules.decision()
    assert decision.eligible is True
    assert [(r.code, r.passed) for r in decision.reasons] == [
        ("permit_suffices", True), ("residents_covered", True)]
    first, second = decision.reasons
    assert first.basis == B and "不设其他条件" in first.text
    for item in ("建立居民健康档案", "健康教育", "预防接种", "0—6岁儿童健康管理", "孕产妇健康管理",
                 "老年人健康管理", "慢性病患者健康管理", "严重精神障碍患者管理", "肺结核患者健康管理",
                 "传染病及突发公共卫生事件报告和处理", "计划生育技术服务"):
        assert item in first.text, item
    assert "《基本医疗卫生与健康促进法》第十五条" in second.basis and "常住人口" in second.text
    assert decision.parameters == {}  # no threshold: nothing dated to name


@pytest.mark.parametrize("permit, free, basis, says", [
    (PermitOnDay("1001", "valid", D(2027, 1, 15)), True, "《办法》第十四条", "持有有效的"),
    (PermitOnDay("1001", "suspended", D(2026, 1, 15)), False, "《办法》第十四条", "使用功能中止"),
    (PermitOnDay("1001", "revoked", D(2027, 1, 15)), False, "《办法》第十八条", "已注销"),
    (None, False, "《办法》第十八条", "未持有"),
])
def test_a_service_is_free_iff_the_permit_was_valid_that_day(permit: PermitOnDay | None,
                                                             free: bool, basis: str,
                                                             says: str) -> None:
    decision = rules.service_decision(permit, D(2026, 6, 1))
    assert decision.eligible is free
    first, second = decision.reasons
    assert first.code == "permit" and first.passed is free and first.basis == basis
    assert says in first.text and "服务日2026年6月1日" in first.text
    assert second.code == "permit_suffices" and second.basis == B


def test_every_code_and_chinese_name_is_accepted() -> None:
    assert len(rules.SERVICES) == 13 and "family_planning" in rules.SERVICES
    for code, name in rules.SERVICES.items():
        assert rules.service_code(code) == code
        assert rules.service_code(name) == code
    assert rules.service_code(" vaccination ") == "vaccination"


@pytest.mark.parametrize("raw", ["dentistry", "", None, "VACCINATION"])
def test_an_unknown_service_lists_the_allowed_names(raw: str | None) -> None:
    with pytest.raises(kernel.RuleError) as err:
        rules.service_code(raw)
    assert err.value.field == "service" and err.value.code == "service_unknown"
    assert "服务项目" in err.value.message and "计划生育技术服务" in err.value.message
    assert "预防接种（vaccination）" in err.value.message and B in err.value.message


@pytest.mark.parametrize("served_on, code", [
    (D(2026, 12, 4), None),  # today itself
    (D(2026, 12, 5), "served_on_in_future"),  # tomorrow
    (D(1990, 3, 7), None),  # the day of birth
    (D(1990, 3, 6), "served_on_before_birth"),
    (None, "served_on_required"),
])
def test_the_day_served(served_on: dt.date | None, code: str | None) -> None:
    if code is None:
        assert rules.check_served_on(served_on, today=D(2026, 12, 4),
                                     birth_date=D(1990, 3, 7)) == served_on
        return
    with pytest.raises(kernel.RuleError) as err:
        rules.check_served_on(served_on, today=D(2026, 12, 4), birth_date=D(1990, 3, 7))
    assert (err.value.field, err.value.code) == ("served_on", code)
    assert "服务日期" in err.value.message and B in err.value.message
