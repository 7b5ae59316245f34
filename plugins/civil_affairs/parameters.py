"""The dated thresholds of 民政 (DESIGN §4), each with the law that set it and the day it did.

The first values start on the laws' own dates (both before 2016-01-01, the day the permit
regulation took effect), so every decision the platform can make has a value.
"""

from __future__ import annotations

import datetime as dt

from core import api

from . import DEPARTMENT

VOTING_AGE = api.Parameter(
    name="civil_affairs.voting_age",
    title="选举年龄",
    unit="岁",
    department=DEPARTMENT,
    kind="int",
    values=(api.parameter_value(
        dt.date(1982, 12, 4), 18,
        "《宪法》第三十四条：年满十八周岁的公民，都有选举权和被选举权"),),
    minimum=0,
    maximum=120,
    description="选举日年满该周岁，有选举权和被选举权（第十八条（一））",
)

MIN_RESIDENCE_YEARS = api.Parameter(
    name="civil_affairs.min_residence_years",
    title="参加选举的最短居住年限",
    unit="年",
    department=DEPARTMENT,
    kind="int",
    values=(api.parameter_value(
        dt.date(2010, 10, 28), 1,
        "《村民委员会组织法》第十三条（2010年10月28日修订）：户籍不在本村，在本村居住一年以上，"
        "本人申请参加选举，并且经村民会议或者村民代表会议同意参加选举的公民，应当列入参加选举的村民名单"),),
    minimum=0,
    maximum=20,
    description="居住证载明的连续居住起算日至选举日满该年数（第十八条（一）；逾期补办签注的，"
                "自补办之日起重新计算，《办法》第十四条）",
)


def parameters() -> list[api.Parameter]:
    return [VOTING_AGE, MIN_RESIDENCE_YEARS]
