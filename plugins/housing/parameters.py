"""住房保障's dated thresholds (DESIGN §4), each with the document that set it.

《公共租赁住房管理办法》（住房和城乡建设部令第11号）第七条 leaves the figures to the county's
housing authority: 住房面积、收入、财产标准 and 稳定就业年限. The values below are demonstration
values of a county document; the department enters the real ones (with their start date and
document number) on its 参数 page, and every decision names the value it used.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any


from core import api

from . import DEPARTMENT

B7 = "《公共租赁住房管理办法》第七条"
SOURCE = f"师宗县公共租赁住房保障对象准入条件（县住房城乡建设局，演示值）；{B7}"
START = dt.date(2016, 1, 1)

MAX_AREA = "housing.max_owned_area_sqm"
MAX_INCOME = "housing.max_monthly_income"
MIN_MONTHS = "housing.min_insurance_months"

PARAMETERS = (
    api.Parameter(
        MAX_AREA, "人均住房建筑面积上限", "平方米", DEPARTMENT, "decimal",
        (api.parameter_value(START, Decimal("15.00"), SOURCE),), minimum=Decimal("0"),
        description="在本县有住房的，人均住房建筑面积不超过此值视为住房面积低于规定标准（第七条第一项）"),
    api.Parameter(
        MAX_INCOME, "家庭人均月收入上限", "元", DEPARTMENT, "decimal",
        (api.parameter_value(START, Decimal("3000.00"), SOURCE),), minimum=Decimal("0"),
        description="家庭人均月收入不超过此值视为收入低于规定标准（第七条第二项）"),
    api.Parameter(
        MIN_MONTHS, "在本县缴纳社会保险月数下限", "个月", DEPARTMENT, "int",
        (api.parameter_value(START, 6, SOURCE),), minimum=0, maximum=600,
        description="外来务工人员在本县稳定就业：在业且在本县缴纳社会保险不少于此月数（第七条第三项）"),
)


def parameters() -> list[api.Parameter]:
    return list(PARAMETERS)


def values_on(session: Any, as_of: dt.date) -> dict[str, Any]:
    """This plugin's parameter values on ``as_of`` (the declared history plus the department's
    rows), for the places a decision is taken outside the entitlement engine (a register
    records the decision on the day of application)."""
    return {p.name: api.parameter_on(p.name, as_of).value for p in PARAMETERS}
