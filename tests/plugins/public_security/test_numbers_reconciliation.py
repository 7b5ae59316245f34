"""Reconciliation per station (《办法》第八条; DESIGN §3): allocated = issued + voided + counted
on hand, compared as of the latest count; any difference is flagged."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import event

from core.clock import today
from core.db import db
from plugins.public_security import stock

from .conftest import DANFENG, XIONGBI

RECON = f"/stations/{DANFENG}/reconciliation"
COUNTS = f"/stations/{DANFENG}/stock-counts"


@pytest.fixture
def books(ps: Any, clerk: Any, api: Any) -> Any:
    """丹凤派出所: 100 numbers allocated 2025-01-01, three cards issued in 2026 (1, 2, 3) and
    one blank voided (4) before June; on the books 96 blanks are on hand from 2026-05-01."""
    ps.number_range(DANFENG, 1, 100)
    for day in (dt.date(2026, 1, 15), dt.date(2026, 2, 1), dt.date(2026, 3, 1)):
        ps.permit(station_code=DANFENG, issued_on=day)
    res = api("POST", f"/stations/{DANFENG}/voids", clerk[1],
              {"reason": "打印错位", "voided_on": "2026-04-01"})
    assert res.json["serial"] == 4
    return ps


@pytest.mark.parametrize("on_hand, difference, flagged, note", [
    (96, 0, False, "账实相符"),
    (94, -2, True, "差2张（实存少于账面）"),
    (97, 1, True, "差1张（实存多于账面）"),
])
def test_a_count_balances_or_is_flagged_either_way(api: Any, clerk: Any, books: Any,
                                                   on_hand: int, difference: int, flagged: bool,
                                                   note: str) -> None:
    res = api("POST", COUNTS, clerk[1], {"on_hand": on_hand, "counted_on": "2026-06-01"})
    assert res.status_code == 201
    rec = api("GET", RECON, clerk[1]).json
    assert rec == {"station": DANFENG, "station_name": "丹凤派出所", "as_of": "2026-06-01",
                   "allocated": 100, "issued": 3, "voided": 1, "counted_on": "2026-06-01",
                   "counted_on_hand": on_hand, "expected_on_hand": 96,
                   "difference": difference, "flagged": flagged, "note": note}
    assert res.json["reconciliation"] == rec


def test_the_books_are_compared_as_of_the_count_date(api: Any, clerk: Any, books: Any) -> None:
    # after the count: a new range, a card and a void; none of them is in the compared books
    books.number_range(DANFENG, 1001, 1050, on=dt.date(2026, 7, 1))
    books.permit(station_code=DANFENG, issued_on=dt.date(2026, 7, 2))
    api("POST", f"/stations/{DANFENG}/voids", clerk[1],
        {"reason": "卡面污损", "voided_on": "2026-07-03"})
    # counted on the day of the third card: a card issued on the count date is out of stock
    api("POST", COUNTS, clerk[1], {"on_hand": 97, "counted_on": "2026-03-01"})
    rec = api("GET", RECON, clerk[1]).json
    # the latest count (2026-03-01) is the one compared
    assert (rec["counted_on"], rec["allocated"], rec["issued"], rec["voided"]) == (
        "2026-03-01", 100, 3, 0)
    assert rec["expected_on_hand"] == 97 and rec["flagged"] is False
    # a later count takes over and sees everything up to its own date
    api("POST", COUNTS, clerk[1], {"on_hand": 144, "counted_on": "2026-08-01"})
    rec = api("GET", RECON, clerk[1]).json
    assert (rec["allocated"], rec["issued"], rec["voided"], rec["expected_on_hand"]) == (
        150, 4, 2, 144)
    assert rec["note"] == "账实相符"
    # as_of picks the latest count on or before it
    rec = api("GET", RECON + "?as_of=2026-07-31", clerk[1]).json
    assert rec["counted_on"] == "2026-03-01" and rec["as_of"] == "2026-03-01"


def test_two_counts_on_one_day_the_later_one_counts(api: Any, clerk: Any, books: Any) -> None:
    api("POST", COUNTS, clerk[1], {"on_hand": 90, "counted_on": "2026-06-01"})
    api("POST", COUNTS, clerk[1], {"on_hand": 96, "counted_on": "2026-06-01", "note": "复盘"})
    rec = api("GET", RECON, clerk[1]).json
    assert rec["counted_on_hand"] == 96 and rec["flagged"] is False


def test_before_any_count_the_books_stand_as_of_today(api: Any, admin: Any, books: Any) -> None:
    rec = api("GET", RECON, admin[1]).json
    assert rec["counted_on"] is None and rec["counted_on_hand"] is None
    assert rec["difference"] is None and rec["flagged"] is False and rec["note"] == "尚未盘点"
    assert rec["expected_on_hand"] == 96 and rec["as_of"] == today().isoformat()
    rec = api("GET", RECON + "?as_of=2026-01-31", admin[1]).json
    assert (rec["issued"], rec["voided"], rec["expected_on_hand"]) == (1, 0, 99)
    assert api("GET", RECON + "?as_of=2026-1-31", admin[1]).status_code == 422


def test_reconciliation_roles(api: Any, users: Any, books: Any) -> None:
    for role, org in (("station_clerk", XIONGBI), ("police_officer", None),
                      ("dept_clerk", "dept-education"), ("auditor", None)):
        assert api("GET", RECON, users(role, org)[1]).status_code == 403
    assert api("GET", RECON, None).status_code == 401
    assert api("GET", "/stations/station-530323999/reconciliation",
               users("county_admin")[1]).status_code == 404


def test_voids_and_cards_of_other_stations_do_not_count(api: Any, admin: Any, books: Any) -> None:
    books.number_range(XIONGBI, 201, 210)
    books.permit(station_code=XIONGBI)
    rec = api("GET", RECON, admin[1]).json
    assert (rec["allocated"], rec["issued"]) == (100, 3)
    other = api("GET", f"/stations/{XIONGBI}/reconciliation", admin[1]).json
    assert (other["allocated"], other["issued"], other["expected_on_hand"]) == (10, 1, 9)


def _statements() -> Any:
    """Count the SQL statements the engine runs while the returned list is attached."""
    seen: list[str] = []

    def listen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", listen)
    return seen, lambda: event.remove(db.engine, "before_cursor_execute", listen)


def test_reconcile_all_is_set_based_and_agrees_with_each_station(api: Any, clerk: Any,
                                                                  books: Any) -> None:
    db.session.commit()
    seen, stop = _statements()
    try:
        first = stock.reconcile_all(db.session)
    finally:
        stop()
    queries_with_one_station = len(seen)
    # more stations with books: the same number of queries
    books.number_range(XIONGBI, 201, 210)
    books.permit(station_code=XIONGBI)
    api("POST", COUNTS, clerk[1], {"on_hand": 95, "counted_on": "2026-06-01"})
    db.session.commit()
    seen, stop = _statements()
    try:
        everyone = stock.reconcile_all(db.session)
    finally:
        stop()
    assert len(seen) == queries_with_one_station <= 4
    codes = [r.station_code for r in everyone]
    assert codes == sorted(codes) and DANFENG in codes and XIONGBI in codes
    assert len(everyone) == len(first) >= 10  # every police station of the county profile
    by_code = {r.station_code: r for r in everyone}
    assert by_code[DANFENG] == stock.reconcile(db.session, by_code[DANFENG].station_id)
    assert (by_code[DANFENG].difference, by_code[DANFENG].note) == (-1, "差1张（实存少于账面）")
    assert by_code[XIONGBI].note == "尚未盘点" and by_code[XIONGBI].expected_on_hand == 9
    empty = next(r for r in everyone if r.station_code not in (DANFENG, XIONGBI))
    assert (empty.allocated, empty.expected_on_hand, empty.flagged) == (0, 0, False)
