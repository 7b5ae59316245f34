"""The department's part of ``juzhu init --demo``: employment records (insured, uninsured,
ended) and training / employment-service records for the kernel's demo holders, entered by
the demo clerk ``hrss`` through the same services as the API (so each is audited).

The kernel's demo has no holder under 16, so a 15-year-old (王小芳, 王建国's daughter) is
added through :func:`api.create_holder`: her decision shows the working-age refusal of
第十八条（二）（七）. Plugins' demo data run in plugin order, so nothing here depends on the
police's demo (permits); the permit's part of each decision is the engine's.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import api

from . import rules, services

TRAINING_CENTRE = "师宗县职业技能培训中心"
EMPLOYMENT_SERVICE = "师宗县公共就业和人才服务中心"


def credit_code(first17: str) -> str:
    return first17 + rules.credit_check_char(first17)


def _holder(session: Session, name: str) -> Any:
    return session.scalar(select(api.Holder).where(api.Holder.name == name).limit(1))


def _teenager(session: Session, as_of: dt.date, actor: Any) -> Any:
    """A 15-year-old (born a little over 15 years before ``as_of``), valid ID number."""
    birth = api.rules.add_years(as_of, -15) - dt.timedelta(days=40)
    first17 = f"452601{birth:%Y%m%d}168"  # 17th digit even: female
    return api.create_holder(session, api.HolderFacts(
        "王小芳", "female", "壮族", birth, first17 + api.rules.id_check_char(first17),
        "广西百色市右江区", "451002", None), as_of=as_of, actor=actor)


def seed(session: Session, profile: Any, as_of: dt.date) -> None:
    def ago(days: int) -> dt.date:
        return as_of - dt.timedelta(days=days)

    clerk = session.scalar(select(api.User).where(api.User.username == "hrss"))

    def job(name: str, employer: str, code: str | None, started: int, ended: int | None,
            insured: bool) -> None:
        holder = _holder(session, name)
        if holder is not None:
            services.record_employment(
                session, holder=holder, employer=employer,
                credit_code=credit_code(code) if code else None, started_on=ago(started),
                ended_on=ago(ended) if ended is not None else None, insured=insured,
                actor=clerk)

    def service(name: str, kind: str, days: int, provider: str, note: str | None) -> None:
        holder = _holder(session, name)
        if holder is not None:
            services.record_training(session, holder=holder, kind=kind, on=ago(days),
                                     provider=provider, note=note, actor=clerk)

    # Insured by the employer (职工社会保险).
    job("张伟", "师宗县演示建材有限公司", "91530323MA6K0A1B2", 600, None, True)
    job("欧阳晓燕", "师宗县演示物流有限公司", "91530323MA6K0C3D4", 300, None, True)
    # Employed but not insured: the decision names the employer's duty (社会保险法第五十八条).
    job("李娜", "师宗县丹凤街道演示餐馆", None, 400, None, False)
    # Employment ended: flexible-employment insurance is the way now.
    job("王建国", "师宗县演示煤业有限公司", "91530323MA6K0E5F6", 900, 200, True)
    job("杨丽", "师宗县雄壁镇演示农业合作社", None, 700, 365, False)

    service("张伟", "skills_training", 200, TRAINING_CENTRE, "低压电工作业培训（40学时）")
    service("李娜", "job_guidance", 100, EMPLOYMENT_SERVICE, "求职登记与职业指导")
    service("王建国", "job_referral", 150, EMPLOYMENT_SERVICE, "推荐至县城物流园区仓储岗位")
    service("王建国", "skills_training", 120, TRAINING_CENTRE, "叉车司机培训")
    service("陈𠀾", "exam_registration", 20, "曲靖市人事考试中心", "初级会计专业技术资格考试报名")
    service("欧阳晓燕", "exam_registration", 45, "曲靖市人事考试中心", "二级建造师执业资格考试报名")

    _teenager(session, as_of, clerk)
