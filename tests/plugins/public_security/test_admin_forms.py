"""The 公安 admin's create forms hand their facts to the acts' services and show their Chinese
refusals; a refusal writes nothing (no row, no audit event)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import func, select

from core.db import db
from core.models import AuditEvent
from plugins.public_security.models import (NumberRange, Registration, SerialUse, StockCount,
                                            StockIssue)

from .conftest import DANFENG, XIONGBI
from .test_admin_views import P, login_as, web  # noqa: F401  (web is a fixture)


def count(model: type) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def station_id(ps: Any, code: str) -> int:
    return ps.station(code).id


def errors_of(html: str) -> list[str]:
    """Messages shown beside fields and flashed."""
    return [re.sub(r"\s+", " ", m).strip() for m in
            re.findall(r'(?s)class="[^"]*(?:invalid-feedback|help-block|alert)[^"]*"[^>]*>(.*?)</',
                       html)]


# -- number ranges: county admin only, through numbers.allocate_range ------------------------

def range_form(ps: Any, start: int, end: int, code: str = XIONGBI) -> dict[str, str]:
    return {"station": str(station_id(ps, code)), "start": str(start), "end": str(end),
            "on": "2026-03-02", "note": "师公（2026）12号"}


def test_county_admin_allocates_a_range_through_the_form(web: Any, users: Any, ps: Any) -> None:
    client = login_as(web, users, "county_admin")
    form = client.get(f"{P}number_ranges/new/")
    assert form.status_code == 200
    assert "雄壁派出所" in form.text and "起始号码" in form.text
    events = count(AuditEvent)
    r = client.post(f"{P}number_ranges/new/", data=range_form(ps, 1000, 1999))
    assert r.status_code == 302
    rng = db.session.scalar(select(NumberRange).where(NumberRange.start == 1000))
    assert (rng.end, rng.next_free, rng.station_id) == (1999, 1000, station_id(ps, XIONGBI))
    assert rng.note == "师公（2026）12号" and rng.allocated_on == dt.date(2026, 3, 2)
    assert count(AuditEvent) == events + 1
    event = db.session.scalar(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1))
    assert event.action == "number_range.allocate"


def test_an_overlapping_range_shows_the_chinese_error_and_writes_nothing(web: Any, users: Any,
                                                                        ps: Any) -> None:
    ps.number_range(DANFENG, 1000, 1999)
    client = login_as(web, users, "county_admin")
    ranges, events = count(NumberRange), count(AuditEvent)
    r = client.post(f"{P}number_ranges/new/", data=range_form(ps, 1500, 2500))
    assert r.status_code == 200  # the form again
    assert '<html lang="zh-CN"' in r.text
    assert "重叠" in r.text and "丹凤派出所" in r.text and "第七条" in r.text
    assert count(NumberRange) == ranges and count(AuditEvent) == events


def test_a_reversed_range_is_refused_beside_its_field(web: Any, users: Any, ps: Any) -> None:
    client = login_as(web, users, "county_admin")
    ranges, events = count(NumberRange), count(AuditEvent)
    r = client.post(f"{P}number_ranges/new/", data=range_form(ps, 2000, 1000))
    assert r.status_code == 200
    assert any("第七条" in e for e in errors_of(r.text)), errors_of(r.text)
    assert count(NumberRange) == ranges and count(AuditEvent) == events


def test_malformed_input_is_refused_in_chinese(web: Any, users: Any, ps: Any) -> None:
    client = login_as(web, users, "county_admin")
    ranges = count(NumberRange)
    data = range_form(ps, 1, 2)
    data.update(start="abc", on="2026-13-40")
    r = client.post(f"{P}number_ranges/new/", data=data)
    assert r.status_code == 200
    assert count(NumberRange) == ranges
    shown = " ".join(errors_of(r.text))
    assert "不是有效的整数" in shown and "不是有效的日期值" in shown, shown
    assert "Not a valid" not in r.text


def test_only_the_county_admin_allocates(web: Any, users: Any, ps: Any) -> None:
    client = login_as(web, users, "station_clerk")
    ranges = count(NumberRange)
    listing = client.get(f"{P}number_ranges/").text
    assert f"{P}number_ranges/new/" not in listing
    assert client.get(f"{P}number_ranges/new/").status_code == 302
    r = client.post(f"{P}number_ranges/new/", data=range_form(ps, 5000, 5999, DANFENG))
    assert r.status_code == 302
    assert count(NumberRange) == ranges


# -- registration through registration.register ----------------------------------------------

def registration_form(holder: Any, code: str = "530323001001", **kw: str) -> dict[str, str]:
    return {"holder_id_number": holder.id_number, "arrival_date": "2026-09-30",
            "residence_address": "丹凤街道翠云社区3号", "residence_division_code": code,
            "registered_on": "2026-10-13", **kw}


def test_station_clerk_registers_an_arrival_through_the_form(web: Any, users: Any,
                                                            ps: Any) -> None:
    holder = ps.holder(name="李娜")
    client = login_as(web, users, "station_clerk")
    assert "公民身份号码" in client.get(f"{P}registrations/new/").text
    events = count(AuditEvent)
    r = client.post(f"{P}registrations/new/", data=registration_form(holder))
    assert r.status_code == 302, errors_of(r.text)
    reg = db.session.scalar(select(Registration).where(Registration.holder_id == holder.id))
    # DESIGN §3: arrival 2026-09-30 → deadline 2026-10-13 (the service's arithmetic)
    assert reg.deadline == dt.date(2026, 10, 13) and reg.on_time
    assert reg.station_id == station_id(ps, DANFENG)
    assert count(AuditEvent) == events + 1
    listing = client.get(f"{P}registrations/").text
    assert reg.receipt_number in listing and "按时" in listing
    # the printable receipt opens with the admin session, from the row's link
    link = f"/api/v1/registrations/{reg.id}/receipt"
    assert f'href="{link}"' in listing
    receipt = client.get(link)
    assert receipt.status_code == 200 and reg.receipt_number in receipt.text


def test_a_clerk_cannot_register_another_townships_residence(web: Any, users: Any,
                                                             ps: Any) -> None:
    holder = ps.holder()
    client = login_as(web, users, "station_clerk")
    regs, events = count(Registration), count(AuditEvent)
    r = client.post(f"{P}registrations/new/",
                    data=registration_form(holder, code="530323102001"))
    assert r.status_code == 200
    assert "雄壁派出所" in r.text and "第十条" in r.text
    assert count(Registration) == regs and count(AuditEvent) == events


def test_registration_refusals_from_the_service_are_shown_and_write_nothing(
        web: Any, users: Any, ps: Any) -> None:
    local = ps.holder(hukou_division_code="530323001002", hukou_address="师宗县丹凤街道")
    floating = ps.holder()
    client = login_as(web, users, "county_admin")
    regs, events = count(Registration), count(AuditEvent)
    r = client.post(f"{P}registrations/new/", data=registration_form(local))
    assert r.status_code == 200 and "第二条" in r.text  # not floating
    r = client.post(f"{P}registrations/new/",
                    data=registration_form(floating, arrival_date="2026-10-20"))
    assert r.status_code == 200 and "到达日期" in r.text and "第十条" in r.text
    r = client.post(f"{P}registrations/new/",
                    data=registration_form(floating, holder_id_number="110101199003070011"))
    assert r.status_code == 200 and "未找到该持证人" in r.text
    assert count(Registration) == regs and count(AuditEvent) == events


# -- the stock register, voids and counts through the stock service ---------------------------

def test_station_clerk_records_stock_issue_void_and_count(web: Any, users: Any, ps: Any) -> None:
    ps.number_range(DANFENG, 100, 199)
    client = login_as(web, users, "station_clerk")
    own = str(station_id(ps, DANFENG))
    events = count(AuditEvent)
    form = client.get(f"{P}stock_issues/new/").text
    assert "丹凤派出所" in form and "雄壁派出所" not in form  # the station choice is scoped

    r = client.post(f"{P}stock_issues/new/", data={
        "station": own, "recipient": "王警官", "quantity": "10", "serial_from": "100",
        "serial_to": "109", "on": "2026-03-02"})
    assert r.status_code == 302, errors_of(r.text)
    r = client.post(f"{P}voids/new/", data={"station": own, "serial": "150",
                                            "reason": "打印错位", "on": "2026-03-03"})
    assert r.status_code == 302, errors_of(r.text)
    r = client.post(f"{P}stock_counts/new/", data={"station": own, "on_hand": "99",
                                                   "on": "2026-03-04", "note": "月末盘点"})
    assert r.status_code == 302, errors_of(r.text)

    assert db.session.scalar(select(StockIssue.recipient)) == "王警官"
    void = db.session.get(SerialUse, 150)
    assert (void.kind, void.reason) == ("voided", "打印错位")
    assert db.session.scalar(select(StockCount.on_hand)) == 99
    assert count(AuditEvent) == events + 3


def test_a_clerk_cannot_write_another_stations_stock(web: Any, users: Any, ps: Any) -> None:
    ps.number_range(XIONGBI, 300, 399)
    client = login_as(web, users, "station_clerk")
    other = str(station_id(ps, XIONGBI))
    issues, counts, events = count(StockIssue), count(StockCount), count(AuditEvent)
    r = client.post(f"{P}stock_counts/new/", data={"station": other, "on_hand": "5",
                                                   "on": "2026-03-04"})
    assert r.status_code == 200 and "不是有效的选择" in r.text  # not a choice for this clerk
    r = client.post(f"{P}stock_issues/new/", data={
        "station": other, "recipient": "王警官", "quantity": "1", "serial_from": "300",
        "serial_to": "300", "on": "2026-03-02"})
    assert r.status_code == 200
    assert (count(StockIssue), count(StockCount), count(AuditEvent)) == (issues, counts, events)


def test_stock_issue_refusal_from_the_service_writes_nothing(web: Any, users: Any,
                                                             ps: Any) -> None:
    ps.number_range(DANFENG, 100, 199)
    client = login_as(web, users, "county_admin")
    issues, events = count(StockIssue), count(AuditEvent)
    r = client.post(f"{P}stock_issues/new/", data={
        "station": str(station_id(ps, DANFENG)), "recipient": "王警官", "quantity": "5",
        "serial_from": "100", "serial_to": "101", "on": "2026-03-02"})  # 2 serials, not 5
    assert r.status_code == 200
    assert "第八条" in r.text
    assert count(StockIssue) == issues and count(AuditEvent) == events


def test_saved_forms_go_back_to_the_list(web: Any, users: Any, ps: Any) -> None:
    client = login_as(web, users, "county_admin")
    r = client.post(f"{P}number_ranges/new/", data=range_form(ps, 7000, 7099))
    assert urlsplit(r.headers["Location"]).path == f"{P}number_ranges/"
    page = client.get(r.headers["Location"]).text
    assert "7000" in page and "创建记录成功" in page
