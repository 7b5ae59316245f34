"""签注 through the API (《办法》第十四条; DESIGN §3 examples, issued 2026-01-15): the window
2026-12-17 … 2027-01-15, on time and late, materials, the issuing station only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select

from core.db import db
from core.models import AuditEvent, Card, Endorsement, Permit, PermitStatusEvent
from plugins.public_security.models import SerialUse

from .conftest import XIONGBI

FULL = ["id_card", "permit_card", "rental_contract"]


def counts() -> dict[str, int]:
    return {m.__name__: db.session.scalar(select(func.count()).select_from(m))
            for m in (Card, SerialUse, Endorsement, AuditEvent, PermitStatusEvent)}


def endorse(api: Any, token: str, number: str, on: str, materials: list[str] = FULL) -> Any:
    return api("POST", f"/permits/{number}/endorsements", token,
               json={"endorsed_on": on, "materials": materials})


def fresh(permit: Any) -> Permit:
    db.session.expire_all()
    return db.session.get(Permit, permit.id)


@pytest.fixture
def permit(ps):  # type: ignore[no-untyped-def]
    return ps.permit(issued_on=dt.date(2026, 1, 15), registered_on=dt.date(2025, 7, 10))


def test_before_the_window_is_409_with_opens(permit, clerk, api) -> None:  # type: ignore[no-untyped-def]
    before = counts()
    r = endorse(api, clerk[1], permit.number, "2026-12-16")
    assert r.status_code == 409
    assert r.json["error"] == "window_not_open" and r.json["opens"] == "2026-12-17"
    assert "2026年12月17日" in r.json["message"] and "第十四条" in r.json["message"]
    assert counts() == before and fresh(permit).valid_until == dt.date(2027, 1, 15)


@pytest.mark.parametrize("on", ["2026-12-17", "2027-01-15"])
def test_on_time_at_either_end_of_the_window(permit, clerk, api, on) -> None:  # type: ignore[no-untyped-def]
    r = endorse(api, clerk[1], permit.number, on)
    assert r.status_code == 201, r.json
    assert r.json == {"number": permit.number, "endorsed_on": on, "late": False,
                      "status": "valid", "valid_until": "2028-01-15",
                      "continuous_residence_since": "2025-07-10"}
    row = db.session.scalar(select(Endorsement))
    assert (row.late, row.valid_until_before, row.valid_until_after) == (
        False, dt.date(2027, 1, 15), dt.date(2028, 1, 15))
    assert row.station_id == permit.station_id
    assert fresh(permit).valid_until == dt.date(2028, 1, 15)
    # no status events for an on-time endorsement
    assert db.session.scalar(select(func.count()).select_from(PermitStatusEvent)) == 0


def test_late_restores_use_and_restarts_residence_years(permit, clerk, api) -> None:  # type: ignore[no-untyped-def]
    assert api("GET", f"/permits/{permit.number}?as_of=2027-01-16",
               clerk[1]).json["status"] == "suspended"
    r = endorse(api, clerk[1], permit.number, "2027-01-16")
    assert r.status_code == 201, r.json
    assert r.json["late"] is True and r.json["status"] == "valid"
    assert (r.json["valid_until"], r.json["continuous_residence_since"]) == (
        "2028-01-16", "2027-01-16")
    after = api("GET", f"/permits/{permit.number}?as_of=2027-01-16", clerk[1]).json
    assert after["status"] == "valid" and after["valid_until"] == "2028-01-16"
    assert after["endorsement_window"] == {"opens": "2027-12-18", "closes": "2028-01-16"}
    events = db.session.scalars(select(PermitStatusEvent).order_by(PermitStatusEvent.id)).all()
    # the suspension no sweep had recorded yet, then the restoration
    assert [(e.status, e.on) for e in events] == [("suspended", dt.date(2027, 1, 16)),
                                                  ("valid", dt.date(2027, 1, 16))]
    assert "补办签注" in events[1].reason and "第十四条" in events[1].reason


def test_audit_event_has_old_and_new_dates(permit, clerk, api) -> None:  # type: ignore[no-untyped-def]
    endorse(api, clerk[1], permit.number, "2027-01-02")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "permit.endorse"))
    assert event.old == {"valid_until": "2027-01-15", "continuous_residence_since": "2025-07-10"}
    assert event.new["valid_until"] == "2028-01-15" and event.new["late"] is False
    assert event.new["materials"] == FULL and event.entity_id == str(permit.id)


def test_a_second_endorsement_waits_for_the_next_window(permit, clerk, api) -> None:  # type: ignore[no-untyped-def]
    assert endorse(api, clerk[1], permit.number, "2027-01-10").status_code == 201
    r = endorse(api, clerk[1], permit.number, "2027-01-11")
    assert r.status_code == 409 and r.json["opens"] == "2027-12-17"


def test_dated_before_issue_is_422(permit, clerk, api) -> None:  # type: ignore[no-untyped-def]
    before = counts()
    r = endorse(api, clerk[1], permit.number, "2026-01-14")
    assert r.status_code == 422 and r.json["error"] == "before_issue"
    assert "签注日期" in r.json["fields"]["endorsed_on"][0]
    assert counts() == before


@pytest.mark.parametrize("materials, missing", [
    ([], ["id_card", "permit_card", "residence_proof"]),
    (["id_card", "permit_card"], ["residence_proof"]),
    (["permit_card", "labor_contract"], ["id_card"]),
])
def test_missing_materials_are_listed(permit, clerk, api, materials, missing) -> None:  # type: ignore[no-untyped-def]
    before = counts()
    r = endorse(api, clerk[1], permit.number, "2027-01-02", materials)
    assert r.status_code == 422 and r.json["error"] == "incomplete_materials"
    assert [m["code"] for m in r.json["missing"]] == missing
    assert len(r.json["fields"]["materials"]) == len(missing)
    for item, line in zip(r.json["missing"], r.json["fields"]["materials"]):
        assert item["name"] in line and "第十四条" in line
    assert counts() == before


@pytest.mark.parametrize("proof", ["student_card", "employment_certificate",
                                   "property_certificate"])
def test_any_residence_employment_or_study_proof_will_do(permit, clerk, api, proof) -> None:  # type: ignore[no-untyped-def]
    assert endorse(api, clerk[1], permit.number, "2027-01-02",
                   ["id_card", "permit_card", proof]).status_code == 201


def test_unknown_material_is_invalid_input(permit, clerk, api) -> None:  # type: ignore[no-untyped-def]
    r = endorse(api, clerk[1], permit.number, "2027-01-02", FULL + ["passport"])
    assert r.status_code == 422 and r.json["error"] == "invalid_input"


def test_revoked_permit_is_409(permit, clerk, api) -> None:  # type: ignore[no-untyped-def]
    permit.revoked_on, permit.revocation_reason = dt.date(2026, 6, 1), "持证人死亡（《办法》第二条）"
    db.session.commit()
    r = endorse(api, clerk[1], permit.number, "2027-01-02")
    assert r.status_code == 409 and r.json["error"] == "permit_revoked"


def test_only_the_issuing_station(permit, users, admin, api) -> None:  # type: ignore[no-untyped-def]
    _, other = users("station_clerk", XIONGBI)
    others = [users(role, org)[1] for role, org in (
        ("police_officer", None), ("dept_clerk", "dept-education"), ("assistant", None),
        ("auditor", None))]
    before = counts()
    r = endorse(api, other, permit.number, "2027-01-02")
    assert r.status_code == 403 and "原办证机关" in r.json["message"]
    assert "丹凤派出所" in r.json["message"]
    # what is wrong whoever asks comes first
    assert endorse(api, other, permit.number, "2025-12-01").status_code == 422
    for token in others:
        assert endorse(api, token, permit.number, "2027-01-02").status_code == 403
    assert counts() == before
    assert endorse(api, admin[1], permit.number, "2027-01-02").status_code == 201


def test_unknown_permit_is_404(clerk, api) -> None:  # type: ignore[no-untyped-def]
    assert endorse(api, clerk[1], "123", "2027-01-02").status_code == 404
