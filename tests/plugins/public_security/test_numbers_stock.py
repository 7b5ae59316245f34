"""The stock register (领用登记), voids and stock counts of a station (《办法》第八条)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select

from core.clock import today
from core.db import db
from core.models import AuditEvent
from plugins.public_security import numbers, stock
from plugins.public_security.models import NumberRange, SerialUse, StockCount, StockIssue

from .conftest import DANFENG, XIONGBI

D = dt.date(2026, 6, 1)
ISSUES = f"/stations/{DANFENG}/stock-issues"
VOIDS = f"/stations/{DANFENG}/voids"
COUNTS = f"/stations/{DANFENG}/stock-counts"


def _written() -> tuple[int, ...]:
    """Rows of every stock table and audit events: a refusal leaves them all unchanged."""
    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (NumberRange, SerialUse, StockIssue, StockCount, AuditEvent))


def _issue(**kw: Any) -> dict[str, Any]:
    return {"recipient": "李明", "quantity": 10, "serial_from": 91, "serial_to": 100,
            "issued_on": D.isoformat(), **kw}


@pytest.fixture
def stocked(ps: Any) -> Any:
    """丹凤派出所 holds 1–100 (allocated 2025-01-01); 雄壁派出所 holds 201–300."""
    ps.number_range(DANFENG, 1, 100)
    ps.number_range(XIONGBI, 201, 300)
    return ps


# --- 领用登记 -------------------------------------------------------------------------------

def test_stock_issue_is_recorded_and_audited(api: Any, clerk: Any, stocked: Any) -> None:
    before = _written()
    res = api("POST", ISSUES, clerk[1], _issue())
    assert res.status_code == 201, res.json
    assert res.json == {"id": res.json["id"], "station": DANFENG, "recipient": "李明",
                        "quantity": 10, "serial_from": 91, "serial_to": 100,
                        "issued_on": "2026-06-01"}
    row = db.session.get(StockIssue, res.json["id"])
    assert row.recorded_by_id == clerk[0].id and row.issued_on == D
    assert _written() == (before[0], before[1], before[2] + 1, before[3], before[4] + 1)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "stock.issue"))
    assert event.new["recipient"] == "李明" and event.new["serial_from"] == 91
    # the blanks are still stock: nothing left it
    assert db.session.scalar(select(func.count()).select_from(SerialUse)) == 0


def test_stock_issue_date_defaults_to_today(api: Any, admin: Any, stocked: Any) -> None:
    payload = _issue()
    del payload["issued_on"]
    res = api("POST", ISSUES, admin[1], payload)
    assert res.status_code == 201 and res.json["issued_on"] == today().isoformat()


def test_a_stock_issue_may_span_two_of_the_stations_ranges(api: Any, clerk: Any,
                                                            stocked: Any) -> None:
    stocked.number_range(DANFENG, 101, 150)
    res = api("POST", ISSUES, clerk[1], _issue(quantity=20, serial_from=91, serial_to=110))
    assert res.status_code == 201


@pytest.mark.parametrize("change, error, fields, words", [
    ({"quantity": 9}, "quantity_mismatch", {"quantity"}, "共 10 张"),
    ({"serial_from": 100, "serial_to": 91}, "serials_reversed", {"serial_from", "serial_to"},
     "终止编号 91 小于起始编号 100"),
    ({"quantity": 20, "serial_from": 91, "serial_to": 110}, "serials_outside_ranges",
     {"serial_from", "serial_to"}, "不全在丹凤派出所的号段内"),
    ({"quantity": 10, "serial_from": 201, "serial_to": 210}, "serials_outside_ranges",
     {"serial_from", "serial_to"}, "本所号段：1–100"),
    ({"issued_on": "2024-12-31"}, "not_yet_allocated", {"issued_on"}, "2025年1月1日才分配"),
    ({"issued_on": "2999-01-01"}, "date_in_future", {"issued_on"}, "不能晚于今天"),
    ({"recipient": "   "}, "invalid_input", {"recipient"}, "领用人"),
    ({"quantity": "10"}, "invalid_input", {"quantity"}, "数量"),
    ({"issued_on": "2026-6-1"}, "invalid_input", {"issued_on"}, "领用日期"),
])
def test_stock_issue_refusals(api: Any, clerk: Any, stocked: Any, change: dict[str, Any],
                              error: str, fields: set[str], words: str) -> None:
    before = _written()
    res = api("POST", ISSUES, clerk[1], _issue(**change))
    assert res.status_code == 422 and res.json["error"] == error, res.json
    assert set(res.json["fields"]) == fields
    assert words in res.json["message"] and "第八条" in res.json["message"]
    assert _written() == before


def test_stock_issue_refuses_used_serials(api: Any, clerk: Any, stocked: Any) -> None:
    stocked.permit(station_code=DANFENG)  # serial 1 is on a card
    before = _written()
    res = api("POST", ISSUES, clerk[1], _issue(quantity=5, serial_from=1, serial_to=5))
    assert res.status_code == 422 and res.json["error"] == "serials_used"
    assert "1 已用于居住证卡" in res.json["message"] and "第八条" in res.json["message"]
    assert _written() == before
    api("POST", VOIDS, clerk[1], {"reason": "卡面污损", "serial": 50, "voided_on": "2026-05-01"})
    res = api("POST", ISSUES, clerk[1], _issue(quantity=11, serial_from=45, serial_to=55))
    assert res.json["error"] == "serials_used"
    assert "50 已于2026年5月1日作废（卡面污损）" in res.json["message"]


def test_the_same_blanks_cannot_be_handed_out_twice(api: Any, clerk: Any, stocked: Any) -> None:
    assert api("POST", ISSUES, clerk[1], _issue()).status_code == 201
    before = _written()
    res = api("POST", ISSUES, clerk[1], _issue(recipient="王芳", quantity=6, serial_from=85,
                                               serial_to=90))
    assert res.status_code == 201  # 85–90 were never handed out
    res = api("POST", ISSUES, clerk[1], _issue(recipient="王芳", quantity=1, serial_from=95,
                                               serial_to=95))
    assert res.status_code == 422 and res.json["error"] == "serials_already_handed_out"
    assert "领用给李明的 91–100" in res.json["message"]
    assert _written()[2] == before[2] + 1


def test_stock_issue_roles(api: Any, users: Any, clerk: Any, admin: Any, stocked: Any) -> None:
    other = users("station_clerk", XIONGBI)[1]
    outsiders = [users(role, org)[1] for role, org in (
        ("police_officer", None), ("dept_clerk", "dept-education"), ("assistant", None),
        ("auditor", None))]
    before = _written()
    res = api("POST", ISSUES, other, _issue())
    assert res.status_code == 403 and "丹凤派出所" in res.json["message"]
    # invalid input is 422 even for the clerk of another station
    res = api("POST", ISSUES, other, _issue(quantity=3))
    assert res.status_code == 422 and res.json["error"] == "quantity_mismatch"
    res = api("POST", ISSUES, other, _issue(serial_from=1, serial_to=10, issued_on="2024-01-01"))
    assert res.status_code == 422 and res.json["error"] == "not_yet_allocated"
    for token in outsiders:
        assert api("POST", ISSUES, token, _issue()).status_code == 403
    assert _written() == before
    assert api("POST", "/stations/station-530323999/stock-issues", admin[1],
               _issue()).status_code == 404
    assert api("POST", ISSUES, admin[1], _issue()).status_code == 201


# --- voids ----------------------------------------------------------------------------------

def test_void_by_serial_above_the_cursor_is_skipped_later(api: Any, clerk: Any,
                                                           stocked: Any) -> None:
    before = _written()
    res = api("POST", VOIDS, clerk[1], {"reason": "打印错位", "serial": 2, "voided_on": "2026-05-01"})
    assert res.status_code == 201, res.json
    assert res.json == {"serial": 2, "station": DANFENG, "reason": "打印错位",
                        "voided_on": "2026-05-01"}
    use = db.session.get(SerialUse, 2)
    assert (use.kind, use.reason, use.used_on, use.used_by_id) == ("voided", "打印错位",
                                                                  dt.date(2026, 5, 1), clerk[0].id)
    assert _written() == (before[0], before[1] + 1, before[2], before[3], before[4] + 1)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "stock.void"))
    assert event.entity_id == "2" and event.new["reason"] == "打印错位"
    # issuing takes 1, skips the voided 2, then 3
    permits = [stocked.permit(station_code=DANFENG).number for _ in range(2)]
    assert permits == ["1", "3"]


def test_void_the_next_free_number(api: Any, clerk: Any, stocked: Any) -> None:
    stocked.permit(station_code=DANFENG)  # takes 1
    res = api("POST", VOIDS, clerk[1], {"reason": "卡面污损", "voided_on": "2026-05-02"})
    assert res.status_code == 201 and res.json["serial"] == 2
    assert db.session.scalar(select(NumberRange.next_free).where(NumberRange.start == 1)) == 3
    assert db.session.get(SerialUse, 2).kind == "voided"
    assert stocked.permit(station_code=DANFENG).number == "3"


@pytest.mark.parametrize("payload, status, error, field, words", [
    ({"serial": 5}, 422, "invalid_input", "reason", "作废原因"),
    ({"serial": 5, "reason": "  "}, 422, "invalid_input", "reason", "作废原因"),
    ({"reason": "污损", "serial": 1}, 422, "serial_used", "serial", "1 已用于居住证卡"),
    ({"reason": "污损", "serial": 250}, 422, "serial_outside_ranges", "serial", "不全在丹凤派出所"),
    ({"reason": "污损", "serial": 0}, 422, "serial_outside_ranges", "serial", "第八条"),
    ({"reason": "污损", "serial": 5, "voided_on": "2024-12-31"}, 422, "not_yet_allocated",
     "voided_on", "作废日期"),
    ({"reason": "污损", "voided_on": "2999-01-01"}, 422, "date_in_future", "voided_on", "作废日期"),
])
def test_void_refusals(api: Any, clerk: Any, stocked: Any, payload: dict[str, Any],
                       status: int, error: str, field: str, words: str) -> None:
    stocked.permit(station_code=DANFENG)  # 1 is on a card
    before = _written()
    res = api("POST", VOIDS, clerk[1], payload)
    assert res.status_code == status and res.json["error"] == error, res.json
    assert list(res.json["fields"]) == [field] and words in res.json["message"]
    assert _written() == before


def test_a_blank_is_voided_once(api: Any, clerk: Any, stocked: Any) -> None:
    assert api("POST", VOIDS, clerk[1], {"reason": "污损", "serial": 9,
                                         "voided_on": "2026-05-01"}).status_code == 201
    res = api("POST", VOIDS, clerk[1], {"reason": "又污损", "serial": 9})
    assert res.status_code == 422 and "9 已于2026年5月1日作废（污损）" in res.json["message"]


def test_void_on_an_exhausted_station_is_409_and_writes_nothing(api: Any, clerk: Any,
                                                                ps: Any) -> None:
    ps.number_range(DANFENG, 1, 2)
    ps.permit(station_code=DANFENG)
    res = api("POST", VOIDS, clerk[1], {"reason": "污损", "voided_on": "2026-05-01"})
    assert res.json["serial"] == 2
    before = _written()
    res = api("POST", VOIDS, clerk[1], {"reason": "污损", "voided_on": "2026-05-01"})
    assert res.status_code == 409 and res.json["error"] == "no_numbers_left"
    assert "丹凤派出所已无可用的居住证号码" in res.json["message"]
    assert _written() == before


def test_exhausted_ranges_raise_no_numbers_left(ps: Any) -> None:
    ps.number_range(XIONGBI, 1, 3)
    station = ps.station(XIONGBI)
    stock.void_blank(db.session, station=station, reason="污损", serial=3, on=D, actor=None)
    assert [numbers.take_serial(db.session, station, kind="issued", on=D).serial
            for _ in range(2)] == [1, 2]
    for act in (lambda: numbers.take_serial(db.session, station, kind="issued", on=D),
                lambda: stock.void_blank(db.session, station=XIONGBI, reason="污损", on=D,
                                         actor=None),
                lambda: ps.permit(station_code=XIONGBI)):
        with pytest.raises(numbers.NoNumbersLeft):
            act()
    db.session.rollback()


def test_void_roles(api: Any, users: Any, stocked: Any) -> None:
    other = users("station_clerk", XIONGBI)[1]
    police = users("police_officer")[1]
    before = _written()
    assert api("POST", VOIDS, other, {"reason": "污损", "serial": 5}).status_code == 403
    assert api("POST", VOIDS, other, {"reason": "污损"}).status_code == 403
    res = api("POST", VOIDS, other, {"serial": 5})
    assert res.status_code == 422 and "reason" in res.json["fields"]
    res = api("POST", VOIDS, other, {"reason": "污损", "serial": 250})
    assert res.status_code == 422 and res.json["error"] == "serial_outside_ranges"
    assert api("POST", VOIDS, police, {"reason": "污损"}).status_code == 403
    assert _written() == before


# --- 盘点 -----------------------------------------------------------------------------------

def test_stock_count_is_recorded_with_its_reconciliation(api: Any, clerk: Any,
                                                         stocked: Any) -> None:
    stocked.permit(station_code=DANFENG, issued_on=dt.date(2026, 1, 15))
    before = _written()
    res = api("POST", COUNTS, clerk[1], {"on_hand": 99, "counted_on": "2026-06-01",
                                         "note": "月末盘点"})
    assert res.status_code == 201, res.json
    assert {k: res.json[k] for k in ("station", "counted_on", "on_hand", "note")} == {
        "station": DANFENG, "counted_on": "2026-06-01", "on_hand": 99, "note": "月末盘点"}
    rec = res.json["reconciliation"]
    assert (rec["allocated"], rec["issued"], rec["voided"]) == (100, 1, 0)
    assert rec["expected_on_hand"] == 99
    assert rec["flagged"] is False and rec["note"] == "账实相符"
    assert _written() == (*before[:3], before[3] + 1, before[4] + 1)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "stock.count"))
    assert event.new == {"station": DANFENG, "counted_on": "2026-06-01", "on_hand": 99,
                         "note": "月末盘点"}


@pytest.mark.parametrize("payload, error, field", [
    ({"on_hand": -1}, "on_hand_negative", "on_hand"),
    ({"on_hand": 1.5}, "invalid_input", "on_hand"),
    ({}, "invalid_input", "on_hand"),
    ({"on_hand": 3, "counted_on": "2999-01-01"}, "date_in_future", "counted_on"),
])
def test_stock_count_refusals(api: Any, users: Any, clerk: Any, stocked: Any,
                              payload: dict[str, Any], error: str, field: str) -> None:
    tokens = (clerk[1], users("station_clerk", XIONGBI)[1])  # 422 before 403
    before = _written()
    for token in tokens:
        res = api("POST", COUNTS, token, payload)
        assert res.status_code == 422 and res.json["error"] == error
        assert field in res.json["fields"]
    assert _written() == before


def test_stock_count_roles(api: Any, users: Any, stocked: Any) -> None:
    tokens = [users(role, org)[1] for role, org in (
        ("station_clerk", XIONGBI), ("police_officer", None), ("auditor", None))]
    before = _written()
    for token in tokens:
        assert api("POST", COUNTS, token, {"on_hand": 3}).status_code == 403
    assert _written() == before
