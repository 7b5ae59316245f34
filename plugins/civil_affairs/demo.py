"""民政's part of ``juzhu init --demo``: a community election soon and a village election next
spring in 丹凤街道, with applications from the kernel's demo holders, entered by the demo
clerk ``civil`` through the same services as the API.

Plugins seed in plugin order, so the police's demo permits may not exist yet: each
application stores the decision as it stands, and :func:`services.reassess` (wired to the
``permit_issued`` and ``permit_endorsed`` hooks) makes it again when the police's demo issues
or endorses the holder's permit. With the police's demo this gives, on the election days:
张伟 eligible and approved (on the list); 王建国 ineligible — his late endorsement restarted his
years of residence (第十四条) — although the meeting approved him; 陈𠀾 too short a residence;
李娜's permit suspended; 欧阳晓燕's permit lapsing before the village election unless endorsed;
杨丽 with no permit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import api

from . import services

COMMUNITY = "530323001001"  # a community (居委会) of 丹凤街道, where the demo holders live
VILLAGE = "530323001201"  # a village (村委会) of 丹凤街道


def next_spring(as_of: dt.date) -> dt.date:
    """20 March of the coming spring, at least 60 days away."""
    held = dt.date(as_of.year, 3, 20)
    return held if held >= as_of + dt.timedelta(days=60) else dt.date(as_of.year + 1, 3, 20)


def seed(session: Session, profile: Any, as_of: dt.date) -> None:
    clerk = session.scalar(select(api.User).where(api.User.username == "civil"))

    community_day = as_of + dt.timedelta(days=45)
    community = services.create_election(
        session, name="丹凤街道演示社区第十二届居民委员会换届选举", division_code=COMMUNITY,
        kind="community", held_on=community_day,
        registration_closes_on=community_day - dt.timedelta(days=20), actor=clerk)
    village_day = next_spring(as_of)
    village = services.create_election(
        session, name="丹凤街道演示村第十二届村民委员会换届选举", division_code=VILLAGE,
        kind="village", held_on=village_day,
        registration_closes_on=village_day - dt.timedelta(days=25), actor=clerk)

    def apply(election: Any, name: str, days_ago: int, note: str | None = None) -> Any:
        holder = session.scalar(select(api.Holder).where(api.Holder.name == name).limit(1))
        if holder is None:
            return None
        application, _ = services.apply(session, election=election, holder=holder,
                                        applied_on=as_of - dt.timedelta(days=days_ago),
                                        note=note, actor=clerk)
        return application

    zhang = apply(community, "张伟", 10, "在本社区居住满一年，本人申请")
    wang = apply(community, "王建国", 8, "本人申请；曾逾期补办签注")
    apply(community, "陈𠀾", 5)
    apply(village, "李娜", 6)
    apply(village, "欧阳晓燕", 4)
    apply(village, "杨丽", 3, "户籍在本县雄壁镇，居住在本村")

    # The 居民会议 agreed to both (the platform lists only those who also qualify).
    for application in (zhang, wang):
        if application is not None:
            services.decide(session, application, approved=True, approved_on=as_of,
                            actor=clerk)
