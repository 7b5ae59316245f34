"""POST /applications through the API: the DESIGN §3 examples, issuance on the spot, the
one-time notice, refusals with nothing half-written (《办法》第九条至第十三条)."""

from __future__ import annotations

import datetime as dt
import types
from typing import Any

from sqlalchemy import func, select

from core import api as kernel
from core.db import db
from core.models import AuditEvent, Card, Permit
from plugins.public_security.models import Application, DocumentSequence, SerialUse

from .conftest import DANFENG, XIONGBI, XIONGBI_CODE, make_id

FULL = ["id_card", "photo", "photo", "rental_contract"]
AGENT_ID = make_id("530323", dt.date(1985, 1, 1), 7, "female")
TABLES = (Application, Permit, Card, SerialUse, AuditEvent, DocumentSequence)


def counts() -> dict[str, int]:
    db.session.expire_all()
    return {t.__name__: db.session.scalar(select(func.count()).select_from(t)) for t in TABLES}


def body(holder: Any, **kw: Any) -> dict[str, Any]:
    return {"holder_id": holder.id, "accepted_on": "2026-07-10", "basis": ["residence"],
            "materials": FULL, "applicant": "self", **kw}


def registered(ps: Any, **kw: Any) -> Any:
    """A holder registered at 丹凤派出所 on 2026-01-10 (eligible from 2026-07-10)."""
    holder = ps.holder(**kw)
    ps.registration(holder, registered_on=dt.date(2026, 1, 10))
    return holder


def test_design_example_six_months_from_registration(ps, api, clerk) -> None:  # type: ignore[no-untyped-def]
    ps.number_range(DANFENG, 1000, 1999)
    holder = registered(ps)
    early = api("POST", "/applications", clerk[1], body(holder, accepted_on="2026-07-09"))
    assert early.status_code == 201, early.json
    out = early.json
    assert out["outcome"] == "ineligible"
    assert out["permit_number"] is None and out["card_serial"] is None
    assert out["notice_url"] == f"/api/v1/applications/{out['id']}/notice"
    residence = next(r for r in out["reasons"] if r["code"] == "residence_six_months")
    assert residence["passed"] is False and residence["basis"] == "《办法》第十一条"
    assert "2026年7月10日" in residence["text"]
    on_day = api("POST", "/applications", clerk[1], body(holder, accepted_on="2026-07-10"))
    assert on_day.status_code == 201 and on_day.json["outcome"] == "issued"
    assert on_day.json["valid_until"] == "2027-07-10"
    assert on_day.json["notice_url"] is None and on_day.json["missing_materials"] == []
    assert all(r["passed"] for r in on_day.json["reasons"])


def test_issued_on_the_spot_with_number_validity_and_residence_date(ps, api, clerk) -> None:  # type: ignore[no-untyped-def]
    ps.number_range(XIONGBI, 1, 999)  # another station's lower numbers are not ours
    ps.number_range(DANFENG, 2000, 2999)
    ps.number_range(DANFENG, 1000, 1999)
    holder = ps.holder()
    ps.registration(holder, registered_on=dt.date(2025, 7, 15), arrival=dt.date(2025, 7, 12))
    res = api("POST", "/applications", clerk[1],
              body(holder, accepted_on="2026-01-15", basis=["employment"],
                   materials=FULL + ["labor_contract"]))
    assert res.status_code == 201, res.json
    out = res.json
    assert out["outcome"] == "issued"
    assert (out["permit_number"], out["card_serial"]) == ("1000", 1000)
    assert out["valid_until"] == "2027-01-15"  # DESIGN §3
    assert out["document_number"] == "WS5303230012026000001"
    permit = db.session.scalar(select(Permit).where(Permit.number == "1000"))
    assert permit.holder_id == holder.id and permit.station.code == DANFENG
    assert permit.authority.kind == "county_psb"
    assert permit.issued_on == dt.date(2026, 1, 15)
    assert permit.continuous_residence_since == dt.date(2025, 7, 15)  # registration, not arrival
    [card] = permit.cards
    assert (card.serial, card.status, card.issued_on) == (1000, "live", dt.date(2026, 1, 15))
    use = db.session.get(SerialUse, 1000)
    assert (use.kind, use.card_id) == ("issued", card.id)
    app = db.session.get(Application, out["id"])
    assert (app.outcome, app.permit_id, app.accepted_by_id) == ("issued", permit.id, clerk[0].id)
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)).all()
    assert actions[-2:] == ["application.create", "permit.issue"]
    issue = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "permit.issue"))
    assert issue.new["number"] == "1000" and issue.new["serial"] == 1000
    assert issue.new["valid_until"] == "2027-01-15" and issue.new["station"] == DANFENG

    second = ps.holder(name="李娜", sex="female")
    ps.registration(second, registered_on=dt.date(2025, 7, 15))
    again = api("POST", "/applications", clerk[1], body(second, accepted_on="2026-01-15"))
    assert (again.json["permit_number"], again.json["card_serial"]) == ("1001", 1001)


def recorder(calls: list) -> tuple[str, types.ModuleType]:  # type: ignore[type-arg]
    module = types.ModuleType("issued_recorder")

    def permit_issued(permit, card, actor, session):  # type: ignore[no-untyped-def]
        # inside the issuing transaction: flushed, visible to it, not yet to anyone else
        with session.get_bind().connect() as other:
            committed = other.scalar(select(func.count()).select_from(Permit)
                                     .where(Permit.number == permit.number))
        calls.append((permit.number, card.serial, card.permit_id == permit.id, actor.id,
                      session.get(Permit, permit.id) is permit, committed))

    module.permit_issued = kernel.hookimpl(permit_issued)  # type: ignore[attr-defined]
    return "issued_recorder", module


def test_permit_issued_hook_fires_once_inside_the_transaction(ps, clerk, make_app) -> None:  # type: ignore[no-untyped-def]
    ps.number_range(DANFENG, 1000, 1999)
    holder = registered(ps)
    calls: list = []  # type: ignore[type-arg]
    client = make_app(plugins=[recorder(calls)]).test_client()
    res = client.post("/api/v1/applications", json=body(holder),
                      headers={"Authorization": f"Bearer {clerk[1]}"})
    assert res.status_code == 201 and res.json["outcome"] == "issued"
    assert calls == [("1000", 1000, True, clerk[0].id, True, 0)]
    incomplete = client.post("/api/v1/applications", json=body(holder, materials=["id_card"]),
                             headers={"Authorization": f"Bearer {clerk[1]}"})
    assert incomplete.status_code == 409  # the holder now has a live permit
    assert len(calls) == 1


def test_a_failing_hook_rolls_the_whole_issuance_back(ps, clerk, make_app) -> None:  # type: ignore[no-untyped-def]
    ps.number_range(DANFENG, 1000, 1999)
    holder = registered(ps)
    module = types.ModuleType("broken_listener")

    def permit_issued(permit):  # type: ignore[no-untyped-def]
        raise RuntimeError("listener down")

    module.permit_issued = kernel.hookimpl(permit_issued)  # type: ignore[attr-defined]
    client = make_app(plugins=[("broken_listener", module)]).test_client()
    before = counts()
    res = client.post("/api/v1/applications", json=body(holder),
                      headers={"Authorization": f"Bearer {clerk[1]}"})
    assert res.status_code == 500
    assert counts() == before


def test_incomplete_photo_issues_nothing_and_hands_out_a_notice(ps, api, clerk) -> None:  # type: ignore[no-untyped-def]
    ps.number_range(DANFENG, 1000, 1999)
    holder = registered(ps)
    before = counts()
    res = api("POST", "/applications", clerk[1],
              body(holder, materials=["id_card", "photo", "rental_contract"]))
    assert res.status_code == 201
    out = res.json
    assert out["outcome"] == "incomplete"
    assert out["missing_materials"] == [{"code": "photo", "name": "本人证件照（共需2张，缺1张）"}]
    assert out["notice_url"] == f"/api/v1/applications/{out['id']}/notice"
    assert out["permit_number"] is None and out["valid_until"] is None
    after = counts()
    assert after["Permit"] == before["Permit"] and after["Card"] == before["Card"]
    assert after["SerialUse"] == before["SerialUse"]
    assert after["Application"] == before["Application"] + 1
    assert after["AuditEvent"] == before["AuditEvent"] + 1
    event = db.session.scalar(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1))
    assert event.action == "application.create" and event.new["missing"] == ["photo"]


def test_every_missing_item_at_once(ps, api, clerk) -> None:  # type: ignore[no-untyped-def]
    holder = registered(ps)
    res = api("POST", "/applications", clerk[1],
              body(holder, basis=["employment", "study"], materials=["photo"]))
    assert res.json["outcome"] == "incomplete"
    assert [m["code"] for m in res.json["missing_materials"]] == [
        "identity_document", "photo", "residence_proof", "employment_proof", "study_proof"]


def test_child_under_16_with_household_register_and_guardian_is_issued(ps, api, clerk) -> None:  # type: ignore[no-untyped-def]
    ps.number_range(DANFENG, 1000, 1999)
    child = registered(ps, name="王小明", birth_date=dt.date(2015, 5, 1))
    res = api("POST", "/applications", clerk[1], body(
        child, applicant="guardian", agent_id_number=AGENT_ID,
        materials=["household_register", "photo", "photo", "rental_contract", "agent_id_card",
                   "principal_id_document"]))
    assert res.status_code == 201, res.json
    assert res.json["outcome"] == "issued"
    assert db.session.get(Application, res.json["id"]).agent_id_number == AGENT_ID


def test_adult_with_only_a_household_register_lacks_an_identity_document(ps, api, clerk) -> None:  # type: ignore[no-untyped-def]
    holder = registered(ps)
    res = api("POST", "/applications", clerk[1],
              body(holder, materials=["household_register", "photo", "photo", "rental_contract"]))
    assert res.json["outcome"] == "incomplete"
    assert res.json["missing_materials"] == [
        {"code": "identity_document", "name": "本人身份证件（本人居民身份证）"}]


def test_agent_for_an_adult_without_limited_mobility_is_refused(ps, api, clerk) -> None:  # type: ignore[no-untyped-def]
    holder = registered(ps)
    before = counts()
    res = api("POST", "/applications", clerk[1],
              body(holder, applicant="relative", agent_id_number=AGENT_ID,
                   materials=FULL + ["agent_id_card", "principal_id_document"]))
    assert res.status_code == 422
    assert res.json["error"] == "agent_not_allowed" and "applicant" in res.json["fields"]
    assert "第十二条" in res.json["message"]
    assert counts() == before


def test_agent_with_limited_mobility_needs_the_agents_id_card(ps, api, clerk) -> None:  # type: ignore[no-untyped-def]
    holder = registered(ps, birth_date=dt.date(1950, 2, 1))
    res = api("POST", "/applications", clerk[1],
              body(holder, applicant="relative", agent_id_number=AGENT_ID, limited_mobility=True,
                   materials=FULL + ["principal_id_document"]))
    assert res.status_code == 201
    assert res.json["outcome"] == "incomplete"
    assert [m["code"] for m in res.json["missing_materials"]] == ["agent_id_card"]


def test_agent_id_number_is_required_and_checked(ps, api, clerk) -> None:  # type: ignore[no-untyped-def]
    child = registered(ps, birth_date=dt.date(2015, 5, 1))
    before = counts()
    missing = api("POST", "/applications", clerk[1], body(child, applicant="guardian"))
    bad = api("POST", "/applications", clerk[1],
              body(child, applicant="guardian", agent_id_number="53032319850101123"))
    for res in (missing, bad):
        assert res.status_code == 422 and list(res.json["fields"]) == ["agent_id_number"]
        assert "代办人公民身份号码" in res.json["message"] and "第十二条" in res.json["message"]
    assert missing.json["error"] == "agent_id_number_required"
    assert bad.json["error"] == "id_number_format"
    assert counts() == before


def test_employment_basis_without_proof_is_incomplete(ps, api, clerk) -> None:  # type: ignore[no-untyped-def]
    holder = registered(ps)
    res = api("POST", "/applications", clerk[1], body(holder, basis=["employment"]))
    assert res.json["outcome"] == "incomplete"
    assert [m["code"] for m in res.json["missing_materials"]] == ["employment_proof"]
    assert "劳动合同" in res.json["missing_materials"][0]["name"]


def test_ineligible_still_lists_the_missing_materials(ps, api, clerk) -> None:  # type: ignore[no-untyped-def]
    holder = registered(ps)
    res = api("POST", "/applications", clerk[1], body(holder, basis=[], materials=["id_card"]))
    assert res.json["outcome"] == "ineligible"
    assert [r["code"] for r in res.json["reasons"] if not r["passed"]] == ["basis"]
    assert [m["code"] for m in res.json["missing_materials"]] == ["photo", "residence_proof"]


def test_no_numbers_left_writes_nothing(ps, api, clerk) -> None:  # type: ignore[no-untyped-def]
    ps.number_range(DANFENG, 1000, 1000)
    first = registered(ps)
    assert api("POST", "/applications", clerk[1], body(first)).json["permit_number"] == "1000"
    second = registered(ps, name="李娜", sex="female")
    before = counts()
    res = api("POST", "/applications", clerk[1], body(second))
    assert res.status_code == 409
    assert res.json["error"] == "no_numbers_left" and "丹凤派出所" in res.json["message"]
    assert counts() == before


def test_wrong_station_clerk_is_forbidden_after_input_checks(ps, api, users) -> None:  # type: ignore[no-untyped-def]
    _, other = users("station_clerk", XIONGBI)
    holder = registered(ps)
    before = counts()
    res = api("POST", "/applications", other, body(holder))
    assert res.status_code == 403 and "丹凤派出所" in res.json["message"]
    # input that is invalid whoever sends it is still a 422
    bad = api("POST", "/applications", other, body(holder, applicant="guardian",
                                                    agent_id_number=AGENT_ID))
    assert bad.status_code == 422 and bad.json["error"] == "agent_not_allowed"
    assert counts() == before


def test_the_station_of_the_latest_registration_decides(ps, api, users, clerk) -> None:  # type: ignore[no-untyped-def]
    ps.number_range(XIONGBI, 5000, 5999)
    holder = registered(ps)  # 丹凤 2026-01-10
    ps.registration(holder, station_code=XIONGBI, division_code=XIONGBI_CODE,
                    arrival=dt.date(2026, 2, 1), registered_on=dt.date(2026, 2, 3))
    _, xiongbi = users("station_clerk", XIONGBI)
    assert api("POST", "/applications", clerk[1], body(holder, accepted_on="2026-08-03")
               ).status_code == 403
    res = api("POST", "/applications", xiongbi, body(holder, accepted_on="2026-08-03"))
    assert res.json["outcome"] == "issued" and res.json["permit_number"] == "5000"
    assert res.json["document_number"].startswith("WS530323102")


def test_roles_other_than_admin_and_clerk_are_forbidden(ps, api, users) -> None:  # type: ignore[no-untyped-def]
    holder = registered(ps)
    for role, org in (("police_officer", None), ("dept_clerk", "dept-education"),
                      ("assistant", None), ("auditor", None)):
        assert api("POST", "/applications", users(role, org)[1], body(holder)).status_code == 403
    _, dept = users("dept_clerk", "dept-education")
    assert api("POST", "/applications", dept, body(holder, accepted_on="2026-7-10")
               ).status_code == 422
    assert api("POST", "/applications", None, body(holder)).status_code == 401


def test_county_admin_applies_for_any_station(ps, api, admin) -> None:  # type: ignore[no-untyped-def]
    ps.number_range(DANFENG, 1000, 1999)
    holder = registered(ps)
    res = api("POST", "/applications", admin[1], body(holder))
    assert res.status_code == 201 and res.json["outcome"] == "issued"


def test_holder_without_registration_is_refused(ps, api, clerk) -> None:  # type: ignore[no-untyped-def]
    holder = ps.holder()
    ps.registration(holder, registered_on=dt.date(2026, 7, 11))  # after acceptance
    before = counts()
    res = api("POST", "/applications", clerk[1], body(holder))
    assert res.status_code == 422 and res.json["error"] == "not_registered"
    assert list(res.json["fields"]) == ["holder_id"]
    assert "第十条" in res.json["message"] and "第十一条" in res.json["message"]
    assert counts() == before


def test_unknown_holder_material_basis_or_field_is_422(ps, api, clerk) -> None:  # type: ignore[no-untyped-def]
    holder = registered(ps)
    before = counts()
    cases = [
        (body(holder, holder_id=999999), "holder_id"),
        (body(holder, materials=["id_card", "passport"]), "materials.1"),
        (body(holder, basis=["marriage"]), "basis.0"),
        (body(holder, applicant="friend"), "applicant"),
        (body(holder, override=True), "override"),  # 第九条: there is no override
        (body(holder, accepted_on="2026-02-30"), "accepted_on"),
    ]
    for payload, field in cases:
        res = api("POST", "/applications", clerk[1], payload)
        assert res.status_code == 422, (field, res.json)
        assert field in res.json["fields"], (field, res.json)
    assert counts() == before


def test_a_live_permit_blocks_a_second_one_but_a_revoked_one_does_not(ps, api, clerk) -> None:  # type: ignore[no-untyped-def]
    ps.number_range(DANFENG, 1000, 1999)
    holder = registered(ps)
    existing = ps.permit(holder, issued_on=dt.date(2026, 3, 1), with_range=False)
    before = counts()
    res = api("POST", "/applications", clerk[1], body(holder))
    assert res.status_code == 409 and res.json["error"] == "permit_exists"
    assert res.json["permit_number"] == existing.number
    assert counts() == before
    existing.revoked_on, existing.revocation_reason = dt.date(2026, 6, 1), "迁出本县"
    db.session.commit()
    again = api("POST", "/applications", clerk[1], body(holder))
    assert again.status_code == 201 and again.json["outcome"] == "issued"


def test_get_application_answers_as_at_creation(ps, api, clerk, users) -> None:  # type: ignore[no-untyped-def]
    ps.number_range(DANFENG, 1000, 1999)
    holder = registered(ps)
    issued = api("POST", "/applications", clerk[1], body(holder)).json
    other = registered(ps, name="李娜", sex="female")
    incomplete = api("POST", "/applications", clerk[1], body(other, materials=[])).json
    for created in (issued, incomplete):
        assert api("GET", f"/applications/{created['id']}", clerk[1]).json == created
    officer = users("police_officer")[1]
    assert api("GET", f"/applications/{issued['id']}", officer).json == issued
    assert api("GET", f"/applications/{issued['id']}", users("station_clerk", XIONGBI)[1]
               ).status_code == 403
    assert api("GET", f"/applications/{issued['id']}", users("auditor")[1]).status_code == 403
    assert api("GET", "/applications/999999", clerk[1]).status_code == 404


def test_a_decision_after_the_measures_lapse_carries_a_warning(ps, api, clerk) -> None:  # type: ignore[no-untyped-def]
    ps.number_range(DANFENG, 1000, 1999)
    holder = ps.holder()
    ps.registration(holder, registered_on=dt.date(2029, 6, 1))
    res = api("POST", "/applications", clerk[1], body(holder, accepted_on="2030-02-01"))
    assert res.json["outcome"] == "issued" and "第二十三条" in res.json["warning"]
    in_force = registered(ps, name="李娜", sex="female")
    assert api("POST", "/applications", clerk[1], body(in_force)).json["warning"] is None


def test_openapi_describes_the_application_endpoints(client) -> None:  # type: ignore[no-untyped-def]
    doc = client.get("/api/v1/openapi.json").json
    post = doc["paths"]["/api/v1/applications"]["post"]
    assert {"201", "403", "409", "422"} <= set(post["responses"])
    assert "第九条" in post["description"]
    materials = doc["components"]["schemas"]["ApplicationIn"]["properties"]["materials"]
    assert "agent_id_card" in materials["items"]["enum"]
    assert "/api/v1/applications/{application_id}/notice" in doc["paths"]
