"""Issue 5 item 2: scoping by URL id. A clerk of 雄壁派出所 (station B) edits ids and station
codes to reach 丹凤派出所's (station A's) records; a department clerk edits URLs to reach
another department's rows. Lists, counts, details and edit of the police's model views by
URL id are in tests/plugins/public_security/test_admin_views.py; here is what was missing:
delete by id, creating for another station, and the API on another station's records."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from core.db import db
from core.models import OrgUnit

_spec = importlib.util.spec_from_file_location(
    "_juzhu_access_matrix", Path(__file__).with_name("test_access_matrix.py"))
_matrix = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(_matrix)  # type: ignore[union-attr]
world = _matrix.world  # the demo county: every demo permit was issued by 丹凤派出所

A = "station-530323001"   # 丹凤派出所
PERMIT_A = "53032300100001"
ON = _matrix.ON


def bearer(world: Any, name: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {world['tokens'][name]}"}


B_ACTS = [
    ("POST", f"/api/v1/permits/{PERMIT_A}/endorsements",
     {"endorsed_on": ON, "materials": ["id_card", "permit_card", "rental_contract"]}),
    ("POST", f"/api/v1/permits/{PERMIT_A}/replacements",
     {"reason": "lost", "on": ON, "old_card_returned": False}),
    ("POST", f"/api/v1/permits/{PERMIT_A}/changes", {"on": ON, "phone": "13900000000"}),
    ("GET", f"/api/v1/permits/{PERMIT_A}/card", None),
    ("GET", "/api/v1/applications/1", None),
    ("GET", "/api/v1/applications/11/notice", None),  # 丹凤: incomplete, has a notice
    ("GET", "/api/v1/registrations/1/receipt", None),
    ("POST", f"/api/v1/stations/{A}/stock-issues",
     {"recipient": "张三", "quantity": 1, "serial_from": 53032300100050,
      "serial_to": 53032300100050}),
    ("POST", f"/api/v1/stations/{A}/voids", {"reason": "印刷错误"}),
    ("POST", f"/api/v1/stations/{A}/stock-counts", {"on_hand": 1}),
    ("GET", f"/api/v1/stations/{A}/reconciliation", None),
    ("GET", f"/api/v1/registrations/overdue?station={A}", None),
    ("GET", f"/api/v1/number-ranges?station={A}", None),
    # 丹凤's address: only 丹凤 registers it (本所辖区)
    ("POST", "/api/v1/registrations",
     {"holder_id": 1, "arrival_date": ON, "residence_address": "丹凤街道演示社区4号",
      "residence_division_code": "530323001001"}),
]


@pytest.mark.parametrize(("method", "url", "body"), B_ACTS, ids=[f"{m} {u}" for m, u, _ in B_ACTS])
def test_station_b_clerk_cannot_act_on_station_a_through_the_api(world: Any, method: str,
                                                                 url: str, body: Any) -> None:
    app = world["app"]
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(_audit()))
    r = app.test_client().open(url, method=method, json=body, headers=bearer(world, "xiongbi"))
    assert r.status_code in (403, 404), (url, r.status_code, r.get_json(silent=True))
    if r.status_code == 403 and r.is_json:
        assert r.get_json()["error"] == "forbidden" and r.get_json()["message"]
    with app.app_context():  # nothing was written (no audit event either)
        assert db.session.scalar(select(func.count()).select_from(_audit())) == before
    # the same request by 丹凤's own clerk passes the scope (a rule may still refuse it)
    r = app.test_client().open(url, method=method, json=body, headers=bearer(world, "danfeng"))
    assert r.status_code not in (401, 403, 404), (url, r.status_code, r.get_json(silent=True))


def _audit() -> Any:
    from core.models import AuditEvent

    return AuditEvent


def _login(app: Any, name: str) -> Any:
    return _matrix._login(app, name)


def _station_id(code: str) -> int:
    return db.session.scalar(select(OrgUnit.id).where(OrgUnit.code == code))


def test_station_b_cannot_delete_station_a_rows_by_url_id(world: Any) -> None:
    """No police view offers delete; a forged POST to delete/ leaves A's rows in place."""
    app = world["app"]
    client = _login(app, "xiongbi")
    for view in app.extensions["juzhu"].admin._views:
        if not view.endpoint.startswith("public_security_") or not hasattr(view, "model"):
            continue
        with app.test_request_context("/admin/"):
            row = view.get_query().order_by(None).first()  # anonymous: scope() is None → any
            if row is None:
                continue
            pk = view.get_pk_value(row)
        r = client.post(f"{view.url}/delete/", data={"id": pk})
        assert r.status_code in (302, 403), view.endpoint
        with app.app_context():
            assert db.session.get(view.model, pk) is not None, view.endpoint


@pytest.mark.parametrize("endpoint", ["voids", "stock_issues", "stock_counts"])
def test_station_b_cannot_create_stock_records_for_station_a(world: Any, endpoint: str) -> None:
    """The form offers B's own station only; posting A's id anyway is refused, nothing saved."""
    app = world["app"]
    client = _login(app, "xiongbi")
    with app.app_context():
        a_id, b_id = _station_id(A), _station_id("station-530323102")
        view = next(v for v in app.extensions["juzhu"].admin._views
                    if v.endpoint == f"public_security_{endpoint}")
        before = db.session.scalar(select(func.count()).select_from(view.model))
    form = client.get(f"/admin/public_security_{endpoint}/new/")
    assert form.status_code == 200
    assert f'value="{b_id}"' in form.text and f'value="{a_id}"' not in form.text
    data = {"station": a_id, "reason": "印刷错误", "recipient": "张三", "quantity": 1,
            "serial_from": 53032300100050, "serial_to": 53032300100050, "on_hand": 1,
            "on": ON, "voided_on": ON, "issued_on": ON, "counted_on": ON}
    r = client.post(f"/admin/public_security_{endpoint}/new/", data=data)
    assert r.status_code == 200  # the form again, with its error
    assert "不是有效选项" in r.text or "Not a valid choice" in r.text or "派出所" in r.text
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(view.model)) == before


DEPT_ROWS = ["civil_affairs_elections", "civil_affairs_voter_applications", "education_children",
             "health_services", "housing_facts", "housing_applications",
             "human_resources_employment", "human_resources_training", "justice_means",
             "justice_applications"]


@pytest.mark.parametrize("endpoint", DEPT_ROWS)
def test_another_departments_clerk_cannot_open_rows_by_url_id(world: Any, endpoint: str) -> None:
    app = world["app"]
    dept = _matrix.owner_department(endpoint)
    view = next(v for v in app.extensions["juzhu"].admin._views if v.endpoint == endpoint)
    pk = _matrix._row_id(app, view, "admin")
    assert pk is not None, endpoint
    stranger = _login(app, _matrix.DEPT_CLERKS[_matrix.other_dept(dept)])
    own = _login(app, _matrix.DEPT_CLERKS[dept])
    for path in (f"{view.url}/details/?id={pk}", f"{view.url}/edit/?id={pk}"):
        r = stranger.get(path)
        assert r.status_code == 403, path
        assert "无权" in r.text or "权限" in r.text
    assert own.get(f"{view.url}/details/?id={pk}").status_code == 200
    r = stranger.post(f"{view.url}/delete/", data={"id": pk})
    assert r.status_code == 403
    with app.app_context():
        assert db.session.get(view.model, pk) is not None


def test_no_admin_view_uses_ajax_relation_lookups(world: Any) -> None:
    """form_ajax_refs loaders query the whole table, unscoped, with an uncapped limit
    (DESIGN §8): none is configured, so /ajax/lookup/ answers nothing for any view."""
    app = world["app"]
    client = _login(app, "xiongbi")
    for view in app.extensions["juzhu"].admin._views:
        assert not getattr(view, "form_ajax_refs", None), view.endpoint
        assert not getattr(view, "_form_ajax_refs", None), view.endpoint
    r = client.get("/admin/public_security_permits/ajax/lookup/?name=permit&query=5303")
    assert r.status_code in (400, 404) or r.get_json(silent=True) in (None, [])
