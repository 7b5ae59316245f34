"""POST/GET /number-ranges (《办法》第七条; DESIGN §5): the county's register of its code space."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select

from core.db import db
from core.models import AuditEvent
from core.rules import RuleError
from plugins.public_security import numbers
from plugins.public_security.models import NumberRange

from .conftest import DANFENG, XIONGBI

NON_ADMINS = [("station_clerk", DANFENG), ("police_officer", None),
              ("dept_clerk", "dept-education"), ("assistant", None), ("auditor", None)]


def _written() -> tuple[int, int]:
    """(ranges, audit events): a refusal must leave both unchanged."""
    return (db.session.scalar(select(func.count()).select_from(NumberRange)),
            db.session.scalar(select(func.count()).select_from(AuditEvent)))


def test_admin_allocates_a_range_and_it_is_audited(api: Any, admin: Any) -> None:
    before = _written()
    res = api("POST", "/number-ranges", admin[1],
              {"station": DANFENG, "start": 5303230010001, "end": 5303230015000})
    assert res.status_code == 201, res.json
    body = res.json
    assert {k: body[k] for k in ("station", "start", "end", "size", "next_free")} == {
        "station": DANFENG, "start": 5303230010001, "end": 5303230015000, "size": 5000,
        "next_free": 5303230010001}
    assert body["station_name"] == "丹凤派出所" and body["used"] == 0 and body["free"] == 5000
    rng = db.session.get(NumberRange, body["id"])
    assert rng.allocated_by_id == admin[0].id and rng.station.code == DANFENG
    assert _written() == (before[0] + 1, before[1] + 1)
    event = db.session.scalar(select(AuditEvent)
                              .where(AuditEvent.action == "number_range.allocate"))
    assert event.entity_id == str(body["id"]) and event.actor == admin[0].username
    assert event.new["station"] == DANFENG and event.new["end"] == 5303230015000


def test_a_single_number_range_and_a_note(api: Any, admin: Any) -> None:
    res = api("POST", "/number-ranges", admin[1],
              {"station": XIONGBI, "start": 7, "end": 7, "note": "  补发 "})
    assert res.status_code == 201 and res.json["size"] == 1 and res.json["note"] == "补发"


def test_reversed_range_names_both_bounds(api: Any, admin: Any) -> None:
    before = _written()
    res = api("POST", "/number-ranges", admin[1], {"station": DANFENG, "start": 200, "end": 101})
    assert res.status_code == 422 and res.json["error"] == "range_reversed"
    assert set(res.json["fields"]) == {"start", "end"}
    assert "第七条" in res.json["message"] and "终止号码 101 小于起始号码 200" in res.json["message"]
    assert _written() == before


@pytest.mark.parametrize("start", [0, -1])
def test_start_must_be_positive(api: Any, admin: Any, start: int) -> None:
    before = _written()
    res = api("POST", "/number-ranges", admin[1], {"station": DANFENG, "start": start, "end": 10})
    assert res.status_code == 422 and res.json["error"] == "start_not_positive"
    assert list(res.json["fields"]) == ["start"] and "起始号码" in res.json["message"]
    assert _written() == before


@pytest.mark.parametrize("payload, field", [
    ({"station": DANFENG, "start": "100", "end": 200}, "start"),
    ({"station": DANFENG, "start": 100.0, "end": 200}, "start"),
    ({"station": DANFENG, "start": 100, "end": True}, "end"),
    ({"station": DANFENG, "start": 100}, "end"),
    ({"start": 100, "end": 200}, "station"),
    ({"station": DANFENG, "start": 100, "end": 200, "size": 101}, "size"),
])
def test_malformed_bodies(api: Any, admin: Any, payload: dict[str, Any], field: str) -> None:
    res = api("POST", "/number-ranges", admin[1], payload)
    assert res.status_code == 422 and field in res.json["fields"]


@pytest.mark.parametrize("station", ["station-530323999", "county-psb", "dept-education", "丹凤"])
def test_unknown_station(api: Any, admin: Any, station: str) -> None:
    before = _written()
    res = api("POST", "/number-ranges", admin[1], {"station": station, "start": 1, "end": 10})
    assert res.status_code == 422 and res.json["error"] == "unknown_station"
    assert list(res.json["fields"]) == ["station"] and station in res.json["message"]
    assert _written() == before


@pytest.mark.parametrize("start, end", [
    (150, 160),   # inside
    (50, 101),    # touches the first number
    (200, 250),   # touches the last number
    (50, 250),    # contains it
    (101, 200),   # the same range
])
def test_overlap_anywhere_in_the_county_is_refused(api: Any, admin: Any, ps: Any, start: int,
                                                   end: int) -> None:
    existing = ps.number_range(XIONGBI, 101, 200)
    before = _written()
    # overlapping another station's range is refused just as one's own is
    for station in (DANFENG, XIONGBI):
        res = api("POST", "/number-ranges", admin[1],
                  {"station": station, "start": start, "end": end})
        assert res.status_code == 422 and res.json["error"] == "overlap"
        assert set(res.json["fields"]) == {"start", "end"}
        message = res.json["message"]
        assert "雄壁派出所" in message and "101–200" in message and "第七条" in message
        assert res.json["overlapping"] == {"id": existing.id, "station": XIONGBI,
                                           "start": 101, "end": 200}
    assert _written() == before


def test_adjacent_ranges_do_not_overlap(api: Any, admin: Any, ps: Any) -> None:
    ps.number_range(XIONGBI, 101, 200)
    assert api("POST", "/number-ranges", admin[1],
               {"station": DANFENG, "start": 201, "end": 300}).status_code == 201
    assert api("POST", "/number-ranges", admin[1],
               {"station": DANFENG, "start": 1, "end": 100}).status_code == 201


def test_overlap_names_the_lowest_clashing_range(api: Any, admin: Any, ps: Any) -> None:
    ps.number_range(DANFENG, 301, 400)
    ps.number_range(XIONGBI, 101, 200)
    res = api("POST", "/number-ranges", admin[1], {"station": DANFENG, "start": 150, "end": 350})
    assert res.json["overlapping"]["start"] == 101


@pytest.mark.parametrize("role, org", NON_ADMINS)
def test_only_the_county_admin_allocates(api: Any, users: Any, role: str, org: str | None) -> None:
    _, token = users(role, org)
    before = _written()
    res = api("POST", "/number-ranges", token, {"station": DANFENG, "start": 1, "end": 10})
    assert res.status_code == 403 and "第七条" in res.json["message"]
    assert _written() == before


@pytest.mark.parametrize("role, org", NON_ADMINS)
@pytest.mark.parametrize("payload, error", [
    ({"station": DANFENG, "start": 10, "end": 1}, "range_reversed"),
    ({"station": DANFENG, "start": 0, "end": 1}, "start_not_positive"),
    ({"station": "station-530323999", "start": 1, "end": 10}, "unknown_station"),
    ({"station": DANFENG, "start": 150, "end": 160}, "overlap"),
    ({"station": DANFENG, "start": "x", "end": 10}, "invalid_input"),
])
def test_invalid_input_is_422_before_403(api: Any, users: Any, ps: Any, role: str, org: str | None,
                                         payload: dict[str, Any], error: str) -> None:
    ps.number_range(XIONGBI, 101, 200)
    _, token = users(role, org)
    before = _written()
    res = api("POST", "/number-ranges", token, payload)
    assert res.status_code == 422 and res.json["error"] == error
    assert _written() == before


def test_no_token_is_401(api: Any) -> None:
    res = api("POST", "/number-ranges", None, {"station": DANFENG, "start": 1, "end": 2})
    assert res.status_code == 401


def test_allocate_range_takes_a_station_object_and_refuses_non_stations(ps: Any,
                                                                        admin: Any) -> None:
    day = dt.date(2026, 3, 1)
    rng = numbers.allocate_range(db.session, station=ps.station(DANFENG), start=1, end=5,
                                 on=day, actor=admin[0], note="演示")
    assert rng.allocated_on == day and rng.next_free == 1 and rng.note == "演示"
    with pytest.raises(RuleError) as info:
        numbers.allocate_range(db.session, station=ps.station("county-psb"), start=6, end=9,
                               on=day, actor=admin[0])
    assert info.value.code == "unknown_station" and "county-psb" in info.value.message
    db.session.rollback()


# --- GET /number-ranges -------------------------------------------------------------------

def _seed_ranges(ps: Any) -> None:
    ps.number_range(DANFENG, 1, 100)
    ps.number_range(DANFENG, 501, 600)
    ps.number_range(XIONGBI, 201, 300)
    ps.permit(station_code=DANFENG)  # uses number 1
    ps.permit(station_code=DANFENG)  # uses number 2


def test_admin_and_police_see_every_range(api: Any, admin: Any, users: Any, ps: Any) -> None:
    _seed_ranges(ps)
    for token in (admin[1], users("police_officer")[1]):
        res = api("GET", "/number-ranges", token)
        assert res.status_code == 200
        items = res.json["items"]
        assert [(i["station"], i["start"]) for i in items] == [
            (DANFENG, 1), (XIONGBI, 201), (DANFENG, 501)]
        assert (items[0]["used"], items[0]["free"], items[0]["next_free"]) == (2, 98, 3)
    res = api("GET", f"/number-ranges?station={XIONGBI}", admin[1])
    assert [i["start"] for i in res.json["items"]] == [201]


def test_a_station_clerk_sees_only_its_own_ranges(api: Any, clerk: Any, ps: Any) -> None:
    _seed_ranges(ps)
    res = api("GET", "/number-ranges", clerk[1])
    assert res.status_code == 200 and [i["start"] for i in res.json["items"]] == [1, 501]
    assert api("GET", f"/number-ranges?station={DANFENG}", clerk[1]).status_code == 200
    res = api("GET", f"/number-ranges?station={XIONGBI}", clerk[1])
    assert res.status_code == 403
    res = api("GET", "/number-ranges?station=station-530323999", clerk[1])
    assert res.status_code == 422 and res.json["error"] == "unknown_station"


@pytest.mark.parametrize("role, org", [("dept_clerk", "dept-education"), ("assistant", None),
                                       ("auditor", None)])
def test_other_roles_cannot_list_ranges(api: Any, users: Any, role: str, org: str | None) -> None:
    assert api("GET", "/number-ranges", users(role, org)[1]).status_code == 403


def test_ranges_are_in_the_openapi_document(client: Any) -> None:
    doc = client.get("/api/v1/openapi.json").json
    post = doc["paths"]["/api/v1/number-ranges"]["post"]
    assert set(post["responses"]) >= {"201", "401", "403", "422"}
    for path in ("/api/v1/stations/{code}/stock-issues", "/api/v1/stations/{code}/voids",
                 "/api/v1/stations/{code}/stock-counts", "/api/v1/stations/{code}/reconciliation"):
        assert path in doc["paths"]
