"""POST/GET /api/v1/holders: roles, Chinese 422s naming field and article, 409 on a known
ID number, masking for department roles, and nothing half-written."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select

from core.db import db
from core.models import AuditEvent, Holder
from core.rules import id_check_char


def id_number(region: str = "530302", birth: str = "19900307", seq: str = "021") -> str:
    first17 = region + birth + seq
    return first17 + id_check_char(first17)


def holder_body(**over: Any) -> dict[str, Any]:
    body = {"name": "张伟", "sex": "male", "ethnicity": "汉族", "birth_date": "1990-03-07",
            "id_number": id_number(), "hukou_address": "云南省曲靖市麒麟区",
            "hukou_division_code": "530302", "phone": "13912345678"}
    body.update(over)
    return body


def counts() -> tuple[int, int]:
    return (db.session.scalar(select(func.count()).select_from(Holder)),
            db.session.scalar(select(func.count()).select_from(AuditEvent)))


@pytest.fixture
def admin_token(users) -> str:  # type: ignore[no-untyped-def]
    return users("county_admin")[1]


def test_create_and_read_holder(api, admin_token) -> None:  # type: ignore[no-untyped-def]
    before = counts()
    r = api("POST", "/holders", admin_token, holder_body())
    assert r.status_code == 201, r.json
    assert r.json["id_number"] == id_number() and r.json["masked"] is False
    assert counts() == (before[0] + 1, before[1] + 1)  # the holder and its audit event
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event.action == "holder.create" and event.entity_id == str(r.json["id"])
    got = api("GET", f"/holders/{r.json['id']}", admin_token)
    assert got.status_code == 200 and got.json["name"] == "张伟"


def test_rare_characters_in_names_survive(api, admin_token) -> None:  # type: ignore[no-untyped-def]
    r = api("POST", "/holders", admin_token, holder_body(name="陈𠀾䶮"))
    assert r.status_code == 201
    assert api("GET", f"/holders/{r.json['id']}", admin_token).json["name"] == "陈𠀾䶮"


def test_lowercase_x_is_stored_upper(api, admin_token) -> None:  # type: ignore[no-untyped-def]
    number = next(n for seq in range(100, 200)
                  if (n := id_number(seq=str(seq))).endswith("X"))
    r = api("POST", "/holders", admin_token, holder_body(id_number=number.lower(),
                                                          birth_date="1990-03-07",
                                                          sex="male" if int(number[16]) % 2 else "female"))
    assert r.status_code == 201, r.json
    assert r.json["id_number"] == number


def test_duplicate_id_number_is_409(api, admin_token) -> None:  # type: ignore[no-untyped-def]
    first = api("POST", "/holders", admin_token, holder_body())
    before = counts()
    r = api("POST", "/holders", admin_token, holder_body(name="另一个人"))
    assert r.status_code == 409
    assert r.json["error"] == "duplicate_id_number" and r.json["holder_id"] == first.json["id"]
    assert "id_number" in r.json["fields"] and "公民身份号码" in r.json["message"]
    assert counts() == before


@pytest.mark.parametrize("field,value,words", [
    ("id_number", id_number()[:-1] + ("0" if id_number()[-1] != "0" else "1"), ["校验"]),
    ("id_number", "53030219901307021X", ["出生日期"]),
    ("birth_date", "1990-03-08", ["出生日期"]),
    ("sex", "female", ["性别"]),
    ("birth_date", "1990/03/07", ["出生日期", "YYYY-MM-DD", "第四条"]),
    ("ethnicity", "火星族", ["民族", "第四条"]),
    ("hukou_division_code", "99", ["户籍区划代码"]),
    ("hukou_division_code", "990101", ["区划"]),
    ("name", "", ["姓名", "第四条"]),
    ("sex", "男性", ["性别", "第四条"]),
    ("phone", "12345", ["电话"]),
])
def test_bad_input_is_422_naming_field(api, admin_token, field, value, words) -> None:  # type: ignore[no-untyped-def]
    before = counts()
    r = api("POST", "/holders", admin_token, holder_body(**{field: value}))
    assert r.status_code == 422, r.json
    assert set(r.json) >= {"error", "message", "fields"}
    assert field in r.json["fields"], r.json
    text = " ".join(r.json["fields"][field])
    for word in words:
        assert word in text, (word, text)
    assert counts() == before


def test_missing_and_unknown_fields(api, admin_token) -> None:  # type: ignore[no-untyped-def]
    body = holder_body()
    del body["name"]
    body["fee"] = 10  # 《办法》第六条: there is no fee field to fill in
    r = api("POST", "/holders", admin_token, body)
    assert r.status_code == 422
    assert "必须填写" in r.json["fields"]["name"][0] and "第四条" in r.json["fields"]["name"][0]
    assert "fee" in r.json["fields"]


def test_malformed_json_is_422(api, admin_token) -> None:  # type: ignore[no-untyped-def]
    r = api("POST", "/holders", admin_token, data=b"{not json",
            headers={"Content-Type": "application/json"})
    assert r.status_code == 422 and r.json["error"] == "invalid_json"


def test_no_token_401_wrong_role_403_invalid_input_before_role(api, users) -> None:  # type: ignore[no-untyped-def]
    assert api("POST", "/holders", None, holder_body()).status_code == 401
    assert api("POST", "/holders", "jz_forged", holder_body()).status_code == 401
    _, dept = users("dept_clerk", "dept-education")
    assert api("POST", "/holders", dept, holder_body()).status_code == 403
    # invalid whoever sends it → 422 even for a role that could not have acted (DESIGN §5)
    assert api("POST", "/holders", dept, holder_body(birth_date="x")).status_code == 422
    _, assistant = users("assistant")
    assert api("GET", "/holders/1", assistant).status_code == 403


@pytest.mark.parametrize("role,org,masked", [
    ("county_admin", None, False), ("station_clerk", "station-530323001", False),
    ("police_officer", None, False), ("dept_clerk", "dept-housing", True), ("auditor", None, True),
])
def test_masking_by_role(api, users, admin_token, role, org, masked) -> None:  # type: ignore[no-untyped-def]
    created = api("POST", "/holders", admin_token, holder_body()).json
    _, token = users(role, org)
    r = api("GET", f"/holders/{created['id']}", token)
    assert r.status_code == 200
    full = id_number()
    if masked:
        assert r.json["id_number"] == full[:6] + "*" * 8 + full[-4:]
        assert r.json["phone"] == "139****5678"
        assert full not in r.get_data(as_text=True)
    else:
        assert r.json["id_number"] == full and r.json["phone"] == "13912345678"
    assert r.json["masked"] is masked


def test_unknown_holder_is_404_json(api, admin_token) -> None:  # type: ignore[no-untyped-def]
    r = api("GET", "/holders/999999", admin_token)
    assert r.status_code == 404 and r.json["error"] == "holder_not_found"
    r = api("GET", "/no/such/endpoint", admin_token)
    assert r.status_code == 404 and r.json["error"] == "not_found"


def test_expired_and_revoked_tokens_are_401(api, users, app) -> None:  # type: ignore[no-untyped-def]
    from core.models import ApiToken

    user, token = users("county_admin")
    assert api("GET", "/calendar/working-days?from=2026-09-30&n=5", token).status_code == 200
    row = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    row.expires_at = dt.datetime(2000, 1, 1)
    db.session.commit()
    assert api("GET", "/calendar/working-days?from=2026-09-30&n=5", token).status_code == 401
    row.expires_at, row.revoked_at = None, dt.datetime(2026, 1, 1)
    db.session.commit()
    assert api("GET", "/calendar/working-days?from=2026-09-30&n=5", token).status_code == 401
    assert token not in {t.token_hash for t in db.session.scalars(select(ApiToken))}
