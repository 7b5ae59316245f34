"""Issue 5 item 1–2: the access matrix (core/access_matrix.py) against the running app.

A meta-test holds the table and the app in step (every admin view and action, every API
endpoint and public page, listed once, nothing extra); the walk sends every cell through the
real app with the test client — admin pages logged in as each role (and anonymous), API
endpoints with each role's bearer token (and none) — on the demo county (`juzhu init --demo`).
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path
from typing import Any, Callable

import pytest
from flask.testing import FlaskClient
from flask_login import login_user
from sqlalchemy import select

from core import access_matrix as m
from core.app import create_app
from core.auth import issue_token
from core.clock import today
from core.db import db
from core.defaults.demo import DEMO_PASSWORD, demo_id
from core.models import CalendarDay, User
from core.parameters import _json_value, add_value
from core.seed import init

_spec = importlib.util.spec_from_file_location("_juzhu_conftest",
                                               Path(__file__).parents[1] / "conftest.py")
_conftest = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(_conftest)  # type: ignore[union-attr]

# The demo accounts (core/defaults/demo.py) that play each role; department clerks by dept.
ACCOUNTS = {"county_admin": "admin", "station_clerk": "danfeng", "police_officer": "police",
            "assistant": "landlord", "auditor": "auditor"}
DEPT_CLERKS = {"dept-civil-affairs": "civil", "dept-education": "edu", "dept-health": "health",
               "dept-housing": "housing", "dept-hrss": "hrss", "dept-justice": "justice"}
# Which department owns a plugin's views and endpoints (DESIGN §1, 第十八条 and 第二十条).
PLUGIN_DEPARTMENT = {"civil_affairs": "dept-civil-affairs", "education": "dept-education",
                     "health": "dept-health", "housing": "dept-housing",
                     "human_resources": "dept-hrss", "justice": "dept-justice"}
STATION = "station-530323001"  # 丹凤派出所, where the demo permits were issued
ANON = "anonymous"
NON_ADMIN_RULES = {"/", "/favicon.ico", "/login", "/logout", "/change", "/verify",
                   "/static/<path:filename>",
                   "/fs-static/<path:filename>", "/admin/static/<path:filename>"}


class Client(FlaskClient):
    def open(self, *args: Any, **kwargs: Any) -> Any:  # one app context per request
        with self.application.app_context():
            return super().open(*args, **kwargs)


def owner_department(name: str) -> str | None:
    """The department owning an admin endpoint or an API rule, from its plugin prefix."""
    for plugin, dept in PLUGIN_DEPARTMENT.items():
        if name.startswith(plugin + "_") or name.startswith(f"/api/v1/{plugin}/"):
            return dept
    return None


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The demo county on its own SQLite file, shared by this module's tests (the walk only
    needs roles and a row of each kind; it is not about the database dialect)."""
    folder = tmp_path_factory.mktemp("matrix")
    app = create_app(_conftest.base_config(folder, f"sqlite:///{folder / 'm.sqlite'}"),
                     enabled="", disabled="")
    app.test_client_class = Client
    init(app, demo=True, as_of=today())
    with app.app_context():
        users = {u.username: u for u in db.session.scalars(select(User))}
        admin = users["admin"]
        tokens = {name: issue_token(db.session, u) for name, u in users.items()}
        # rows the demo lacks, so that details/edit/delete have something to open
        db.session.add(CalendarDay(day=dt.date(2026, 10, 8), workday=False, name="国庆节",
                                   source="测试"))
        for param in app.extensions["juzhu"].parameters.values():
            add_value(db.session, param, start_on=today(),
                      raw_value=_json_value(param.values[-1].value), source="测试",
                      entered_on=today(), actor=admin)
        db.session.commit()
    client = app.test_client()
    r = client.post("/api/v1/checks", headers={"Authorization": f"Bearer {tokens['danfeng']}"},
                    json={"permit_number": "53032300100003", "place": "丹凤街道",
                          "result": "证件有效", "action": "none"})
    assert r.status_code == 201, r.get_json()
    r = client.post("/api/v1/registrations",
                    headers={"Authorization": f"Bearer {tokens['landlord']}"},
                    json={"holder_id": 14, "arrival_date": ON, "registered_on": ON,
                          "residence_address": "丹凤街道演示社区5号",
                          "residence_division_code": "530323001001"})
    assert r.status_code == 201, r.get_json()
    return {"app": app, "tokens": tokens, "own_registration": r.get_json()["id"]}


def account(role: str, dept: str | None) -> str:
    if role == "dept_clerk":
        return DEPT_CLERKS[dept or "dept-education"]
    return ACCOUNTS[role]


def other_dept(dept: str) -> str:
    return next(d for d in DEPT_CLERKS if d != dept)


# ------------------------------------------------------------------------------ meta-test

def test_table_lists_every_view_action_and_endpoint_and_nothing_else(world: Any) -> None:
    app = world["app"]
    views = {v.endpoint: v for v in app.extensions["juzhu"].admin._views}
    assert set(m.ADMIN_VIEWS) == set(views), (
        f"not in the table: {sorted(set(views) - set(m.ADMIN_VIEWS))}; "
        f"in the table, not in the app: {sorted(set(m.ADMIN_VIEWS) - set(views))}")
    for endpoint, view in views.items():
        offered = {"index"}
        if hasattr(view, "can_view_details"):  # a model view
            offered |= {a for a in ("details", "create", "edit", "delete", "export")
                        if _offered_to_anyone(app, view, a)}
        assert set(m.ADMIN_VIEWS[endpoint]) == offered, endpoint
        for action, scopes in m.ADMIN_VIEWS[endpoint].items():
            assert action in m.ACTIONS and set(scopes) <= set(m.ROLES), (endpoint, action)
            assert set(scopes.values()) <= set(m.SCOPE_TITLES) - {m.PUBLIC}, (endpoint, action)
    routes = {(method, rule.rule) for rule in app.url_map.iter_rules()
              if not rule.rule.startswith("/admin") and rule.rule not in NON_ADMIN_RULES
              for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}}
    admin_rules = {rule.endpoint.split(".")[0] for rule in app.url_map.iter_rules()
                   if rule.rule.startswith("/admin") and rule.endpoint != "admin.static"}
    assert admin_rules == set(views)  # every /admin URL belongs to a listed view
    assert set(m.API_ENDPOINTS) == routes, (
        f"not in the table: {sorted(routes - set(m.API_ENDPOINTS))}; "
        f"in the table, not in the app: {sorted(set(m.API_ENDPOINTS) - routes)}")
    for key, scopes in m.API_ENDPOINTS.items():
        assert scopes == m.PUBLIC or (set(scopes) <= set(m.ROLES) and scopes), key


def _offered_to_anyone(app: Any, view: Any, action: str) -> bool:
    """Whether any role (its demo account) is offered the action by the view's flags."""
    flag = {"details": "can_view_details", "create": "can_create", "edit": "can_edit",
            "delete": "can_delete", "export": "can_export"}[action]
    with app.test_request_context("/admin/"):
        for role in m.ROLES:
            user = db.session.scalar(select(User).where(
                User.username == account(role, owner_department(view.endpoint))))
            login_user(user)
            if getattr(view, flag):
                return True
    return False


def test_csv_export_only_on_registers_and_only_to_who_opens_the_list(world: Any) -> None:
    """CSV export (BOM, formula escaping, masking: tests/security/test_exports.py) is offered
    on the registers — holders, the police's, the departments' — exactly to the roles that
    open their list; never on accounts, tokens, org units, the calendar or the audit log."""
    exported = {e for e, actions in m.ADMIN_VIEWS.items() if "export" in actions}
    assert {"users", "api_tokens", "org_units", "calendar_days", "audit_events"} \
        .isdisjoint(exported)
    assert "holders" in exported and "public_security_registrations" in exported
    assert "education_children" in exported
    for endpoint in exported:
        assert m.ADMIN_VIEWS[endpoint]["export"] == m.ADMIN_VIEWS[endpoint]["index"], endpoint


# ------------------------------------------------------------------------------ admin walk

def _login(app: Any, username: str) -> Any:
    client = app.test_client()
    r = client.post("/login", data={"username": username, "password": DEMO_PASSWORD})
    assert r.status_code == 302, username
    return client


def _row_id(app: Any, view: Any, username: str) -> Any:
    """A row the user's scope shows in this view (the walk is about the role gate; scoping
    itself is tested row by row in test_scoping.py)."""
    with app.test_request_context("/admin/"):
        login_user(db.session.scalar(select(User).where(User.username == username)))
        row = view.get_query().order_by(None).first()
        return None if row is None else view.get_pk_value(row)


ADMIN_CELLS = [(endpoint, action) for endpoint, actions in m.ADMIN_VIEWS.items()
               for action in actions]


@pytest.mark.parametrize(("endpoint", "action"), ADMIN_CELLS,
                         ids=[f"{e}.{a}" for e, a in ADMIN_CELLS])
def test_admin_cell(world: Any, endpoint: str, action: str) -> None:
    app = world["app"]
    view = next(v for v in app.extensions["juzhu"].admin._views if v.endpoint == endpoint)
    scopes = m.ADMIN_VIEWS[endpoint][action]
    dept = owner_department(endpoint)
    base = view.url.rstrip("/")
    with_row = action in ("details", "edit", "delete")
    any_id = _row_id(app, view, "admin") if with_row else None

    def url_for(row_id: Any) -> str:
        return {"index": f"{base}/", "details": f"{base}/details/?id={row_id}",
                "create": f"{base}/new/", "edit": f"{base}/edit/?id={row_id}",
                "export": f"{base}/export/csv/"}[action]

    failures = []
    anon = app.test_client()
    r = anon.post(f"{base}/delete/", data={"id": any_id}) if action == "delete" \
        else anon.get(url_for(any_id))
    if not (r.status_code == 302 and "/login" in r.headers["Location"]):
        failures.append((ANON, r.status_code))
    subjects = [(role, account(role, dept)) for role in m.ROLES]
    if dept and "dept_clerk" in scopes:  # a clerk of another department is refused
        subjects.append(("dept_clerk@other", DEPT_CLERKS[other_dept(dept)]))
    for role, username in subjects:
        allowed = role in scopes
        client = _login(app, username)
        row_id = _row_id(app, view, username) if allowed and action in ("details", "edit") \
            else any_id
        if action in ("details", "edit") and allowed:
            assert row_id is not None, f"{endpoint}: no row in {username}'s scope to open"
        if action == "delete":
            victim = _fresh_calendar_day(app) if allowed else any_id
            r = client.post(f"{base}/delete/", data={"id": victim})
            with app.test_request_context("/admin/"):
                gone = view.get_one(victim) is None
            ok = (r.status_code == 302 and gone) if allowed else \
                (r.status_code in (302, 403) and not gone)
        else:
            r = client.get(url_for(row_id))
            ok = r.status_code == 200 if allowed else (
                r.status_code == 403 or (r.status_code == 302 and "/login" not in
                                         r.headers["Location"]))
            if action == "export" and allowed:
                ok = ok and r.mimetype == "text/csv"
        if not ok:
            failures.append((role, r.status_code))
    assert failures == [], f"{endpoint}.{action}: {failures}"


def _fresh_calendar_day(app: Any) -> str:
    with app.app_context():
        db.session.merge(CalendarDay(day=dt.date(2026, 12, 31), workday=True, name="测试",
                                     source="测试"))
        db.session.commit()
        return "2026-12-31"


# ------------------------------------------------------------------------------ API walk

ON = today().isoformat()
_seq = iter(range(1, 10_000))


def _new_id(birth: dt.date = dt.date(1990, 1, 1)) -> str:
    """A fresh valid ID number (GB 11643) of a man born on ``birth``."""
    n = next(_seq)
    return demo_id("360102", birth + dt.timedelta(days=n // 400), n % 400 + 50, "male")


def _body(method: str, rule: str, registration_id: int = 1) -> tuple[str, Any]:
    """A concrete URL for the rule (rows of 丹凤派出所 and the demo holders) and a minimal
    body that passes validation, so a refused role meets the role gate, not a 422."""
    url = (rule.replace("<int:holder_id>", "1").replace("<int:registration_id>", str(registration_id))
           .replace("<int:application_id>", "1").replace("<int:election_id>", "1")
           .replace("<number>", "53032300100001").replace("<code>", STATION))
    holder = {"holder_id": 1}
    bodies: dict[tuple[str, str], Callable[[], Any]] = {
        ("POST", "/api/v1/holders"): lambda: {
            "name": "测试人", "sex": "male", "ethnicity": "汉族", "birth_date": "1990-01-01",
            "id_number": _new_id(), "hukou_address": "江西省南昌市东湖区",
            "hukou_division_code": "360102"},
        ("POST", "/api/v1/civil_affairs/elections"): lambda: {
            "name": "测试选举", "division_code": "530323001001", "kind": "community",
            "held_on": (today() + dt.timedelta(days=60)).isoformat(),
            "registration_closes_on": (today() + dt.timedelta(days=30)).isoformat()},
        ("POST", "/api/v1/civil_affairs/elections/<int:election_id>/applications"): lambda: {
            **holder, "applied_on": ON},
        ("POST", "/api/v1/civil_affairs/elections/<int:election_id>/applications/"
                 "<int:application_id>/decision"): lambda: {"approved": True},
        ("POST", "/api/v1/education/children"): lambda: {
            **holder, "name": "测试子", "sex": "male", "birth_date": "2018-01-01",  # first 400 ids
            "id_number": _new_id(dt.date(2018, 1, 1)),
            "relation": "son"},
        ("POST", "/api/v1/health/services"): lambda: {
            **holder, "service": "vaccination", "served_on": ON, "provider": "县疾控中心"},
        ("PUT", "/api/v1/housing/holders/<int:holder_id>/facts"): lambda: {"recorded_on": ON},
        ("POST", "/api/v1/housing/applications"): lambda: {
            **holder, "applied_on": ON, "household_size": 2},
        ("POST", "/api/v1/human_resources/employment"): lambda: {
            **holder, "employer": "测试公司", "started_on": "2025-01-01", "insured": True},
        ("POST", "/api/v1/human_resources/training"): lambda: {
            **holder, "kind": "skills_training", "on": ON, "provider": "县职业培训中心"},
        ("PUT", "/api/v1/justice/holders/<int:holder_id>/means"): lambda: {"recorded_on": ON},
        ("POST", "/api/v1/justice/applications"): lambda: {
            **holder, "applied_on": ON, "matter": "labour"},
        ("POST", "/api/v1/registrations"): lambda: {
            **holder, "arrival_date": ON, "residence_address": "丹凤街道演示社区4号",
            "residence_division_code": "530323001001"},
        ("POST", "/api/v1/third-party-reports"): lambda: {
            "reporter_kind": "landlord", "reporter_name": "房东", "holder_id_number": _new_id(),
            "contract_date": ON, "reported_on": ON},
        ("POST", "/api/v1/applications"): lambda: {
            **holder, "accepted_on": ON, "basis": ["residence"], "applicant": "self",
            "materials": ["id_card", "photo", "photo", "rental_contract"]},
        ("POST", "/api/v1/number-ranges"): lambda: {
            "station": STATION, "start": 9_000_000 + 100 * next(_seq), "end": 9_000_000 + 100 *
            next(_seq)},
        ("POST", "/api/v1/stations/<code>/stock-issues"): lambda: {
            "recipient": "张三", "quantity": 1, "serial_from": 53032300100050,
            "serial_to": 53032300100050},
        ("POST", "/api/v1/stations/<code>/voids"): lambda: {"reason": "印刷错误"},
        ("POST", "/api/v1/stations/<code>/stock-counts"): lambda: {"on_hand": 1},
        ("POST", "/api/v1/permits/<number>/endorsements"): lambda: {
            "endorsed_on": ON, "materials": ["id_card", "permit_card", "rental_contract"]},
        ("POST", "/api/v1/permits/<number>/replacements"): lambda: {
            "reason": "lost", "on": ON, "old_card_returned": False},
        ("POST", "/api/v1/permits/<number>/address-changes"): lambda: {
            "on": ON, "residence_address": "丹凤街道演示社区9号",
            "residence_division_code": "530323001001"},
        ("POST", "/api/v1/permits/<number>/changes"): lambda: {"on": ON, "phone": "13800000000"},
        ("POST", "/api/v1/permits/<number>/revocation"): lambda: {
            "on": ON, "reason": "left_county"},
        ("POST", "/api/v1/checks"): lambda: {
            "permit_number": "53032300100002", "place": "丹凤街道", "result": "证件有效",
            "action": "none"},
    }
    queries = {"/api/v1/calendar/working-days": "?from=2026-09-30&n=5",
               "/api/v1/checks": "?permit_number=53032300100002"}
    make = bodies.get((method, rule))
    return url + queries.get(rule, ""), (make() if make else None)


API_CELLS = list(m.API_ENDPOINTS)


@pytest.mark.parametrize(("method", "rule"), API_CELLS, ids=[f"{me} {r}" for me, r in API_CELLS])
def test_api_cell(world: Any, method: str, rule: str) -> None:
    app, tokens = world["app"], world["tokens"]
    scopes = m.API_ENDPOINTS[(method, rule)]
    client = app.test_client()
    failures = []
    if scopes == m.PUBLIC:
        url, _ = _body(method, rule)
        url = url.replace("<token>", "not-a-real-token")
        r = client.open(url, method=method)
        assert r.status_code == 200, (rule, r.status_code)
        return
    dept = owner_department(rule)
    url, body = _body(method, rule)
    r = client.open(url, method=method, json=body)
    if r.status_code != 401:
        failures.append((ANON, r.status_code))
    subjects = [(role, account(role, dept)) for role in m.ROLES]
    if dept and "dept_clerk" in scopes:
        subjects.append(("dept_clerk@other", DEPT_CLERKS[other_dept(dept)]))
    # county_admin last: its writes (a revocation) must not change what the others meet
    subjects.sort(key=lambda s: s[0] == "county_admin")
    for role, username in subjects:
        # an assistant reads what it reported itself (the registration made in `world`)
        url, body = _body(method, rule, world["own_registration"] if role == "assistant" else 1)
        r = client.open(url, method=method, json=body,
                        headers={"Authorization": f"Bearer {tokens[username]}"})
        ok = (r.status_code < 500 and r.status_code not in (401, 403)) if role in scopes \
            else r.status_code == 403
        if not ok:
            failures.append((role, r.status_code, r.get_json(silent=True)))
    assert failures == [], f"{method} {rule}: {failures}"


# ------------------------------------------------------------------------------ the doc

def test_docs_security_md_shows_the_table_in_step() -> None:
    """docs/security.md carries the table rendered from core/access_matrix.py, unchanged."""
    text = (Path(__file__).parents[2] / "docs" / "security.md").read_text(encoding="utf-8")
    begin = text.index("<!-- access-matrix:begin (generated from core/access_matrix.py) -->\n")
    end = text.index("<!-- access-matrix:end -->")
    generated = text[begin:end].split("\n", 1)[1]
    assert generated == m.render_markdown(), (
        "docs/security.md is out of step with core/access_matrix.py; regenerate it with "
        "core.access_matrix.render_markdown()")
    for scope in m.SCOPE_TITLES:  # the scoping text explains every scope the table uses
        assert f"(`{scope}`)" in text, scope


def test_cell_count() -> None:
    """The walk covers role × cell: 7 subjects (six roles and anonymous) per admin action and
    per non-public endpoint, one anonymous call per public one."""
    admin = sum(len(actions) for actions in m.ADMIN_VIEWS.values())
    api = sum(1 for s in m.API_ENDPOINTS.values() if s != m.PUBLIC)
    public = sum(1 for s in m.API_ENDPOINTS.values() if s == m.PUBLIC)
    assert (admin, api, public) == (151, 52, 3)  # 151·7 + 52·7 + 3 = 1424 role-cells
