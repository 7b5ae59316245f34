"""第十八条（五） 获得法律援助, as pure functions of the recorded means and the dated standard.
No database, no Flask.

《中华人民共和国法律援助法》（2022年1月1日起施行）:
- 第三十一条: the matters for which a party 因经济困难没有委托代理人的 may apply;
- 第三十二条: matters with NO economic-hardship condition (不受经济困难条件的限制);
- 第三十四条: the province sets the economic-hardship standard (our dated parameter);
- 第三十八条: 诉讼事项向办案机关所在地、非诉讼事项向争议处理机关所在地或者事由发生地的法律援助
  机构提出申请 — with the permit, at the place of residence (《办法》第十八条（五）).

The generic item (no matter given) is eligible when the holder is economically in hardship by
the recorded means; an application for a 第三十二条 matter is eligible whatever the means.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from core import api

B185 = "《办法》第十八条（五）"
B31 = "《法律援助法》第三十一条"
B32 = "《法律援助法》第三十二条"
B34 = "《法律援助法》第三十四条"
B38 = "《法律援助法》第三十八条"


@dataclass(frozen=True)
class Matter:
    code: str
    name: str  # Chinese, as the law words it
    article: str  # e.g. "第三十一条第（一）项"
    exempt: bool  # 第三十二条: no economic-hardship test


_M31 = [
    ("state_compensation", "依法请求国家赔偿"),
    ("social_insurance", "请求给予社会保险待遇或者社会救助"),
    ("pension", "请求发给抚恤金"),
    ("maintenance", "请求给付赡养费、抚养费、扶养费"),
    ("labour", "请求确认劳动关系或者支付劳动报酬"),
    ("legal_capacity", "请求认定公民无民事行为能力或者限制民事行为能力"),
    ("personal_injury", "请求工伤事故、交通事故、食品药品安全事故、医疗事故人身损害赔偿"),
    ("environment", "请求环境污染、生态破坏损害赔偿"),
    ("other_31", "法律、法规、规章规定的其他情形（须经济困难）"),
]
_M32 = [
    ("martyr_dignity", "英雄烈士近亲属为维护英雄烈士的人格权益"),
    ("good_samaritan", "因见义勇为行为主张相关民事权益"),
    ("wrongful_conviction", "再审改判无罪请求国家赔偿"),
    ("abuse_victim", "遭受虐待、遗弃或者家庭暴力的受害人主张相关权益"),
    ("other_32", "法律、法规、规章规定的其他不受经济困难条件限制的情形"),
]
_ITEMS = "一二三四五六七八九"

#: Every matter an application may name, 第三十一条 first, then 第三十二条.
MATTERS: dict[str, Matter] = {
    **{code: Matter(code, name, f"第三十一条第（{_ITEMS[i]}）项", False)
       for i, (code, name) in enumerate(_M31)},
    **{code: Matter(code, name, f"第三十二条第（{_ITEMS[i]}）项", True)
       for i, (code, name) in enumerate(_M32)},
}
EXEMPT = tuple(code for code, m in MATTERS.items() if m.exempt)


@dataclass(frozen=True)
class Means:
    """One row of recorded means (None: income not recorded)."""

    recorded_on: dt.date
    monthly_income_per_person: Decimal | None


def residence_reason() -> api.Reason:
    return api.Reason(
        "residence_application", True,
        "持《云南省居住证》，可在居住地师宗县向法律援助机构申请法律援助：诉讼事项向办案机关所在地、"
        "非诉讼事项向争议处理机关所在地或者事由发生地的法律援助机构提出",
        f"{B185}；{B38}")


def hardship_reason(means: Means | None, hardship_max: Decimal) -> api.Reason:
    """经济困难: household income per person not above the province's standard."""
    basis = f"{B31}、第三十四条"
    standard = f"经济困难标准为家庭人均月收入不超过{hardship_max}元"
    if means is None or means.monthly_income_per_person is None:
        when = "" if means is None else f"（{api.zh_date(means.recorded_on)}的登记未填收入）"
        return api.Reason("economic_hardship", False,
                          f"未登记经济状况{when}，可在申请法律援助时由法律援助机构核查（{standard}）",
                          basis)
    income = means.monthly_income_per_person
    when = f"（{api.zh_date(means.recorded_on)}登记）"
    if income <= hardship_max:
        return api.Reason("economic_hardship", True,
                          f"经济困难：家庭人均月收入{income}元，不超过经济困难标准{hardship_max}元{when}",
                          basis)
    return api.Reason("economic_hardship", False,
                      f"家庭人均月收入{income}元，高于经济困难标准{hardship_max}元{when}；"
                      "第三十一条所列事项须经济困难，第三十二条所列事项不受此限", basis)


def no_means_test_reason() -> api.Reason:
    names = "；".join(MATTERS[c].name for c in EXEMPT)
    return api.Reason("no_means_test", True,
                      f"下列情形申请法律援助不受经济困难条件的限制：{names}", B32)


def decide(means: Means | None, hardship_max: Decimal) -> api.Decision:
    """The generic item: eligible when economic hardship passes; the other two reasons
    inform (where to apply, which matters need no means test)."""
    hardship = hardship_reason(means, hardship_max)
    return api.Decision(hardship.passed,
                        (residence_reason(), hardship, no_means_test_reason()))


def matter_reason(matter: Matter) -> api.Reason:
    if matter.exempt:
        return api.Reason("matter", True,
                          f"申请事项“{matter.name}”属于《法律援助法》{matter.article}，"
                          "不受经济困难条件的限制", B32)
    return api.Reason("matter", True,
                      f"申请事项“{matter.name}”属于《法律援助法》{matter.article}：因经济困难没有"
                      "委托代理人的，可以申请法律援助", B31)


def application_decision(matter_code: str, means: Means | None,
                         hardship_max: Decimal) -> api.Decision:
    """One application: eligible if the matter is exempt (第三十二条) OR economic hardship
    passes. An exempt matter's decision does not look at the means at all."""
    matter = MATTERS[matter_code]
    first = matter_reason(matter)
    if matter.exempt:
        return api.Decision(True, (first,))
    hardship = hardship_reason(means, hardship_max)
    return api.Decision(hardship.passed, (first, hardship))
