"""The education department's dated parameters (DESIGN §4), each with its statutory source.

The ages are 周岁 counted on the school year's cut-off day (age_on: 民法典第二百零一条、
第二百零二条). Values start on 2016-01-01, when the permit regime began (《居住证暂行条例》),
unless their source is later. The department adds later values in its 参数 page; checks read
them only through ``facts.param`` / ``ctx.param``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any


from core import api

from . import DEPARTMENT

START = dt.date(2016, 1, 1)  # 《居住证暂行条例》施行

PRESCHOOL_AGE_MIN = "education.preschool_age_min"
COMPULSORY_AGE_MIN = "education.compulsory_age_min"
COMPULSORY_AGE_MAX = "education.compulsory_age_max"
SCHOOL_YEAR_CUTOFF = "education.school_year_cutoff"

NAMES = (PRESCHOOL_AGE_MIN, COMPULSORY_AGE_MIN, COMPULSORY_AGE_MAX, SCHOOL_YEAR_CUTOFF)


def parameters() -> list[api.Parameter]:
    return [
        api.Parameter(
            PRESCHOOL_AGE_MIN, "学前教育入园年龄下限", "岁", DEPARTMENT, "int",
            (api.parameter_value(START, 3, "《幼儿园工作规程》（国家教育委员会令第25号，1996年）"
                                           "第二条：幼儿园是对三周岁以上学龄前幼儿实施保育和教育的机构"),
             api.parameter_value(dt.date(2016, 3, 1), 3,
                                 "《幼儿园工作规程》（教育部令第39号，2016年3月1日起施行）第二条："
                                 "幼儿园适龄幼儿一般为3周岁至6周岁")),
            minimum=0, maximum=18,
            description="按学年截止日计算的周岁；达到该年龄、未到义务教育入学年龄的为学前教育阶段"),
        api.Parameter(
            COMPULSORY_AGE_MIN, "义务教育入学年龄", "岁", DEPARTMENT, "int",
            (api.parameter_value(START, 6, "《中华人民共和国义务教育法》第十一条：凡年满六周岁的儿童，"
                                           "其父母或者其他法定监护人应当送其入学接受并完成义务教育"),),
            minimum=0, maximum=18,
            description="按学年截止日计算的周岁；等于该年龄的儿童本学年入学一年级"),
        api.Parameter(
            COMPULSORY_AGE_MAX, "义务教育年龄上限", "岁", DEPARTMENT, "int",
            (api.parameter_value(START, 15, "九年义务教育：6周岁入学，按《中华人民共和国义务教育法》"
                                            "第二条（国家实行九年义务教育制度）计至15周岁"),),
            minimum=0, maximum=25,
            description="按学年截止日计算的周岁；不超过该年龄的为义务教育阶段"),
        api.Parameter(
            SCHOOL_YEAR_CUTOFF, "入学年龄计算截止日", "", DEPARTMENT, "month_day",
            (api.parameter_value(START, "08-31", "入学年龄以学年开始当年8月31日为计算截止日"
                                                 "（云南省义务教育招生入学工作惯例）"),),
            description="学年自截止日的次日开始（08-31 → 9月1日开学）；儿童年龄按学年开始当年的截止日计算"),
    ]


class ValuesOn:
    """The education parameters on one date, for pages outside the entitlement engine (the
    enrolment list): ``ValuesOn(session, day)(name)``; ``used`` lists what was read as
    ``{name, title, unit, value, since, source}``, like an entitlement decision."""

    def __init__(self, session: Any, day: dt.date) -> None:
        self.day = day
        self.declared = {p.name: p for p in parameters()}
        self.used: list[dict[str, Any]] = []

    def __call__(self, name: str) -> Any:
        try:
            value = api.parameter_on(name, self.day)
        except api.ParameterError as err:
            raise api.ParameterError(err.code, err.message, "school_year") from None
        p = self.declared[name]
        self.used.append({"name": name, "title": p.title, "unit": p.unit, **value.as_dict()})
        return value.value
