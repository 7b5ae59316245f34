"""The police's part of ``juzhu init --demo``: a living station.

Everything goes through the same service functions as the API, as the demo clerks (丹凤 and
雄壁 station clerks, the county admin, a police officer), so the demo database holds nothing
the rules would refuse and its audit chain is complete. Dates are relative to ``as_of`` so
the demo looks alive whenever it is built: registrations on time and late, a third-party
report never followed up, applications in every outcome, permits valid, due for endorsement,
endorsed on time and late, suspended, replaced, changed, moved, detained and revoked, number
ranges for every station, a stock register, a voided blank and two stock counts (one that
balances, one that does not).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import api

from . import (address_change, application, changes, checks, endorsement, numbers,
               registration, replacement, revocation, stock, sweep)
from .stations import station_by_code

ID_DOCS = ["id_card", "photo", "photo", "rental_contract"]
WORK_DOCS = ID_DOCS + ["labor_contract"]
RENEW_DOCS = ["id_card", "permit_card", "rental_contract"]

# name, sex, ethnicity, birth date, ID region, hukou address, hukou division code
EXTRA_HOLDERS = (
    ("赵强", "male", "汉族", dt.date(1985, 4, 12), "510104", "四川省成都市锦江区", "510104"),
    ("孙敏", "female", "布依族", dt.date(1993, 8, 3), "520102", "贵州省贵阳市南明区", "520102"),
    ("刘洋", "male", "汉族", dt.date(1998, 12, 1), "530302", "云南省曲靖市麒麟区", "530302001000"),
    ("周杰", "male", "回族", dt.date(1990, 5, 20), "530381", "云南省曲靖市宣威市", "530381"),
    ("吴芳", "female", "彝族", dt.date(1996, 10, 8), "532101", "云南省红河州个旧市", "532501"),
    ("郑磊", "male", "汉族", dt.date(1987, 7, 7), "530302", "云南省曲靖市麒麟区", "530302001000"),
)


def _id(region: str, birth: dt.date, seq: int, sex: str) -> str:
    seq = seq * 2 + (1 if sex == "male" else 0)
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + api.rules.id_check_char(first17)


def _user(session: Session, username: str) -> Any:
    return session.scalar(select(api.User).where(api.User.username == username))


def _holder(session: Session, name: str) -> Any:
    return session.scalar(select(api.Holder).where(api.Holder.name == name))


def seed(session: Session, profile: Any, as_of: dt.date) -> None:
    """Registrations, applications in every outcome, permits in every state, ranges, stock."""
    def ago(days: int) -> dt.date:
        return as_of - dt.timedelta(days=days)

    admin, police = _user(session, "admin"), _user(session, "police")
    danfeng, xiongbi = _user(session, "danfeng"), _user(session, "xiongbi")
    landlord = _user(session, "landlord")
    if not all((admin, police, danfeng, xiongbi)):
        return  # the kernel's demo accounts are not there (a trimmed plugin set)
    df = station_by_code(session, "station-530323001")
    xb = station_by_code(session, "station-530323102")

    # 第七条: the county PSB gives every station a range of 5,000 numbers.
    for org in session.scalars(select(api.OrgUnit).where(api.OrgUnit.kind == "police_station")
                               .order_by(api.OrgUnit.code)):
        base = int((org.division_code or org.code[-9:])[:9]) * 100000
        numbers.allocate_range(session, station=org, start=base + 1, end=base + 5000,
                               on=ago(900), actor=admin, note="演示号段")

    for i, (name, sex, eth, birth, region, address, code) in enumerate(EXTRA_HOLDERS, start=40):
        api.create_holder(session, api.HolderFacts(
            name, sex, eth, birth, _id(region, birth, i, sex), address, code, f"137{i:08d}"),
            as_of=as_of, actor=danfeng)
    child_birth = dt.date(as_of.year - 9, 3, 1)
    api.create_holder(session, api.HolderFacts(
        "张小明", "male", "汉族", child_birth, _id("530302", child_birth, 60, "male"),
        "云南省曲靖市麒麟区南宁街道", "530302001000", None), as_of=as_of, actor=danfeng)

    def reg(name: str, clerk: Any, division: str, arrived: int, registered: int) -> Any:
        return registration.register(
            session, holder=_holder(session, name), arrival_date=ago(arrived),
            residence_address=f"{'丹凤街道' if division.startswith('530323001') else '雄壁镇'}"
                              f"演示社区{arrived % 50 + 1}号",
            residence_division_code=division, registered_on=ago(registered), actor=clerk)

    def issue(name: str, clerk: Any, days_ago: int, materials: list[str] = ID_DOCS,
              basis: tuple[str, ...] = ("residence",), **agent: Any) -> Any:
        app = application.apply(session, holder=_holder(session, name), accepted_on=ago(days_ago),
                                basis=list(basis), materials=list(materials),
                                applicant=agent.pop("applicant", "self"), actor=clerk, **agent)
        return app.permit

    DF, XB = "530323001001", "530323102001"
    # Registered on time and issued; endorsed on time later (valid).
    reg("张伟", danfeng, DF, 703, 700)
    zhang = issue("张伟", danfeng, 500, WORK_DOCS, ("employment", "residence"))
    endorsement.endorse_permit(session, permit=zhang, endorsed_on=zhang.valid_until
                               - dt.timedelta(days=10), materials=RENEW_DOCS, actor=danfeng)
    # Never endorsed: suspended since the day after valid_until (the sweep records it).
    reg("李娜", danfeng, DF, 602, 600)
    issue("李娜", danfeng, 400)
    # Due for endorsement within 30 days.
    reg("欧阳晓燕", danfeng, DF, 533, 530)
    ouyang = issue("欧阳晓燕", danfeng, 340)
    # Her hukou moved within 南昌: a recorded change (变更) and a new card.
    changes.change_facts(session, permit=ouyang, on=ago(5), actor=danfeng,
                         changes={"hukou_address": "江西省南昌市东湖区豫章街道演示路1号"})
    # Endorsed late: residence years restart (第十四条第二款).
    reg("王建国", danfeng, DF, 801, 800)
    wang = issue("王建国", danfeng, 600, WORK_DOCS, ("employment",))
    endorsement.endorse_permit(session, permit=wang, endorsed_on=ago(200), materials=RENEW_DOCS,
                               actor=danfeng)
    # Registered late; card lost and replaced (第十五条).
    reg("陈𠀾", danfeng, DF, 330, 300)
    chen = issue("陈𠀾", danfeng, 100)
    replacement.replace_card(session, permit=chen, reason="lost", on=ago(50),
                             old_card_returned=False, actor=danfeng)
    # From 雄壁 to 丹凤: the permit moves to 丹凤派出所 (第十六条).
    reg("赵强", xiongbi, XB, 402, 400)
    zhao = issue("赵强", xiongbi, 200, WORK_DOCS, ("employment",))
    address_change.change_address(session, permit=zhao, on=ago(30),
                                  residence_address="丹凤街道演示社区88号",
                                  residence_division_code=DF, actor=danfeng)
    # Left the county: revoked (注销).
    reg("孙敏", danfeng, DF, 302, 300)
    sun = issue("孙敏", danfeng, 100)
    revocation.revoke(session, permit=sun, on=ago(10), reason="left_county", actor=admin)
    # A check in the street; the card is detained (第二十一条).
    reg("刘洋", danfeng, DF, 262, 260)
    liu = issue("刘洋", danfeng, 70)
    checks.record_check(session, card=liu.live_card, officer=police, place="师宗县城汽车站",
                        result="持证人涉嫌冒用他人证件，依法扣押", action="detain",
                        checked_at=dt.datetime.combine(ago(5), dt.time(10, 30)))
    # A child under 16, by a guardian with the household register (第十二条).
    reg("张小明", danfeng, DF, 302, 300)
    issue("张小明", danfeng, 90, ["household_register", "photo", "photo", "rental_contract",
                                  "agent_id_card", "principal_id_document"],
          applicant="guardian", agent_id_number=_holder(session, "张伟").id_number)
    # Not yet six months: a written decision (不予签发).
    reg("周杰", xiongbi, XB, 105, 100)
    application.apply(session, holder=_holder(session, "周杰"), accepted_on=ago(20),
                      basis=["employment"], materials=WORK_DOCS, applicant="self", actor=xiongbi)
    # Materials missing: a one-time notice (一次性告知).
    reg("吴芳", danfeng, DF, 222, 220)
    application.apply(session, holder=_holder(session, "吴芳"), accepted_on=ago(10),
                      basis=["residence"], materials=["id_card", "photo"], applicant="self",
                      actor=danfeng)
    # Registered late, reported by the landlord.
    reg("郑磊", landlord or danfeng, DF, 40, 20)
    # An employer's report of a worker who never came to register.
    registration.report_third_party(
        session, reporter_kind="employer", reporter_name="师宗县演示建材有限公司",
        holder_id_number=_id("530381", dt.date(1991, 1, 9), 70, "male"),
        contract_date=ago(30), reported_on=ago(28), premises_address="丹凤街道演示工业园1号",
        premises_division_code="530323001002", actor=landlord or danfeng)

    # 第八条: stock register, a spoiled blank, and stock counts.
    df_range = session.scalar(select(numbers.NumberRange).where(
        numbers.NumberRange.station_id == df.id))
    stock.record_stock_issue(session, station=df, recipient="李明（窗口民警）", quantity=20,
                             serial_from=df_range.end - 19, serial_to=df_range.end,
                             on=ago(60), actor=danfeng)
    stock.void_blank(session, station=df, reason="打印错位，卡面作废", on=ago(3), actor=danfeng)
    session.flush()
    for station, clerk, off_by in ((df, danfeng, 0), (xb, xiongbi, -2)):
        expected = stock.reconcile(session, station.id).expected_on_hand
        stock.record_stock_count(session, station=station, on_hand=expected + off_by, on=as_of,
                                 actor=clerk, note="月末盘点" if not off_by else "月末盘点：少2张，待查")
    sweep.sweep(session, as_of)
