"""GET /permits/{number} (DESIGN §5): the contract's fields, and a status derived from dates
alone (《办法》第十四条) — suspended the day after valid_until although no sweep ran."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from core import api as kernel
from core.db import db
from core.models import PermitStatusEvent
from plugins.public_security import permits, verification

from .conftest import DANFENG, XIONGBI

CONTRACT = {"number", "holder_id", "station", "status", "issued_on", "valid_until",
            "continuous_residence_since", "card_serial", "endorsement_window", "verify_token"}


def test_answer_carries_every_contract_field(ps, clerk, api) -> None:  # type: ignore[no-untyped-def]
    permit = ps.permit(issued_on=dt.date(2026, 1, 15), registered_on=dt.date(2025, 7, 10))
    card = permit.live_card
    r = api("GET", f"/permits/{permit.number}?as_of=2026-06-01", clerk[1])
    assert r.status_code == 200, r.json
    body = r.json
    assert CONTRACT <= set(body)
    assert body["number"] == permit.number and body["holder_id"] == permit.holder_id
    assert body["station"] == DANFENG
    assert body["status"] == "valid"
    assert (body["issued_on"], body["valid_until"]) == ("2026-01-15", "2027-01-15")
    assert body["continuous_residence_since"] == "2025-07-10"
    assert body["card_serial"] == card.serial
    assert body["endorsement_window"] == {"opens": "2026-12-17", "closes": "2027-01-15"}
    assert body["card_url"] == f"/api/v1/permits/{permit.number}/card"
    assert verification.verify(db.session, body["verify_token"], dt.date(2026, 6, 1)).valid


@pytest.mark.parametrize("as_of, status", [
    ("2026-01-15", "valid"),   # the issue day
    ("2027-01-15", "valid"),   # valid through valid_until
    ("2027-01-16", "suspended"),  # the day after, with no sweep having run
    ("2029-03-01", "suspended"),
])
def test_status_is_derived_from_dates_before_any_sweep(ps, clerk, api, as_of, status) -> None:  # type: ignore[no-untyped-def]
    permit = ps.permit(issued_on=dt.date(2026, 1, 15))
    r = api("GET", f"/permits/{permit.number}?as_of={as_of}", clerk[1])
    assert r.json["status"] == status
    assert db.session.scalar(select(func.count()).select_from(PermitStatusEvent)) == 0


def test_revoked_from_its_revocation_date(ps, clerk, api) -> None:  # type: ignore[no-untyped-def]
    permit = ps.permit(issued_on=dt.date(2026, 1, 15))
    permit.revoked_on, permit.revocation_reason = dt.date(2026, 5, 1), "在本县落户（《办法》第十九条）"
    db.session.commit()
    before = api("GET", f"/permits/{permit.number}?as_of=2026-04-30", clerk[1]).json
    after = api("GET", f"/permits/{permit.number}?as_of=2026-05-01", clerk[1]).json
    assert (before["status"], after["status"]) == ("valid", "revoked")
    assert after["revoked_on"] == "2026-05-01" and "第十九条" in after["revocation_reason"]


def test_as_of_defaults_to_today(ps, clerk, api) -> None:  # type: ignore[no-untyped-def]
    permit = ps.permit(issued_on=dt.date(2020, 1, 15))
    body = api("GET", f"/permits/{permit.number}", clerk[1]).json
    assert body["as_of"] == kernel.today().isoformat()
    assert body["status"] == "suspended"  # valid_until 2021-01-15 is long past


def test_unknown_number_is_404_in_chinese(clerk, api) -> None:  # type: ignore[no-untyped-def]
    r = api("GET", "/permits/999999", clerk[1])
    assert r.status_code == 404
    assert r.json["error"] == "permit_not_found" and "999999" in r.json["message"]
    assert "不存在" in r.json["message"]


def test_malformed_as_of_is_422(ps, clerk, api) -> None:  # type: ignore[no-untyped-def]
    permit = ps.permit()
    r = api("GET", f"/permits/{permit.number}?as_of=2027-1-16", clerk[1])
    assert r.status_code == 422 and "as_of" in r.json["fields"]
    assert "YYYY-MM-DD" in r.json["fields"]["as_of"][0]


@pytest.mark.parametrize("role, org, status", [
    ("county_admin", None, 200), ("station_clerk", XIONGBI, 200), ("police_officer", None, 200),
    ("dept_clerk", "dept-education", 200), ("auditor", None, 200), ("assistant", None, 403),
])
def test_who_may_read(ps, users, api, role, org, status) -> None:  # type: ignore[no-untyped-def]
    permit = ps.permit()
    _, token = users(role, org)
    assert api("GET", f"/permits/{permit.number}", token).status_code == status
    assert api("GET", f"/permits/{permit.number}").status_code == 401


def test_permit_state_for_entitlement_checks(ps) -> None:  # type: ignore[no-untyped-def]
    permit = ps.permit(issued_on=dt.date(2026, 1, 15), registered_on=dt.date(2025, 7, 10))
    found = permits.find_permit(db.session, permit.number)
    assert found is permit and permits.find_permit(db.session, "0") is None
    state = permits.permit_state(found, dt.date(2027, 1, 16))
    assert state == kernel.PermitState(
        number=permit.number, status="suspended", issued_on=dt.date(2026, 1, 15),
        valid_until=dt.date(2027, 1, 15), continuous_residence_since=dt.date(2025, 7, 10),
        station_code=DANFENG)
    assert permits.permit_state(found, dt.date(2027, 1, 15)).status == "valid"
