"""Schemathesis against the published OpenAPI document (Issue 5): every operation of
``/api/v1/openapi.json`` is called in-process with generated input, as a county admin, and
must neither fail with a 5xx nor answer outside its declared response schema.

Each operation gets a bounded number of examples (``EXAMPLES``), so the whole run stays well
under a minute on a shared CI machine; no example database, so runs do not depend on each other.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from core.db import db
from core.rules import id_check_char

EXAMPLES = 25
CHECKS = [not_a_server_error, response_schema_conformance]


def seed(api: Any, token: str) -> None:
    """A little real data, so that generated ids sometimes hit a holder, a registration, an
    application and a permit (ids 1 … and the permit number 1000)."""
    def post(path: str, body: dict[str, Any]) -> dict[str, Any]:
        resp = api("POST", path, token, body)
        assert resp.status_code == 201, resp.get_data(as_text=True)[:400]
        return resp.json

    post("/number-ranges", {"station": "station-530323001", "start": 1000, "end": 1999})
    first17 = "53030219900307001"
    holder = post("/holders", {
        "name": "张伟", "sex": "male", "ethnicity": "汉族", "birth_date": "1990-03-07",
        "id_number": first17 + id_check_char(first17), "hukou_address": "云南省曲靖市麒麟区",
        "hukou_division_code": "530302001000"})
    post("/registrations", {"holder_id": holder["id"], "arrival_date": "2026-01-05",
                            "registered_on": "2026-01-09", "residence_address": "丹凤街道1号",
                            "residence_division_code": "530323001001"})
    issued = post("/applications", {
        "holder_id": holder["id"], "accepted_on": "2026-07-10", "basis": ["residence"],
        "applicant": "self", "materials": ["id_card", "photo", "photo", "rental_contract"]})
    assert issued["permit_number"] == "1000"


def test_every_operation_keeps_its_contract(app: Any, api: Any, users: Any) -> None:
    _admin, token = users("county_admin")
    seed(api, token)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    headers = {"Authorization": f"Bearer {token}"}
    ran: dict[str, int] = {}
    failures: list[str] = []

    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 40
    for operation in operations:
        label = f"{operation.method.upper()} {operation.path}"
        ran[label] = 0

        @settings(max_examples=EXAMPLES, database=None, deadline=None, derandomize=True,
                  phases=[Phase.explicit, Phase.generate],
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def call(case: Any) -> None:
            ran[label] += 1
            try:
                case.call_and_validate(headers=headers, checks=CHECKS)
            finally:
                db.session.rollback()

        try:
            call()
        except Exception as exc:  # collect every operation's failure, then report them all
            failures.append(f"{label}: {type(exc).__name__}: {str(exc)[:1500]}")
    total = sum(ran.values())
    print(f"schemathesis: {len(operations)} operations, {total} cases")
    assert not failures, "\n\n".join(failures)
    assert total >= len(operations)


def test_ids_too_large_for_the_database_are_404_and_422_not_500(app: Any, api: Any,
                                                                  users: Any) -> None:
    """What schemathesis found: a 30-digit id in a URL or a body reached the database driver
    (SQLite OverflowError; on PostgreSQL any id above 2**31 - 1) and answered 500."""
    _admin, token = users("county_admin")
    for path in ("/holders/63955115746093607070635917312/entitlements",
                 f"/holders/{2**31}", "/registrations/99999999999999999999"):
        resp = api("GET", path, token)
        assert resp.status_code == 404 and resp.json["error"] == "not_found", path
    assert api("GET", f"/holders/{2**31 - 1}", token).status_code == 404  # in range: looked up
    resp = api("POST", "/housing/applications", token, {
        "holder_id": 977250107271548239872, "applied_on": "2026-08-01", "household_size": 2})
    assert resp.status_code == 422 and resp.json["error"] == "invalid_input"
    assert "持证人" in resp.json["fields"]["holder_id"][0]
    assert "超出" in resp.json["fields"]["holder_id"][0] and "第十八条" in resp.json["message"]
    resp = api("POST", "/number-ranges", token,
               {"station": "station-530323001", "start": 2**63, "end": 2**63 + 5})
    assert resp.status_code == 422 and {"start", "end"} <= set(resp.json["fields"])
    ok = api("POST", "/number-ranges", token,  # card serials are BIGINT: above 2**31 is fine
             {"station": "station-530323001", "start": 5_303_230_001, "end": 5_303_230_099})
    assert ok.status_code == 201, ok.json


def test_a_nul_character_is_refused_as_input_not_a_server_error(api: Any, users: Any) -> None:
    """What schemathesis found next: a NUL in a text field reached PostgreSQL ("text fields
    cannot contain NUL bytes") and answered 500; SQLite stored it. Every body refuses it."""
    _admin, token = users("county_admin")
    resp = api("POST", "/number-ranges", token,
               {"station": "0n\x00e", "start": 303, "end": 1024})
    assert resp.status_code == 422 and resp.json["error"] == "invalid_input"
    assert "空字符" in resp.json["fields"]["station"][0]
    resp = api("POST", "/holders", token, {
        "name": "张\x00三", "sex": "male", "ethnicity": "汉族", "birth_date": "1990-01-01",
        "id_number": "530302199001010011", "hukou_address": "云南省曲靖市麒麟区",
        "hukou_division_code": "530302001000"})
    assert resp.status_code == 422 and "空字符" in resp.json["fields"]["name"][0]
