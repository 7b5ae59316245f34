"""The health department's part of ``juzhu init --demo``: a dozen services over the last
months, through the same service as the API (audited as the demo clerk ``health``).

``free`` is decided from the holder's permit on the day served, so these rows need the
police's demo permits: the plugin seeds after ``public_security`` (``SEED_AFTER``). 李娜's
permit is left unendorsed by the police's demo: her services after it lapsed are not free.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import api

from . import services

DANFENG = "丹凤街道社区卫生服务中心"
YANGYUE = "漾月街道社区卫生服务中心"
XIONGBI = "雄壁镇卫生院"
MCH = "师宗县妇幼保健院"
CDC = "师宗县疾病预防控制中心"

# holder, service, days before as_of, provider, note
ROWS = (
    ("张伟", "health_records", 150, DANFENG, "建档并完成首次健康体检"),
    ("张伟", "chronic_disease", 60, DANFENG, "高血压季度随访"),
    ("张伟", "health_education", 20, DANFENG, None),
    ("欧阳晓燕", "maternal_health", 120, MCH, "孕早期检查"),
    ("欧阳晓燕", "maternal_health", 60, MCH, "孕中期随访"),
    ("欧阳晓燕", "vaccination", 10, YANGYUE, None),
    ("李娜", "health_records", 100, DANFENG, "居住证有效期内建档"),
    ("李娜", "family_planning", 20, MCH, "居住证逾期未签注"),
    ("李娜", "chronic_disease", 8, DANFENG, "2型糖尿病随访"),
    ("王建国", "chronic_disease", 45, DANFENG, "高血压随访"),
    ("陈𠀾", "tuberculosis", 30, CDC, "密切接触者筛查"),
    ("杨丽", "vaccination", 15, XIONGBI, "未办理居住证"),
)


def _write(session: Session, as_of: dt.date) -> None:
    clerk = session.scalar(select(api.User).where(api.User.username == "health"))
    for name, service, days, provider, note in ROWS:
        holder = session.scalar(select(api.Holder).where(api.Holder.name == name))
        if holder is None:  # the kernel's demo holders are not there
            continue
        services.record_service(session, holder=holder, service=service,
                                served_on=as_of - dt.timedelta(days=days), provider=provider,
                                note=note, actor=clerk, today=as_of)


def seed(session: Any, profile: Any, as_of: dt.date) -> None:
    _write(session, as_of)
