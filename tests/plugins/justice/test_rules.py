"""第十八条（五） rules, table by table: economic hardship both ways with the standard exact,
NULLs, the informational reasons, and the per-application decision (exempt OR hardship)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from plugins.justice import rules

D = Decimal
MAX = D("2000.00")
ON = dt.date(2026, 3, 1)


def means(income: str | None) -> rules.Means:
    return rules.Means(ON, None if income is None else D(income))


@pytest.mark.parametrize("m, passed, words", [
    (means("2000.00"), True, "2000.00元，不超过经济困难标准2000.00元"),   # exactly the standard
    (means("1999.99"), True, "经济困难"),
    (means("0.00"), True, "0.00元"),
    (means("2000.01"), False, "2000.01元，高于经济困难标准2000.00元"),     # one cent above
    (means("8000.00"), False, "第三十二条所列事项不受此限"),
    (means(None), False, "未登记经济状况（2026年3月1日的登记未填收入）"),
    (None, False, "未登记经济状况，可在申请法律援助时由法律援助机构核查"),
])
def test_economic_hardship(m: Any, passed: bool, words: str) -> None:
    reason = rules.hardship_reason(m, MAX)
    assert (reason.code, reason.passed) == ("economic_hardship", passed)
    assert words in reason.text, reason.text
    assert reason.basis == "《法律援助法》第三十一条、第三十四条"
    if m is not None and m.monthly_income_per_person is not None:
        assert "2026年3月1日登记" in reason.text


@pytest.mark.parametrize("m, eligible", [
    (means("1500.00"), True), (means("2000.00"), True), (means("2000.01"), False),
    (means(None), False), (None, False),
])
def test_the_item_is_eligible_exactly_when_hardship_passes(m: Any, eligible: bool) -> None:
    decision = rules.decide(m, MAX)
    assert decision.eligible is eligible
    codes = [(r.code, r.passed) for r in decision.reasons]
    assert codes == [("residence_application", True), ("economic_hardship", eligible),
                     ("no_means_test", True)]
    residence, _, exempt = decision.reasons
    assert residence.basis == "《办法》第十八条（五）；《法律援助法》第三十八条"
    assert "办案机关所在地" in residence.text
    assert exempt.basis == "《法律援助法》第三十二条"
    for words in ("英雄烈士近亲属", "见义勇为", "再审改判无罪请求国家赔偿", "家庭暴力"):
        assert words in exempt.text


def test_the_standard_follows_the_value_given() -> None:
    assert not rules.hardship_reason(means("1500.00"), D("1200.00")).passed
    assert rules.hardship_reason(means("1500.00"), D("1500.00")).passed


def test_the_matter_list_names_articles_31_and_32() -> None:
    assert len([m for m in rules.MATTERS.values() if not m.exempt]) == 9
    assert rules.EXEMPT == ("martyr_dignity", "good_samaritan", "wrongful_conviction",
                            "abuse_victim", "other_32")
    assert rules.MATTERS["state_compensation"].article == "第三十一条第（一）项"
    assert rules.MATTERS["environment"].article == "第三十一条第（八）项"
    assert rules.MATTERS["abuse_victim"].article == "第三十二条第（四）项"
    assert rules.MATTERS["labour"].name == "请求确认劳动关系或者支付劳动报酬"


@pytest.mark.parametrize("matter, m, eligible, codes", [
    # 第三十二条: eligible whatever the means, and the means are not examined
    ("abuse_victim", means("9000.00"), True, ["matter"]),
    ("good_samaritan", None, True, ["matter"]),
    ("wrongful_conviction", means(None), True, ["matter"]),
    ("martyr_dignity", means("2000.01"), True, ["matter"]),
    # 第三十一条: economic hardship decides
    ("labour", means("2000.00"), True, ["matter", "economic_hardship"]),
    ("labour", means("2000.01"), False, ["matter", "economic_hardship"]),
    ("maintenance", means(None), False, ["matter", "economic_hardship"]),
    ("state_compensation", None, False, ["matter", "economic_hardship"]),
    ("personal_injury", means("100.00"), True, ["matter", "economic_hardship"]),
])
def test_an_application_is_eligible_if_exempt_or_in_hardship(matter: str, m: Any,
                                                             eligible: bool,
                                                             codes: list[str]) -> None:
    decision = rules.application_decision(matter, m, MAX)
    assert decision.eligible is eligible
    assert [r.code for r in decision.reasons] == codes
    first = decision.reasons[0]
    assert first.passed and rules.MATTERS[matter].name in first.text
    if rules.MATTERS[matter].exempt:
        assert first.basis == "《法律援助法》第三十二条" and "不受经济困难条件的限制" in first.text
    else:
        assert first.basis == "《法律援助法》第三十一条"
        assert decision.reasons[1].passed is eligible
