"""Pure rules of 民政 for 第十八条（一）: facts, parameter values and a date in, a Decision or
a refusal out. No database, no Flask (DESIGN §3).

Ages and years of residence are periods of 民法典 第二百零一条、第二百零二条: "满 N 年" is met on
the last day of the N-year period that starts the day after the start date, i.e. when
``add_years(start, N) <= as_of``. :func:`latest_start` turns that into a bound on the start
date for the SQL form; it is ``add_years(as_of, -N)`` except on 28 February of a common year,
when a start on 29 February N years before also counts (its period ends on the 28th).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from core import api

B18_1 = "《办法》第十八条（一）"
B14 = "《办法》第十四条"
B_CONSTITUTION = "《宪法》第三十四条"
B_VILLAGE = "《村民委员会组织法》第十三条"
B_VILLAGE_LIST = "《村民委员会组织法》第十四条"
B_COMMUNITY = "《城市居民委员会组织法》第八条"
B_CODES = "统计用区划代码编制规则"

#: Kinds of election, with the committee elected.
KINDS = {"village": "村民委员会", "community": "居民委员会"}
#: The last three digits of a 12-digit statistical division code: 居民委员会 001–199,
#: 村民委员会 200–399 (统计用区划代码编制规则).
KIND_CODE_RANGES = {"community": range(1, 200), "village": range(200, 400)}

zh = api.zh_date


def latest_start(as_of: dt.date, years: int) -> dt.date:
    """The latest start date S with ``add_years(S, years) <= as_of`` (满 ``years`` 年 on
    ``as_of``); for a birth date it is the latest birth of someone ``years`` 周岁 old, exactly
    as :func:`api.rules.age_on` counts."""
    bound = api.rules.add_years(as_of, -years)
    while api.rules.add_years(bound + dt.timedelta(days=1), years) <= as_of:
        bound += dt.timedelta(days=1)
    return bound


# -- the decision of 第十八条（一） ------------------------------------------------------------------

def voting_age_reason(birth: dt.date, as_of: dt.date, voting_age: int) -> api.Reason:
    if birth > as_of:
        return api.Reason("voting_age", False,
                          f"出生日期{zh(birth)}晚于判断日{zh(as_of)}，尚无年龄可计", B_CONSTITUTION)
    age = api.rules.age_on(birth, as_of)
    if age >= voting_age:
        return api.Reason("voting_age", True,
                          f"{zh(as_of)}时{age}周岁，已满{voting_age}周岁，有选举权和被选举权"
                          "（依照法律被剥夺政治权利的人除外）", B_CONSTITUTION)
    return api.Reason(
        "voting_age", False,
        f"{zh(as_of)}时{age}周岁，未满{voting_age}周岁（{zh(api.rules.add_years(birth, voting_age))}"
        f"年满{voting_age}周岁）", B_CONSTITUTION)


def residence_reason(since: dt.date | None, as_of: dt.date, years: int) -> api.Reason:
    """Continuous residence since the permit's ``continuous_residence_since``: at least
    ``years`` years on ``as_of``. A late endorsement restarts it (第十四条)."""
    basis = f"{B_VILLAGE}、{B14}"
    if since is None:
        return api.Reason("residence_years", False,
                          "无有效居住证，居住年限无法计算（居住年限以居住证载明的连续居住起算日计算）", basis)
    restart = "；逾期未签注后补办签注的，居住年限自补办签注之日起连续计算（《办法》第十四条）"
    if api.rules.add_years(since, years) <= as_of:
        return api.Reason("residence_years", True,
                          f"自{zh(since)}起在居住地连续居住，至{zh(as_of)}已满{years}年{restart}", basis)
    return api.Reason(
        "residence_years", False,
        f"自{zh(since)}起在居住地连续居住，至{zh(as_of)}未满{years}年"
        f"（{zh(api.rules.add_years(since, years))}满{years}年）{restart}", basis)


def application_reason() -> api.Reason:
    """Informational: the holder still has to apply and be approved (第十三条)."""
    return api.Reason(
        "application", True,
        "户籍不在本村（社区）的居住证持有人，还须本人申请参加选举，并经村民会议或者村民代表会议同意，"
        "方列入参加选举的村民名单；居民委员会选举依《城市居民委员会组织法》第八条和本地做法参照办理。"
        "持证人也可依法参与管理有关社会事务", B_VILLAGE)


def voter_decision(birth: dt.date, since: dt.date | None, as_of: dt.date, voting_age: int,
                   min_years: int) -> api.Decision:
    """（一）: eligible when old enough and resident long enough on ``as_of``; the
    application reason only informs (it always passes)."""
    age = voting_age_reason(birth, as_of, voting_age)
    residence = residence_reason(since, as_of, min_years)
    return api.Decision(age.passed and residence.passed,
                        (age, residence, application_reason()))


# -- elections and applications ----------------------------------------------------------------

def check_name(name: str | None) -> str:
    text = (name or "").strip()
    if not text:
        raise api.RuleError("name", "name_missing", f"选举名称：必须填写（{B18_1}）", B18_1)
    if len(text) > 100:
        raise api.RuleError("name", "name_too_long", f"选举名称：不超过100个字（{B18_1}）", B18_1)
    return text


def check_division(code: str | None, kind: str, divisions: Any) -> str:
    """A village or community of the county: 12 digits inside the county profile's townships,
    its last three digits in the range of its kind (居委会 001–199, 村委会 200–399)."""
    value = (code or "").strip()
    basis = f"{B_VILLAGE}；{B_CODES}"
    label = "区划代码"
    if not re.fullmatch(r"[0-9]{12}", value):
        raise api.RuleError("division_code", "division_code_format",
                            f"{label}：应为12位村（社区）统计用区划代码（{basis}）", basis)
    # The county profile's townships when there is one; else the county's own code.
    in_county = (divisions.township_of(value) is not None if divisions is not None
                 else value.startswith("530323") and value[6:9] != "000")
    if not in_county:
        raise api.RuleError("division_code", "division_outside_county",
                            f"{label}：{value}不是本县乡镇（街道）下的村（社区）代码（{basis}）", basis)
    if kind in KIND_CODE_RANGES and int(value[9:]) not in KIND_CODE_RANGES[kind]:
        span = "001至199" if kind == "community" else "200至399"
        raise api.RuleError("division_code", "division_code_kind",
                            f"{label}：{KINDS[kind]}的代码末三位应为{span}，{value}不符（{basis}）", basis)
    return value


def check_kind(kind: str | None) -> str:
    if kind not in KINDS:
        raise api.RuleError("kind", "kind_unknown",
                            f"选举类别：取值无效，可选 village（村民委员会）、community（居民委员会）（{B18_1}）",
                            B18_1)
    return kind


def check_election_dates(held_on: dt.date, registration_closes_on: dt.date) -> None:
    if registration_closes_on > held_on:
        raise api.RuleError(
            "registration_closes_on", "registration_after_election",
            f"报名截止日期：{zh(registration_closes_on)}晚于选举日{zh(held_on)}，参加选举的名单须在选举日"
            f"以前确定并公布（{B_VILLAGE_LIST}）", B_VILLAGE_LIST)


def check_applied_on(applied_on: dt.date, registration_closes_on: dt.date, birth: dt.date) -> None:
    if applied_on > registration_closes_on:
        raise api.RuleError(
            "applied_on", "registration_closed",
            f"申请日期：{zh(applied_on)}晚于报名截止日期{zh(registration_closes_on)}，不能再申请参加本次选举"
            f"（{B_VILLAGE}）", B_VILLAGE)
    if applied_on < birth:
        raise api.RuleError("applied_on", "applied_before_birth",
                            f"申请日期：{zh(applied_on)}早于持证人出生日期{zh(birth)}（{B_VILLAGE}）",
                            B_VILLAGE)


def check_approval(approved: bool | None, approved_on: dt.date | None, applied_on: dt.date,
                   held_on: dt.date) -> dt.date | None:
    """The meeting's decision: none yet (approved None, no date), or yes/no on a day between
    the application and the election."""
    if approved is None:
        if approved_on is not None:
            raise api.RuleError("approved_on", "date_without_decision",
                                f"决定日期：尚未决定是否同意时不应填写（{B_VILLAGE}）", B_VILLAGE)
        return None
    if approved_on is None:
        raise api.RuleError("approved_on", "approved_on_missing",
                            f"决定日期：村民会议或者村民代表会议作出决定的日期必须填写（{B_VILLAGE}）",
                            B_VILLAGE)
    if approved_on < applied_on:
        raise api.RuleError("approved_on", "decided_before_applied",
                            f"决定日期：{zh(approved_on)}早于申请日期{zh(applied_on)}（{B_VILLAGE}）",
                            B_VILLAGE)
    if approved_on > held_on:
        raise api.RuleError("approved_on", "decided_after_election",
                            f"决定日期：{zh(approved_on)}晚于选举日{zh(held_on)}（{B_VILLAGE_LIST}）",
                            B_VILLAGE_LIST)
    return approved_on
