"""Pure rules of 人力资源和社会保障: facts, parameter values and a date in, a Decision or a
refusal out. No database, no Flask (DESIGN §3): the checks and services pass the facts in.

Ages are 周岁 as :func:`api.rules.age_on` counts them (民法典 第二百零一条、第二百零二条): a
person is N on the Nth birthday, and someone born on 29 February turns a year older on
28 February of a common year. The SQL forms compare birth dates with the bounds that
:func:`latest_birth_for_age` computes from the same rule, so both agree on every day.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Iterable, Mapping

from core import api

B18_2 = "《办法》第十八条（二）"
B18_7 = "《办法》第十八条（七）"
B18_8 = "《办法》第十八条（八）"
B_LABOUR_15 = "《劳动法》第十五条"
B_SI_FLEX = "《社会保险法》第十条、第二十三条"
B_SI_EMPLOYER = "《社会保险法》第十条、第二十三条、第五十八条"
B_SI_REGISTER = "《社会保险法》第五十八条"
B_EMPLOYMENT_SERVICE = "《就业促进法》第三十五条"
B_CREDIT_CODE = "GB 32100-2015《法人和其他组织统一社会信用代码编码规则》"

FLEXIBLE = (
    "可以灵活就业人员身份在居住地参加企业职工基本养老保险、职工基本医疗保险，由个人缴费"
    "（《社会保险法》第十条第二款、第二十三条第二款）；2021年起国家放开灵活就业人员在就业地"
    "参加社会保险的户籍限制（“十四五”规划纲要；人社部发〔2021〕56号）"
)

#: Kinds of training / employment-service records, with their Chinese names.
TRAINING_KINDS = {
    "skills_training": "职业技能培训",
    "job_guidance": "职业指导",
    "job_referral": "职业介绍",
    "exam_registration": "职业资格考试报名",
}

zh = api.zh_date


# -- ages --------------------------------------------------------------------------------------

def latest_birth_for_age(as_of: dt.date, years: int) -> dt.date:
    """The latest birth date of a person who is at least ``years`` 周岁 on ``as_of``:
    ``age_on(b, as_of) >= years`` exactly when ``b <= latest_birth_for_age(as_of, years)``.

    Usually ``add_years(as_of, -years)``; but on 28 February of a common year, someone born on
    29 February ``years`` years before is already that old (the corresponding-day rule clips
    their birthday to the 28th), so the bound moves one day on.
    """
    bound = api.rules.add_years(as_of, -years)
    while api.rules.add_years(bound + dt.timedelta(days=1), years) <= as_of:
        bound += dt.timedelta(days=1)
    return bound


def age_or_none(birth: dt.date, as_of: dt.date) -> int | None:
    """周岁 on ``as_of``; None when the person was born after ``as_of`` (a check must not
    raise for a date before the holder's birth)."""
    return None if birth > as_of else api.rules.age_on(birth, as_of)


def _unborn(birth: dt.date, as_of: dt.date, code: str, basis: str) -> api.Reason:
    return api.Reason(code, False, f"出生日期{zh(birth)}晚于判断日{zh(as_of)}，尚无年龄可计", basis)


# -- 第十八条（二）参加社会保险 ---------------------------------------------------------------------

@dataclass(frozen=True)
class EmploymentFact:
    """One employment of the holder, as the department recorded it."""

    employer: str
    started_on: dt.date
    ended_on: dt.date | None  # the last day employed; None while it lasts
    insured: bool

    def current_on(self, day: dt.date) -> bool:
        return self.started_on <= day and (self.ended_on is None or self.ended_on >= day)


def current_employment(employments: Iterable[EmploymentFact],
                       as_of: dt.date) -> EmploymentFact | None:
    """The employment that speaks for the holder on ``as_of``: an insured current one first
    (the latest started), else an uninsured current one, else None."""
    current = [e for e in employments if e.current_on(as_of)]
    current.sort(key=lambda e: (e.insured, e.started_on), reverse=True)
    return current[0] if current else None


def working_age_reason(birth: dt.date, as_of: dt.date, min_age: int) -> api.Reason:
    basis = f"{B18_2}、{B_LABOUR_15}"
    age = age_or_none(birth, as_of)
    if age is None:
        return _unborn(birth, as_of, "working_age", basis)
    if age >= min_age:
        return api.Reason("working_age", True,
                          f"{zh(as_of)}时{age}周岁，已满{min_age}周岁，可作为劳动者参加社会保险", basis)
    return api.Reason(
        "working_age", False,
        f"{zh(as_of)}时{age}周岁，未满{min_age}周岁（{zh(api.rules.add_years(birth, min_age))}年满）："
        f"不能作为劳动者以职工或灵活就业人员身份参加职工社会保险（{B_LABOUR_15}：禁止用人单位招用"
        "未满十六周岁的未成年人）；未成年人可按居住地规定参加城乡居民基本医疗保险", basis)


def employment_reason(employment: EmploymentFact | None) -> api.Reason:
    """Informational: how the holder takes part in social insurance (always passed)."""
    if employment is not None and employment.insured:
        return api.Reason(
            "employment", True,
            f"由用人单位{employment.employer}（自{zh(employment.started_on)}起在该单位就业）为其"
            "参加职工社会保险，依法享受相关待遇", B_SI_EMPLOYER)
    if employment is not None:
        return api.Reason(
            "employment", True,
            f"在{employment.employer}就业，但登记为用人单位未为其缴纳社会保险：用人单位应当自用工之日起"
            f"三十日内为职工申请办理社会保险登记（{B_SI_REGISTER}），可向人力资源和社会保障部门反映；"
            f"未在用人单位参保期间，{FLEXIBLE}", B_SI_FLEX)
    return api.Reason("employment", True, f"未登记在用人单位参保就业：{FLEXIBLE}", B_SI_FLEX)


def social_insurance_decision(birth: dt.date, as_of: dt.date, min_age: int,
                              employments: Iterable[EmploymentFact]) -> api.Decision:
    """（二）: eligible when of working age; the employment reason says how (informational)."""
    age = working_age_reason(birth, as_of, min_age)
    reasons = [age]
    if age.passed:
        reasons.append(employment_reason(current_employment(employments, as_of)))
    return api.Decision(age.passed, tuple(reasons))


# -- 第十八条（七）职业技能培训和公共就业服务 -------------------------------------------------------

def _records_reason(counts: Mapping[str, int], kinds: Iterable[str],
                    basis: str) -> api.Reason | None:
    parts = [f"{TRAINING_KINDS[k]}{counts[k]}次" for k in kinds if counts.get(k)]
    if not parts:
        return None
    return api.Reason("records", True, f"本部门在册记录：{'、'.join(parts)}", basis)


def training_age_reason(birth: dt.date, as_of: dt.date, min_age: int, max_age: int) -> api.Reason:
    age = age_or_none(birth, as_of)
    if age is None:
        return _unborn(birth, as_of, "training_age", B18_7)
    band = f"劳动年龄内（{min_age}至{max_age}周岁）"
    if age < min_age:
        return api.Reason(
            "training_age", False,
            f"{zh(as_of)}时{age}周岁，未满{min_age}周岁（{zh(api.rules.add_years(birth, min_age))}"
            f"年满），不在{band}", B18_7)
    if age > max_age:
        return api.Reason("training_age", False,
                          f"{zh(as_of)}时{age}周岁，已超过{max_age}周岁，不在{band}", B18_7)
    return api.Reason("training_age", True,
                      f"{zh(as_of)}时{age}周岁，在{band}，可参加职业技能培训，享受公共就业指导服务",
                      B18_7)


def training_decision(birth: dt.date, as_of: dt.date, min_age: int, max_age: int,
                      counts: Mapping[str, int] | None = None) -> api.Decision:
    """（七）: eligible when min_age <= age <= max_age (both bounds included)."""
    age = training_age_reason(birth, as_of, min_age, max_age)
    reasons = [age]
    if age.passed:
        reasons.append(api.Reason(
            "public_employment_service", True,
            "公共就业服务机构免费提供就业政策法规咨询、职业供求信息、职业指导和职业介绍等服务",
            B_EMPLOYMENT_SERVICE))
        records = _records_reason(counts or {}, ("skills_training", "job_guidance",
                                                 "job_referral"), B18_7)
        if records:
            reasons.append(records)
    return api.Decision(age.passed, tuple(reasons))


# -- 第十八条（八）职称评审与职业资格 ---------------------------------------------------------------

def qualification_decision(counts: Mapping[str, int] | None = None) -> api.Decision:
    """（八）: the measures add no condition beyond the permit (the engine checks that)."""
    reasons = [
        api.Reason("qualification_exams", True,
                   "持《云南省居住证》可在居住地参加专业技术职称资格考评、职业（执业）资格考试、"
                   "职业（执业）资格注册登记", B18_8),
        api.Reason("national_reform", True,
                   "多数全国统一的职业资格考试报名不以户籍或居住证为条件，报考人可按考试公告在居住地报名；"
                   "具体以各项考试的报名公告为准",
                   "人力资源社会保障部职业资格考试有关规定"),
    ]
    records = _records_reason(counts or {}, ("exam_registration",), B18_8)
    if records:
        reasons.append(records)
    return api.Decision(True, tuple(reasons))


# -- validation of the department's records ---------------------------------------------------

CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100-2015: no I, O, Z, S, V
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_check_char(first17: str) -> str:
    """The 18th character of a unified social credit code (GB 32100-2015, MOD 31)."""
    total = sum(CREDIT_CHARS.index(c) * w for c, w in zip(first17, CREDIT_WEIGHTS))
    return CREDIT_CHARS[(31 - total % 31) % 31]


def check_credit_code(code: str | None) -> str | None:
    """A unified social credit code stripped and upper-cased, None when blank, or a refusal."""
    value = (code or "").strip().upper()
    if not value:
        return None
    if not re.fullmatch(f"[{CREDIT_CHARS}]{{18}}", value):
        raise api.RuleError(
            "credit_code", "credit_code_format",
            f"统一社会信用代码：应为18位数字或大写字母（不含I、O、Z、S、V）（{B_CREDIT_CODE}）",
            B_CREDIT_CODE)
    if credit_check_char(value[:17]) != value[17]:
        raise api.RuleError(
            "credit_code", "credit_code_check",
            f"统一社会信用代码：校验码不符，请核对（{B_CREDIT_CODE}）", B_CREDIT_CODE)
    return value


def check_text(value: str | None, field: str, label: str, max_length: int, basis: str,
               required: bool = True) -> str | None:
    text = (value or "").strip()
    if not text:
        if required:
            raise api.RuleError(field, f"{field}_missing", f"{label}：必须填写（{basis}）", basis)
        return None
    if len(text) > max_length:
        raise api.RuleError(field, f"{field}_too_long",
                            f"{label}：不超过{max_length}个字（{basis}）", basis)
    return text


def check_end_not_before_start(started_on: dt.date, ended_on: dt.date | None) -> None:
    """An employment ends on or after the day it started (invalid whoever sends it)."""
    if ended_on is not None and ended_on < started_on:
        raise api.RuleError(
            "ended_on", "ended_before_started",
            f"结束日期：{zh(ended_on)}早于开始日期{zh(started_on)}，应在开始日期当日或以后"
            f"（{B18_2}）", B18_2)


def check_employment_dates(birth: dt.date, started_on: dt.date, ended_on: dt.date | None) -> None:
    """Dates of an employment in order: the end not before the start, nothing before birth."""
    check_end_not_before_start(started_on, ended_on)
    if started_on < birth:
        raise api.RuleError(
            "started_on", "started_before_birth",
            f"开始日期：{zh(started_on)}早于持证人出生日期{zh(birth)}（{B18_2}）", B18_2)


def check_training(birth: dt.date, kind: str, on: dt.date) -> None:
    basis = B18_8 if kind == "exam_registration" else B18_7
    if kind not in TRAINING_KINDS:
        raise api.RuleError("kind", "kind_unknown",
                            f"类别：取值无效，可选 {'、'.join(TRAINING_KINDS.values())}（{B18_7}）", B18_7)
    if on < birth:
        raise api.RuleError("on", "on_before_birth",
                            f"日期：{zh(on)}早于持证人出生日期{zh(birth)}（{basis}）", basis)
