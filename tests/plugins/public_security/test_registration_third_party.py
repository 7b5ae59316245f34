"""POST /third-party-reports: employers, landlords and agencies report within 5 working days
of the contract, to the station of the premises (《办法》第十条第二款)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select

from core.db import db
from core.models import AuditEvent
from plugins.public_security.models import ThirdPartyReport

from .conftest import DANFENG, XIONGBI, XIONGBI_CODE, make_id

PERSON = make_id("530381", dt.date(1991, 1, 9), 7, "male")  # 宣威市: not a holder here


def counts() -> tuple[int, ...]:
    """ThirdPartyReport and AuditEvent rows: unchanged after any refusal."""
    return tuple(db.session.scalar(select(func.count()).select_from(m))
                 for m in (ThirdPartyReport, AuditEvent))


def report(**kw: Any) -> dict[str, Any]:
    return {"reporter_kind": "employer", "reporter_name": "师宗县某建材有限公司",
            "holder_id_number": PERSON, "contract_date": "2026-09-30",
            "reported_on": "2026-10-13", "premises_address": "雄壁镇工业园1号",
            "premises_division_code": XIONGBI_CODE, **kw}


def test_reported_within_5_working_days_of_the_contract_is_on_time(api: Any, clerk: Any) -> None:
    res = api("POST", "/third-party-reports", clerk[1], report())
    assert res.status_code == 201, res.json
    assert res.json["deadline"] == "2026-10-13" and res.json["on_time"] is True
    assert res.json["provisional"] is False
    # a 丹凤 clerk may take it; it goes to the premises' station
    assert res.json["station"] == XIONGBI and res.json["holder_id"] is None
    row = db.session.get(ThirdPartyReport, res.json["id"])
    assert row.station.code == XIONGBI and row.holder_id_number == PERSON
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert event.action == "third_party_report.create" and event.entity_id == str(row.id)


def test_reported_the_day_after_is_late(api: Any, users: Any) -> None:
    _, token = users("assistant")
    res = api("POST", "/third-party-reports", token,
              report(reporter_kind="landlord", reported_on="2026-10-14"))
    assert res.status_code == 201, res.json
    assert res.json["deadline"] == "2026-10-13" and res.json["on_time"] is False


def test_without_premises_it_stays_with_the_county_psb(api: Any, admin: Any) -> None:
    payload = report(reporter_kind="agency")
    del payload["premises_address"], payload["premises_division_code"]
    res = api("POST", "/third-party-reports", admin[1], payload)
    assert res.status_code == 201, res.json
    assert res.json["station"] is None


def test_a_known_holder_is_linked_by_id_number(ps: Any, api: Any, clerk: Any) -> None:
    holder = ps.holder()
    res = api("POST", "/third-party-reports", clerk[1],
              report(holder_id_number=holder.id_number.lower(),
                     premises_division_code="530323001002"))
    assert res.status_code == 201, res.json
    assert res.json["holder_id"] == holder.id and res.json["station"] == DANFENG


def test_contract_after_report_is_refused_naming_both_dates(api: Any, clerk: Any) -> None:
    before = counts()
    res = api("POST", "/third-party-reports", clerk[1], report(contract_date="2026-10-14"))
    assert res.status_code == 422
    assert res.json["error"] == "contract_after_report"
    assert list(res.json["fields"]) == ["contract_date"]
    assert "合同签订日期" in res.json["message"] and "报送日期" in res.json["message"]
    assert "《办法》第十条" in res.json["message"]
    assert counts() == before


@pytest.mark.parametrize("role, org", [("county_admin", None), ("auditor", None),
                                       ("dept_clerk", "dept-health")])
def test_premises_outside_the_county_is_422_whoever_sends_it(
        api: Any, users: Any, role: Any, org: Any,
) -> None:
    _, token = users(role, org)
    before = counts()
    res = api("POST", "/third-party-reports", token, report(premises_division_code="530302001001"))
    assert res.status_code == 422
    assert res.json["error"] == "outside_county"
    assert "premises_division_code" in res.json["fields"] and "第十条" in res.json["message"]
    assert counts() == before


@pytest.mark.parametrize("code, error", [
    ("530323", "premises_township_required"),
    ("530323999", "unknown_township"),
    ("990323102001", "division_code_format"),
])
def test_premises_must_name_a_known_township(api: Any, clerk: Any, code: Any, error: Any) -> None:
    res = api("POST", "/third-party-reports", clerk[1], report(premises_division_code=code))
    assert res.status_code == 422 and res.json["error"] == error
    assert "premises_division_code" in res.json["fields"]


@pytest.mark.parametrize("number, error", [
    ("53032319910109001", "id_number_format"),
    (PERSON[:-1] + ("0" if PERSON[-1] != "0" else "1"), "id_number_checksum"),
])
def test_a_bad_id_number_is_422_on_holder_id_number(
        api: Any, clerk: Any, number: Any, error: Any,
) -> None:
    before = counts()
    res = api("POST", "/third-party-reports", clerk[1], report(holder_id_number=number))
    assert res.status_code == 422 and res.json["error"] == error
    assert list(res.json["fields"]) == ["holder_id_number"]
    assert counts() == before


def test_unknown_reporter_kind_is_422(api: Any, clerk: Any) -> None:
    res = api("POST", "/third-party-reports", clerk[1], report(reporter_kind="school"))
    assert res.status_code == 422 and "reporter_kind" in res.json["fields"]


@pytest.mark.parametrize("role, org", [("auditor", None), ("police_officer", None),
                                       ("dept_clerk", "dept-education")])
def test_other_roles_get_403_with_valid_input(api: Any, users: Any, role: Any, org: Any) -> None:
    _, token = users(role, org)
    before = counts()
    assert api("POST", "/third-party-reports", token, report()).status_code == 403
    assert counts() == before
