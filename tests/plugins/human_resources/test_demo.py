"""``juzhu init --demo``: the department's tables get rows, and the demo shows both outcomes
(insured and uninsured employment, flexible insurance, a 15-year-old below working age)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select

from core.db import db
from core.models import AuditEvent, Holder
from core.seed import init
from plugins.human_resources.models import Employment, Training

AS_OF = dt.date(2026, 12, 4)


def test_the_demo_shows_both_outcomes(app: Any, users: Any, api: Any) -> None:
    result = init(app, demo=True, as_of=AS_OF)
    assert result["demo_seeded"]
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Employment)) == 5
    assert db.session.scalar(select(func.count()).select_from(Training)) == 6
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action.like("human_resources_%"))) == 11
    employments = db.session.scalars(select(Employment)).all()
    assert {e.insured for e in employments} == {True, False}
    assert any(e.ended_on is not None for e in employments)
    assert all(e.recorded_by.username == "hrss" for e in employments)

    token = users("dept_clerk", "dept-hrss")[1]

    def item(name: str, code: str) -> Any:
        holder = db.session.scalar(select(Holder).where(Holder.name == name))
        resp = api("GET", f"/holders/{holder.id}/entitlements?as_of={AS_OF}", token)
        return next(i for i in resp.json["items"] if i["code"] == code)

    zhang = item("张伟", "art18.2")
    assert zhang["status"] == "eligible" and "由用人单位师宗县演示建材有限公司" in zhang["reasons"][2]["text"]
    li = item("李娜", "art18.2")  # her permit is suspended in the police's demo
    assert li["status"] == "ineligible" and li["reasons"][0]["basis"] == "《办法》第十四条"
    assert "未为其缴纳社会保险" in li["reasons"][2]["text"]
    wang = item("王建国", "art18.2")
    assert wang["status"] == "eligible" and "灵活就业人员" in wang["reasons"][2]["text"]
    teen = item("王小芳", "art18.7")
    assert teen["status"] == "ineligible"
    assert teen["reasons"][1]["code"] == "training_age" and not teen["reasons"][1]["passed"]
    assert "未满16周岁" in teen["reasons"][1]["text"]
    assert item("陈𠀾", "art18.8")["reasons"][-1]["text"] == "本部门在册记录：职业资格考试报名1次"
