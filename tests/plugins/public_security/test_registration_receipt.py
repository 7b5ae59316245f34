"""The printed 暂住登记凭证 (《办法》第十条) at /api/v1/registrations/{id}/receipt."""

from __future__ import annotations

import datetime as dt
from typing import Any

from core import api as kernel

from .conftest import DANFENG_CODE, XIONGBI


def register(api: Any, token: str, holder: Any, **kw: Any) -> dict[str, Any]:
    res = api("POST", "/registrations", token, {
        "holder_id": holder.id, "arrival_date": "2026-09-30",
        "residence_address": "丹凤街道翠云社区3号", "residence_division_code": DANFENG_CODE,
        "registered_on": "2026-10-13", **kw})
    assert res.status_code == 201, res.json
    return res.json


def test_receipt_shows_every_item_in_chinese(ps: Any, api: Any, clerk: Any) -> None:
    holder = ps.holder(name="欧阳晓燕", sex="female", ethnicity="彝族")
    out = register(api, clerk[1], holder)
    res = api("GET", out["receipt_url"].removeprefix("/api/v1"), clerk[1])
    assert res.status_code == 200 and res.mimetype == "text/html"
    page = res.get_data(as_text=True)
    for text in ("暂住登记凭证", out["receipt_number"], "欧阳晓燕", "女", "彝族",
                 holder.id_number, "云南省曲靖市麒麟区南宁街道", "丹凤街道翠云社区3号",
                 "2026年9月30日", "2026年10月13日", "按时", "第十条", "丹凤派出所",
                 "2027年4月13日", "第十一条", "办理暂住登记不收取任何费用（《办法》第六条）", "盖章"):
        assert text in page, text
    assert "逾期" not in page and "暂定" not in page
    assert 'lang="zh-CN"' in page and "http://" not in page and "https://" not in page


def test_late_and_provisional_receipts_say_so(
        ps: Any, api: Any, clerk: Any, monkeypatch: Any,
) -> None:
    late = register(api, clerk[1], ps.holder(), registered_on="2026-10-14")
    page = api("GET", late["receipt_url"].removeprefix("/api/v1"), clerk[1]).get_data(as_text=True)
    assert "逾期" in page and "暂定" not in page
    monkeypatch.setattr(kernel, "today", lambda: dt.date(2027, 3, 1))
    provisional = register(api, clerk[1], ps.holder(), arrival_date="2027-02-01",
                           registered_on="2027-02-03")
    page = api("GET", provisional["receipt_url"].removeprefix("/api/v1"),
               clerk[1]).get_data(as_text=True)
    assert "节假日安排未公布，期限为暂定" in page and "2027年2月10日" in page


def test_receipt_masks_the_id_number_for_the_reporting_assistant(
        ps: Any, api: Any, users: Any,
) -> None:
    _, token = users("assistant")
    holder = ps.holder()
    out = register(api, token, holder)
    page = api("GET", out["receipt_url"].removeprefix("/api/v1"), token).get_data(as_text=True)
    assert holder.id_number not in page
    assert kernel.rules.mask_id_number(holder.id_number) in page


def test_receipt_escapes_markup_in_a_name(ps: Any, api: Any, clerk: Any) -> None:
    out = register(api, clerk[1], ps.holder(name="<script>x</script>"))
    page = api("GET", out["receipt_url"].removeprefix("/api/v1"), clerk[1]).get_data(as_text=True)
    assert "<script>x</script>" not in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page


def test_who_may_print_the_receipt(ps: Any, api: Any, users: Any, clerk: Any) -> None:
    out = register(api, clerk[1], ps.holder())
    path = out["receipt_url"].removeprefix("/api/v1")
    for role, org in (("county_admin", None), ("police_officer", None)):
        assert api("GET", path, users(role, org)[1]).status_code == 200
    for role, org in (("station_clerk", XIONGBI), ("assistant", None), ("auditor", None),
                      ("dept_clerk", "dept-education")):
        assert api("GET", path, users(role, org)[1]).status_code == 403, role
    assert api("GET", path).status_code == 401
    assert api("GET", "/registrations/999999/receipt", clerk[1]).status_code == 404
