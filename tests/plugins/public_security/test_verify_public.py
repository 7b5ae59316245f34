"""The public verification answers (DESIGN §5 GET /verify/{token}): the JSON under /api/v1 and
the HTML page a phone opens. No login; nothing personal beyond the masked name."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from core import api as kernel
from core.db import db
from plugins.public_security import verification

from .conftest import DANFENG_CODE


def permit_for(ps: Any, name: str = "张伟", days_ago: int = 30) -> Any:
    holder = ps.holder(name=name)
    return ps.permit(holder, issued_on=kernel.today() - dt.timedelta(days=days_ago))


def token(permit: Any) -> str:
    return verification.token_for(permit.live_card)


def forged(genuine: str) -> str:
    key_id, serial36, seal = genuine.split(".")
    return f"{key_id}.{serial36}.{seal[::-1]}"


def test_genuine_token_answers_exactly_the_four_fields(ps, api) -> None:  # type: ignore[no-untyped-def]
    permit = permit_for(ps)
    r = api("GET", f"/verify/{token(permit)}")
    assert r.status_code == 200
    assert r.get_json() == {"valid": True, "status": "valid", "masked_name": "张*",
                            "valid_until": permit.valid_until.isoformat()}
    assert r.headers["Cache-Control"] == "no-store"
    assert r.headers["X-Robots-Tag"] == "noindex"


def test_compound_surname_is_masked_after_both_characters(ps, api) -> None:  # type: ignore[no-untyped-def]
    permit = permit_for(ps, name="欧阳娜娜")
    assert api("GET", f"/verify/{token(permit)}").get_json()["masked_name"] == "欧阳**"


def test_suspended_permit_card_is_valid_with_status_suspended(ps, api) -> None:  # type: ignore[no-untyped-def]
    permit = permit_for(ps, days_ago=400)  # valid_until passed without an endorsement
    body = api("GET", f"/verify/{token(permit)}").get_json()
    assert body["valid"] is True and body["status"] == "suspended"
    assert body["valid_until"] == permit.valid_until.isoformat()


def test_forged_token_is_200_valid_false(ps, api) -> None:  # type: ignore[no-untyped-def]
    permit = permit_for(ps)
    for bad in (forged(token(permit)), "not-a-token", "a.b.c"):
        r = api("GET", f"/verify/{bad}")
        assert r.status_code == 200
        assert r.get_json() == {"valid": False, "status": None, "masked_name": None,
                                "valid_until": None}


def test_lost_card_does_not_verify(ps, api) -> None:  # type: ignore[no-untyped-def]
    permit = permit_for(ps)
    genuine = token(permit)
    permit.live_card.status = "lost"
    db.session.commit()
    body = api("GET", f"/verify/{genuine}").get_json()
    assert body["valid"] is False and body["masked_name"] == "张*"


def page(client: Any, tok: str) -> Any:
    r = client.get(f"/verify/{tok}", headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.mimetype == "text/html"
    assert r.headers["Cache-Control"] == "no-store"
    assert r.headers["X-Robots-Tag"] == "noindex"
    return r.get_data(as_text=True)


def test_page_shows_masked_name_status_and_date_only(ps, client) -> None:  # type: ignore[no-untyped-def]
    holder = ps.holder(name="张伟", hukou_address="云南省曲靖市麒麟区南宁街道幸福路8号")
    db.session.add(kernel.Residence(holder_id=holder.id, address="丹凤街道某社区1号",
                                    division_code=DANFENG_CODE, from_date=dt.date(2025, 7, 1)))
    permit = ps.permit(holder, issued_on=kernel.today() - dt.timedelta(days=30))
    html = page(client, token(permit))
    assert '<html lang="zh-CN">' in html
    assert "张*" in html and "有效" in html and kernel.zh_date(permit.valid_until) in html
    for secret in ("张伟", holder.id_number, holder.id_number[-4:], "幸福路", "丹凤街道某社区",
                   holder.phone, permit.number, str(permit.live_card.serial)):
        assert secret not in html
    # standalone: no external resources, no scripts, no admin base
    assert not re.search(r"<(link|script|img|iframe)\b", html)
    assert "http://" not in html and "https://" not in html
    assert "admin" not in html


def test_page_says_suspended_in_chinese(ps, client) -> None:  # type: ignore[no-untyped-def]
    html = page(client, token(permit_for(ps, days_ago=400)))
    assert "使用功能中止" in html and "张*" in html


@pytest.mark.parametrize("state, says", [("forged", "未能核验"), ("lost", "无效"),
                                         ("detained", "无效"), ("revoked", "已注销")])
def test_page_for_a_card_that_does_not_verify_shows_no_name(ps, client, state, says) -> None:  # type: ignore[no-untyped-def]
    permit = permit_for(ps)
    tok = token(permit)
    if state == "forged":
        tok = forged(tok)
    elif state == "revoked":
        permit.revoked_on = kernel.today()
        permit.live_card.status = "void"
    else:
        permit.live_card.status = state
    db.session.commit()
    html = page(client, tok)
    assert says in html
    if state != "revoked":
        assert "无效" in html
    assert "张*" not in html and "张伟" not in html and "有效期至" not in html
