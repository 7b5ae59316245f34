"""The dated thresholds of 人力资源和社会保障 (DESIGN §4): each with its statutory source.

The department adds later values in its 参数 page; the checks read them only through
``facts.param`` (per holder) or ``ctx.param`` (batch), so every decision names the value used.
"""

from __future__ import annotations

import datetime as dt

from core import api

from . import DEPARTMENT

START = dt.date(2016, 1, 1)  # 《居住证暂行条例》施行之日: the platform's first day of rules

MIN_WORKING_AGE = api.Parameter(
    name="human_resources.min_working_age",
    title="最低就业年龄",
    unit="岁",
    department=DEPARTMENT,
    kind="int",
    values=(api.parameter_value(
        START, 16, "《劳动法》第十五条：禁止用人单位招用未满十六周岁的未成年人"),),
    minimum=0,
    maximum=30,
    description="年满该年龄方可作为劳动者参加职工社会保险（第十八条（二）），"
                "也是职业技能培训和公共就业服务年龄下限（第十八条（七））",
)

TRAINING_AGE_MAX = api.Parameter(
    name="human_resources.training_age_max",
    title="职业技能培训年龄上限",
    unit="岁",
    department=DEPARTMENT,
    kind="int",
    values=(api.parameter_value(
        START, 60, "师宗县职业技能培训补贴对象口径：劳动年龄内（演示值）"),),
    minimum=0,
    maximum=120,
    description="劳动年龄上限：到该周岁（含）为止可参加职业技能培训和享受公共就业服务"
                "（第十八条（七））",
)


def parameters() -> list[api.Parameter]:
    return [MIN_WORKING_AGE, TRAINING_AGE_MAX]
