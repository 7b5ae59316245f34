"""司法行政's dated threshold (DESIGN §4): the economic-hardship standard.

《法律援助法》第三十四条: 经济困难的标准，由省、自治区、直辖市人民政府根据本行政区域经济发展
状况和法律援助工作需要确定，并实行动态调整. The value below is a demonstration value (the law
took effect on 2022-01-01); the department enters the province's current figure, with its start
date and document, on its 参数 page, and every decision names the value it used.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any


from core import api

from . import DEPARTMENT

B34 = "《法律援助法》第三十四条"
SOURCE = f"云南省法律援助经济困难标准：参照当地城乡居民最低生活保障标准（演示值）；{B34}"

HARDSHIP_MAX = "justice.hardship_income_max"

PARAMETERS = (
    api.Parameter(
        HARDSHIP_MAX, "经济困难标准（家庭人均月收入上限）", "元", DEPARTMENT, "decimal",
        # Before the 法律援助法 (2022-01-01) the 法律援助条例 left the same standard to the
        # province (第十三条); the permit regime starts on 2016-01-01, so both periods answer.
        (api.parameter_value(dt.date(2016, 1, 1), Decimal("2000.00"),
                             "云南省法律援助经济困难标准（演示值）；《法律援助条例》（国务院令第385号）第十三条"),
         api.parameter_value(dt.date(2022, 1, 1), Decimal("2000.00"), SOURCE)),
        minimum=Decimal("0"),
        description="家庭人均月收入不超过此值的，为经济困难（《法律援助法》第三十一条、第三十四条）"),
)


def parameters() -> list[api.Parameter]:
    return list(PARAMETERS)


def values_on(session: Any, as_of: dt.date) -> dict[str, Any]:
    """This plugin's parameter values on ``as_of`` (the declared history plus the department's
    rows), for the places a decision is taken outside the entitlement engine (a register
    records the decision on the day of application)."""
    return {p.name: api.parameter_on(p.name, as_of).value for p in PARAMETERS}
