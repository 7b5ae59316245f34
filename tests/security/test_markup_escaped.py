"""Hostile markup (Issue 5): text a clerk, an employer or a citizen typed is shown escaped in
every admin list and details page and on every printable page.

The data goes in through the real API (the services behind it validate and write as in
production); then a county admin logged in through the real login form walks every admin
view the site has — ``app.extensions["juzhu"].admin._views`` — its list page and the details
page of every row listed, and every print page (receipt, one-time notice, decision, card,
entitlements print, public verification page).
"""

from __future__ import annotations

import datetime as dt
import re
from html import unescape as html_unescape
from typing import Any
from urllib.parse import urlsplit

from flask import url_for
from flask_admin.contrib.sqla import ModelView

from core.db import db
from core.rules import id_check_char
from plugins.justice.rules import MATTERS

XSS = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
# Any unescaped tag opening our payload, even if a view cut or decorated it.
RAW = re.compile(r"<script>alert|<script\b[^>]*>\s*alert\(1\)", re.I)
PASSWORD = "pass-word-1"
DANFENG = "station-530323001"
DANFENG_CODE = "530323001001"


def make_id(birth: dt.date, seq: int, sex: str = "male") -> str:
    first17 = f"530302{birth:%Y%m%d}{seq * 2 + (1 if sex == 'male' else 0):03d}"
    return first17 + id_check_char(first17)


def ok(resp: Any, status: int = 201) -> dict[str, Any]:
    assert resp.status_code == status, (resp.status_code, resp.get_data(as_text=True)[:500])
    return resp.json


def seed(api: Any, token: str) -> dict[str, Any]:
    """Markup in every free-text field the police and the departments take, via the API."""
    out: dict[str, Any] = {}
    ok(api("POST", "/number-ranges", token,
           {"station": DANFENG, "start": 1000, "end": 1999, "note": XSS}))
    holders = []
    for seq in (1, 2):
        holders.append(ok(api("POST", "/holders", token, {
            "name": XSS, "sex": "male", "ethnicity": "汉族", "birth_date": "1990-03-07",
            "id_number": make_id(dt.date(1990, 3, 7), seq), "hukou_address": XSS,
            "hukou_division_code": "530302001000", "phone": "13912345678"})))
    out["holder_id"] = holders[0]["id"]
    for h in holders:
        reg = ok(api("POST", "/registrations", token, {
            "holder_id": h["id"], "arrival_date": "2026-01-05", "registered_on": "2026-01-09",
            "residence_address": XSS, "residence_division_code": DANFENG_CODE}))
    out["receipt"] = f"/api/v1/registrations/{reg['id']}/receipt"
    base = {"basis": ["employment"], "applicant": "self"}
    issued = ok(api("POST", "/applications", token, {
        **base, "holder_id": holders[0]["id"], "accepted_on": "2026-07-10",
        "materials": ["id_card", "photo", "photo", "rental_contract", "labor_contract"]}))
    assert issued["outcome"] == "issued", issued
    out["permit"] = issued["permit_number"]
    incomplete = ok(api("POST", "/applications", token, {
        **base, "holder_id": holders[1]["id"], "accepted_on": "2026-07-10",
        "materials": ["id_card", "photo"]}))
    assert incomplete["outcome"] == "incomplete", incomplete
    ineligible = ok(api("POST", "/applications", token, {
        **base, "holder_id": holders[1]["id"], "accepted_on": "2026-06-01",
        "materials": ["id_card", "photo", "photo", "rental_contract", "labor_contract"]}))
    assert ineligible["outcome"] == "ineligible", ineligible
    out["notice"], out["decision"] = incomplete["notice_url"], ineligible["notice_url"]
    out["card"] = f"/api/v1/permits/{out['permit']}/card"
    out["entitlements"] = f"/api/v1/holders/{out['holder_id']}/entitlements/print"
    permit = ok(api("GET", f"/permits/{out['permit']}", token), 200)
    out["verify"] = f"/verify/{permit['verify_token']}"

    ok(api("POST", "/third-party-reports", token, {
        "reporter_kind": "employer", "reporter_name": XSS,
        "holder_id_number": make_id(dt.date(1991, 1, 1), 3), "contract_date": "2026-11-02",
        "reported_on": "2026-11-03", "premises_address": XSS,
        "premises_division_code": DANFENG_CODE}))
    ok(api("POST", "/checks", token, {"permit_number": out["permit"], "place": XSS,
                                       "result": XSS, "action": "none"}))
    ok(api("POST", f"/stations/{DANFENG}/stock-issues", token, {
        "recipient": XSS, "quantity": 10, "serial_from": 1500, "serial_to": 1509}))
    ok(api("POST", f"/stations/{DANFENG}/voids", token, {"reason": XSS, "serial": 1500}))
    ok(api("POST", f"/stations/{DANFENG}/stock-counts", token, {"on_hand": 5, "note": XSS}))

    hid = out["holder_id"]
    ok(api("POST", "/human_resources/employment", token, {
        "holder_id": hid, "employer": XSS, "started_on": "2026-02-01", "insured": True}))
    ok(api("POST", "/human_resources/training", token, {
        "holder_id": hid, "kind": "skills_training", "on": "2026-08-01", "provider": XSS,
        "note": XSS}))
    ok(api("POST", "/health/services", token, {
        "holder_id": hid, "service": "vaccination", "served_on": "2026-08-01", "provider": XSS,
        "note": XSS}))
    ok(api("POST", "/education/children", token, {
        "holder_id": hid, "name": XSS, "sex": "male", "birth_date": "2020-03-15",
        "id_number": make_id(dt.date(2020, 3, 15), 7), "relation": "son"}))
    ok(api("POST", "/housing/applications", token, {
        "holder_id": hid, "applied_on": "2026-08-01", "household_size": 2, "note": XSS}))
    ok(api("POST", "/justice/applications", token, {
        "holder_id": hid, "applied_on": "2026-08-01", "matter": next(iter(MATTERS)),
        "note": XSS}))
    election = ok(api("POST", "/civil_affairs/elections", token, {
        "name": XSS, "division_code": "530323102201", "kind": "village",
        "held_on": "2027-03-20", "registration_closes_on": "2027-02-28"}))
    ok(api("POST", f"/civil_affairs/elections/{election['id']}/applications", token, {
        "holder_id": hid, "applied_on": "2027-01-10", "note": XSS}))
    return out


def shown_text(view: Any, row: Any) -> bool:
    """Whether a details page shows a column of ``row`` holding the payload."""
    names = [name for name, _label in view._details_columns]
    return any(XSS in str(getattr(row, n, "") or "") for n in names)


def assert_escaped(where: str, html: str, expect: bool) -> None:
    assert not RAW.search(html), f"{where}: raw markup {RAW.search(html)!r}"
    if expect:
        assert ESCAPED in html, f"{where}: the escaped payload is not shown"


def test_markup_is_escaped_everywhere(make_app: Any, app: Any, api: Any, users: Any) -> None:
    admin, token = users("county_admin")
    seeded = seed(api, token)

    web = make_app()
    browser = web.test_client()
    r = browser.post("/login", data={"username": admin.username, "password": PASSWORD})
    assert r.status_code == 302 and urlsplit(r.headers["Location"]).path == "/admin/"

    pages, shown, details = 0, set(), 0
    with web.test_request_context():
        views = web.extensions["juzhu"].admin._views
        assert len(views) > 20
        for view in views:
            index = url_for(f"{view.endpoint}.index_view" if isinstance(view, ModelView)
                            else f"{view.endpoint}.index")
            resp = browser.get(index)
            assert resp.status_code == 200, (view.endpoint, resp.status_code)
            html = resp.get_data(as_text=True)
            pages += 1
            assert_escaped(index, html, expect=False)
            if ESCAPED in html:
                shown.add(view.endpoint)
            if not isinstance(view, ModelView) or not view.can_view_details:
                continue
            # every row the list offers (its details links), as the admin would click them
            ids = dict.fromkeys(html_unescape(i) for i in re.findall(
                r'href="[^"]*/details/\?id=([^&"]+)', html))
            assert ids or view.get_count_query().scalar() == 0, view.endpoint
            for pk in ids:
                row = view.get_one(pk)
                url = url_for(f"{view.endpoint}.details_view", id=pk)
                resp = browser.get(url)
                assert resp.status_code == 200, (url, resp.status_code)
                html = resp.get_data(as_text=True)
                pages += 1
                details += 1
                expect = row is not None and shown_text(view, row)
                assert_escaped(url, html, expect)
                if expect:
                    shown.add(view.endpoint)

    # the lists of what was seeded show it (escaped)
    expected = {
        "holders", "audit_events", "public_security_registrations",
        "public_security_third_party_reports", "public_security_applications",
        "public_security_permits", "public_security_cards", "public_security_checks",
        "public_security_number_ranges", "public_security_voids", "public_security_stock_issues",
        "public_security_stock_counts", "public_security_overdue",
        "human_resources_employment", "human_resources_training", "health_services",
        "education_children", "housing_applications", "justice_applications",
        "civil_affairs_elections", "civil_affairs_voter_applications"}
    assert expected <= shown, sorted(expected - shown)
    for plugin in ("public_security", "human_resources", "health", "education", "housing",
                   "justice", "civil_affairs"):
        assert any(e.startswith(plugin) for e in shown), (plugin, sorted(shown))

    # print pages, to the bearer token and to the admin's session
    for name in ("receipt", "notice", "decision", "card", "entitlements"):
        for resp in (api("GET", seeded[name].removeprefix("/api/v1"), token),
                     browser.get(seeded[name])):
            assert resp.status_code == 200, (name, resp.status_code)
            assert resp.mimetype == "text/html"
            assert_escaped(name, resp.get_data(as_text=True), expect=True)
            pages += 1
    # the public page shows the masked name: its first character, escaped
    resp = web.test_client().get(seeded["verify"])
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert not RAW.search(html) and "<*" not in html and "&lt;*" in html
    assert details > 20 and pages > 60
