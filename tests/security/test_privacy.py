"""Issue 5 item 3: privacy. As a department clerk (each department) and as the auditor, walk
every admin view they may open — list and every details page — and every GET API endpoint
the access matrix gives them, over the demo county, and find no full ID number or phone of
any holder or child, and no photo. Plus: the log filter masks numbers in every log record,
and viewing a holder's full record as a non-police role writes a `holder.view` audit event.
"""

from __future__ import annotations

import importlib.util
import logging
import re
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from flask_login import login_user
from sqlalchemy import func, select

from core import access_matrix as m
from core.app import create_app
from core.auth import issue_token
from core.clock import today
from core.db import db
from core.defaults.demo import DEMO_PASSWORD
from core.models import AuditEvent, Holder, Permit, User
from core.seed import init

_spec = importlib.util.spec_from_file_location("_juzhu_conftest_privacy",
                                               Path(__file__).parents[1] / "conftest.py")
_conftest = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(_conftest)  # type: ignore[union-attr]

DEPT_CLERKS = {"dept-civil-affairs": "civil", "dept-education": "edu", "dept-health": "health",
               "dept-housing": "housing", "dept-hrss": "hrss", "dept-justice": "justice"}
PLUGIN_DEPARTMENT = {"civil_affairs": "dept-civil-affairs", "education": "dept-education",
                     "health": "dept-health", "housing": "dept-housing",
                     "human_resources": "dept-hrss", "justice": "dept-justice"}
READERS = ["auditor", *DEPT_CLERKS.values()]  # the non-police accounts that read holders


class Client(FlaskClient):
    def open(self, *args: Any, **kwargs: Any) -> Any:  # one app context per request
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("privacy")
    config = _conftest.base_config(folder, f"sqlite:///{folder / 'p.sqlite'}")
    app = create_app(config, enabled="", disabled="")
    app.test_client_class = Client
    init(app, demo=True, as_of=today())
    with app.app_context():
        users = {u.username: u for u in db.session.scalars(select(User))}
        tokens = {name: issue_token(db.session, u) for name, u in users.items()}
        db.session.commit()
        holders = list(db.session.scalars(select(Holder)))
        secrets = {h.id_number for h in holders} | {h.phone for h in holders if h.phone}
        from plugins.education.models import Child  # the children's numbers are secret too
        secrets |= set(db.session.scalars(select(Child.id_number)))
        holder_ids = [h.id for h in holders]
    assert len(holder_ids) >= 6 and len(secrets) >= 12
    return {"app": app, "tokens": tokens, "secrets": secrets, "holder_ids": holder_ids,
            "config": config}


def _login(app: Any, username: str) -> Any:
    client = app.test_client()
    r = client.post("/login", data={"username": username, "password": DEMO_PASSWORD})
    assert r.status_code == 302, username
    return client


def _leaks(text: str, secrets: set[str]) -> list[str]:
    found = [s for s in secrets if s in text]
    if "data:image" in text:
        found.append("photo data URI")
    return found


def _department(endpoint_or_rule: str) -> str | None:
    for plugin, dept in PLUGIN_DEPARTMENT.items():
        if endpoint_or_rule.startswith(plugin + "_") or \
                endpoint_or_rule.startswith(f"/api/v1/{plugin}/"):
            return dept
    return None


def _opened_views(app: Any, username: str) -> list[tuple[Any, list[Any]]]:
    """The admin views the user may open, with the ids of the rows its scope shows."""
    out = []
    with app.test_request_context("/admin/"):
        login_user(db.session.scalar(select(User).where(User.username == username)))
        for view in app.extensions["juzhu"].admin._views:
            if not view.is_accessible():
                continue
            ids: list[Any] = []
            if hasattr(view, "get_query") and getattr(view, "can_view_details", False):
                ids = [view.get_pk_value(row) for row in view.get_query().limit(200)]
            out.append((view, ids))
    return out


@pytest.mark.parametrize("username", READERS)
def test_admin_pages_show_no_full_number_phone_or_photo(world: Any, username: str) -> None:
    app, secrets = world["app"], world["secrets"]
    client = _login(app, username)
    pages = 0
    failures = []
    for view, ids in _opened_views(app, username):
        base = view.url.rstrip("/")
        urls = [f"{base}/"] + [f"{base}/details/?id={i}" for i in ids]
        if getattr(view, "can_export", False) and view.export_types:
            urls.append(f"{base}/export/csv/")
        for url in urls:
            r = client.get(url)
            assert r.status_code == 200, (url, r.status_code)
            pages += 1
            leaks = _leaks(r.get_data(as_text=True), secrets)
            if leaks:
                failures.append((url, leaks))
    assert pages > 5
    assert failures == []


def _get_endpoints(username: str, role: str) -> list[str]:
    dept = next((d for d, u in DEPT_CLERKS.items() if u == username), None)
    rules = []
    for (method, rule), scopes in m.API_ENDPOINTS.items():
        if method != "GET" or scopes == m.PUBLIC or role not in scopes:
            continue
        owner = _department(rule)
        if role == "dept_clerk" and owner is not None and owner != dept:
            continue  # another department's endpoint: 403, nothing to read
        rules.append(rule)
    return rules


@pytest.mark.parametrize("username", READERS)
def test_api_answers_show_no_full_number_phone_or_photo(world: Any, username: str) -> None:
    app, secrets, tokens = world["app"], world["secrets"], world["tokens"]
    role = "auditor" if username == "auditor" else "dept_clerk"
    client = app.test_client()
    headers = {"Authorization": f"Bearer {tokens[username]}"}
    queries = {"/api/v1/calendar/working-days": "?from=2026-09-30&n=5"}
    calls, failures = 0, []
    with app.app_context():
        permits = list(db.session.scalars(select(Permit.number)))
    for rule in _get_endpoints(username, role):
        urls = [rule]
        if "<int:holder_id>" in rule:
            urls = [rule.replace("<int:holder_id>", str(i)) for i in world["holder_ids"]]
        elif "<number>" in rule:
            urls = [rule.replace("<number>", n) for n in permits]
        urls = [u.replace("<int:election_id>", "1") + queries.get(rule, "") for u in urls]
        for url in urls:
            r = client.get(url, headers=headers)
            assert r.status_code < 500, (url, r.status_code)
            calls += 1
            if r.status_code == 200:
                leaks = _leaks(r.get_data(as_text=True), secrets)
                if leaks:
                    failures.append((url, leaks))
    assert calls >= 6
    assert failures == []


def test_police_roles_do_see_full_numbers_and_photos(world: Any) -> None:
    """The walk above could pass on an empty page; the same pages show the numbers (and the
    card its photo) to the police."""
    app, tokens = world["app"], world["tokens"]
    with app.app_context():
        holder = db.session.get(Holder, world["holder_ids"][0])
        id_number, phone = holder.id_number, holder.phone
    client = _login(app, "admin")
    page = client.get(f"/admin/holders/details/?id={world['holder_ids'][0]}").get_data(True)
    assert id_number in page and phone in page
    r = app.test_client().get(f"/api/v1/holders/{world['holder_ids'][0]}",
                              headers={"Authorization": f"Bearer {tokens['police']}"})
    assert r.get_json()["id_number"] == id_number
    card = app.test_client().get("/api/v1/permits/53032300100001/card",
                                 headers={"Authorization": f"Bearer {tokens['police']}"})
    assert card.status_code == 200 and "data:image/png;base64," in card.get_data(True)
    for username in ("auditor", "edu"):
        r = app.test_client().get("/api/v1/permits/53032300100001/card",
                                  headers={"Authorization": f"Bearer {tokens[username]}"})
        assert r.status_code == 403 and "data:image" not in r.get_data(True)


# ------------------------------------------------------------------------------ logs

def test_log_filter_masks_id_numbers_and_phones(world: Any, caplog: Any) -> None:
    from core.logging_filters import PersonalDataFilter

    app = world["app"]
    with app.app_context():
        holder = db.session.get(Holder, world["holder_ids"][0])
        id_number, phone = holder.id_number, holder.phone
    # create_app puts the filter on every root handler (caplog's is one during this test)
    for f in [f for f in caplog.handler.filters if isinstance(f, PersonalDataFilter)]:
        caplog.handler.removeFilter(f)  # pytest keeps one capture handler for the session
    create_app(world["config"], enabled="", disabled="")
    for handler in logging.getLogger().handlers:
        assert sum(isinstance(f, PersonalDataFilter) for f in handler.filters) == 1
    caplog.set_level(logging.INFO)
    log = logging.getLogger("juzhu.test")
    log.info("办理 %s，电话 %s", id_number, phone)
    log.warning(f"直接拼接 {id_number.lower()}/{phone}")
    try:
        raise ValueError(f"坏号码 {id_number}")
    except ValueError:
        log.exception("失败")
    text = caplog.text
    assert id_number not in text and id_number.lower() not in text and phone not in text
    assert id_number[:6] + "********" + id_number[-4:] in text
    assert phone[:3] + "****" + phone[-4:] in text
    # other numbers are left alone: a 14-digit permit number, a year, a 20-digit serial
    log.info("居住证 53032300100001 于 2026 年；流水 12345678901234567890")
    assert "53032300100001" in caplog.text and "12345678901234567890" in caplog.text


# ------------------------------------------------------------------------------ access log

def _views_of(app: Any, holder_id: int) -> list[Any]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "holder.view", AuditEvent.entity_id == str(holder_id))
            .order_by(AuditEvent.seq)))


def test_full_record_views_by_non_police_roles_are_audited(world: Any) -> None:
    app, tokens = world["app"], world["tokens"]
    hid = world["holder_ids"][1]
    before = len(_views_of(app, hid))
    edu = _login(app, "edu")
    assert edu.get(f"/admin/holders/details/?id={hid}").status_code == 200
    r = app.test_client().get(f"/api/v1/holders/{hid}",
                              headers={"Authorization": f"Bearer {tokens['auditor']}"})
    assert r.status_code == 200
    r = app.test_client().get(f"/api/v1/holders/{hid}",
                              headers={"Authorization": f"Bearer {tokens['housing']}"})
    assert r.status_code == 200
    events = _views_of(app, hid)[before:]
    assert [(e.actor, e.entity, e.org) for e in events] == [
        ("edu", "holder", "dept-education"), ("auditor", "holder", None),
        ("housing", "holder", "dept-housing")]
    # the list page (masked rows) and the entitlements answers are not the full record;
    # the police's views are not logged here
    _login(app, "auditor").get("/admin/holders/")
    app.test_client().get(f"/api/v1/holders/{hid}/entitlements",
                          headers={"Authorization": f"Bearer {tokens['auditor']}"})
    _login(app, "admin").get(f"/admin/holders/details/?id={hid}")
    app.test_client().get(f"/api/v1/holders/{hid}",
                          headers={"Authorization": f"Bearer {tokens['police']}"})
    assert len(_views_of(app, hid)) == before + 3
    # a refused or missing record writes nothing
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(AuditEvent))
    app.test_client().get("/api/v1/holders/999999",
                          headers={"Authorization": f"Bearer {tokens['auditor']}"})
    app.test_client().get(f"/api/v1/holders/{hid}",
                          headers={"Authorization": f"Bearer {tokens['landlord']}"})
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == count
        from core.audit import verify
        assert list(verify(db.session, app.config["JUZHU_AUDIT_KEYS"])) == []


def test_id_number_regex_sanity() -> None:
    from core.logging_filters import mask_text

    assert mask_text("530323199003070011") == "530323********0011"
    assert mask_text("53032319900307001X号") == "530323********001X号"
    assert mask_text("tel:13900000010;") == "tel:139****0010;"
    assert re.search(r"\d{18}", mask_text("x" + "1" * 19)) is not None  # 19 digits: not an ID
