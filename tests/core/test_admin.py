"""The admin site (DESIGN §6): Chinese, offline, logged in through the real form, by role.

Browser-side requests go to a second app on the same database (the `web` fixture): the
`app` fixture keeps one application context pushed for the whole test, and a request made
inside it reuses that context and its `flask.g`, where Flask-Login keeps the current user, so
one client's login would leak into another client's requests. Requests to `web` get their
own context each, as in production.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from core import audit
from core.db import db
from core.holders import HolderFacts, create_holder
from core.models import ApiToken, AuditEvent, CalendarDay, Holder, OrgUnit, User
from core.rules import id_check_char

PASSWORD = "pass-word-1"  # the `users` fixture's default password
AS_OF = dt.date(2026, 12, 1)

ORG_OF = {"county_admin": None, "station_clerk": "station-530323001", "police_officer": None,
          "dept_clerk": "dept-education", "assistant": None, "auditor": None}


# -- helpers ------------------------------------------------------------------------------

@pytest.fixture
def web(make_app: Any, app: Any) -> Any:
    """A second app on the test database for the browser side (see the module docstring)."""
    return make_app()


def login(site: Any, username: str, password: str = PASSWORD) -> Any:
    """A test client logged in through the real login form."""
    client = site.test_client()
    r = client.post("/login", data={"username": username, "password": password})
    assert r.status_code == 302, re.findall(r'fs-error-msg">([^<]*)', r.text)
    assert urlsplit(r.headers["Location"]).path == "/admin/"
    return client


def login_as(site: Any, users: Any, role: str) -> Any:
    user, _token = users(role, ORG_OF[role])
    return login(site, user.username)


def count(site: Any, model: type) -> int:
    with site.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def citizen_id(region: str, birth: dt.date, seq: int, sex: str) -> str:
    """A valid GB 11643 number: the 17th digit is odd for men, even for women."""
    first17 = f"{region}{birth:%Y%m%d}{seq * 2 + (1 if sex == 'male' else 0):03d}"
    return first17 + id_check_char(first17)


def wrong_check_char(number: str) -> str:
    right = number[-1]
    return number[:-1] + ("1" if right != "1" else "2")


def add_holder(name: str, sex: str, birth: dt.date, region: str, seq: int,
               phone: str | None) -> tuple[int, str]:
    number = citizen_id(region, birth, seq, sex)
    holder = create_holder(db.session, HolderFacts(
        name, sex, "汉族", birth, number, "四川省成都市锦江区春熙路 1 号", region, phone),
        as_of=AS_OF)
    db.session.commit()
    return holder.id, number


def masked_id(number: str) -> str:
    return number[:6] + "*" * 8 + number[-4:]


def masked_phone(phone: str) -> str:
    return phone[:3] + "****" + phone[-4:]


def nav(html: str) -> str:
    match = re.search(r"(?s)<nav\b.*?</nav>", html)
    assert match, "no navigation bar"
    return match.group(0)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"(?s)<[^>]+>", " ", html))


def assets(html: str) -> list[str]:
    return (re.findall(r'<link\b[^>]*\bhref="([^"]*)"', html)
            + re.findall(r'<script\b[^>]*\bsrc="([^"]*)"', html))


def assert_offline(client: Any, html: str) -> None:
    """Every stylesheet and script is a local path the app itself serves (no CDN)."""
    urls = assets(html)
    assert urls, "the page loads no stylesheet at all"
    for url in urls:
        assert url.startswith("/") and not url.startswith("//"), url
        assert client.get(url).status_code == 200, url
    assert "http://" not in html and "https://" not in html


# -- 1. the login page --------------------------------------------------------------------

def test_login_page_is_chinese_and_uses_local_assets_only(web: Any) -> None:
    client = web.test_client()
    r = client.get("/login")
    assert r.status_code == 200
    html = r.text
    assert '<html lang="zh-CN"' in html
    assert re.search(r"<title>[^<]*登录", html)
    assert re.search(r'<label for="username">用户名</label>', html)
    assert re.search(r'<label for="password">密码</label>', html)
    assert 'value="登录"' in html  # the submit button
    assert "Username" not in html and "Password" not in html
    assert_offline(client, html)


def test_wrong_password_is_refused_in_chinese(web: Any, users: Any) -> None:
    user, _ = users("county_admin")
    client = web.test_client()
    r = client.post("/login", data={"username": user.username, "password": "not-the-password"})
    assert r.status_code == 200
    errors = re.findall(r'fs-error-msg">([^<]*)', r.text)
    assert errors and all(re.search(r"[\u4e00-\u9fff]", e) for e in errors), errors
    assert client.get("/admin/").status_code == 302


@pytest.mark.parametrize("name", ["station_clerk7", "edu", "张三", "zhang.san-2"])
def test_login_accepts_every_name_user_create_accepts(web: Any, users: Any, name: str) -> None:
    # `juzhu user create` and the 用户 view accept these names (the `users` fixture itself
    # makes "station_clerk1"); Flask-Security's sign-up rule (letters and digits, 4-32
    # characters) used to refuse them at login, in English.
    users("station_clerk", "station-530323001", name=name)
    client = login(web, name)
    assert client.get("/admin/holders/").status_code == 200


# -- 2. login, dashboard, CSRF ------------------------------------------------------------

@pytest.mark.parametrize("path", ["/admin/", "/admin/holders/"])
def test_anonymous_admin_redirects_to_login(web: Any, path: str) -> None:
    client = web.test_client()
    r = client.get(path)
    assert r.status_code == 302
    location = urlsplit(r.headers["Location"])
    assert location.path == "/login"
    assert parse_qs(location.query)["next"][0].startswith(path)
    page = client.get(path, follow_redirects=True)
    assert page.request.path == "/login"
    assert "用户名" in page.text


def test_login_form_then_dashboard_in_chinese(web: Any, users: Any) -> None:
    admin, _ = users("county_admin")
    client = web.test_client()
    r = client.post("/login", data={"username": admin.username, "password": PASSWORD})
    assert r.status_code == 302 and urlsplit(r.headers["Location"]).path == "/admin/"

    r = client.get("/admin/")
    assert r.status_code == 200
    html = r.text
    assert '<html lang="zh-CN"' in html
    menu = text_of(nav(html))
    for item in ("首页", "持证人", "系统", "节假日安排", "单位", "用户", "API 令牌", "审计日志"):
        assert item in menu, item
    assert f"{admin.username} · 县局管理员 · 师宗县公安局" in menu
    panel = re.search(r'(?s)<section class="juzhu-panel"[^>]*>\s*<h5[^>]*>概况</h5>(.*?)</section>',
                      html)
    assert panel, "no 概况 panel"
    assert {"持证人", "有效居住证", "已注销"} <= set(re.findall(r"<th[^>]*>([^<]+)</th>",
                                                                panel.group(1)))
    assert "统计日期" in html
    assert_offline(client, html)


def test_csrf_protects_login_and_logout(make_app: Any, users: Any) -> None:
    site = make_app(WTF_CSRF_ENABLED=True)
    user, _ = users("county_admin")
    client = site.test_client()

    r = client.post("/login", data={"username": user.username, "password": PASSWORD})
    assert r.status_code == 400
    assert client.get("/admin/").status_code == 302  # still anonymous

    page = client.get("/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token, "the login form carries no CSRF token"
    r = client.post("/login", data={"username": user.username, "password": PASSWORD,
                                    "csrf_token": token.group(1)})
    assert r.status_code == 302 and urlsplit(r.headers["Location"]).path == "/admin/"

    html = client.get("/admin/").text
    forms = [m for m in re.finditer(r"(?s)<form\b([^>]*)>(.*?)</form>", html)
             if 'action="/logout"' in m.group(1)]
    assert len(forms) == 1, "no logout form"
    assert re.search(r'method="post"', forms[0].group(1), re.I)
    logout_token = re.search(r'name="csrf_token" value="([^"]+)"', forms[0].group(2))
    assert logout_token and logout_token.group(1)

    assert client.get("/logout").status_code == 405  # POST only
    assert client.post("/logout").status_code == 400  # no token: refused
    assert client.get("/admin/").status_code == 200  # still logged in
    r = client.post("/logout", data={"csrf_token": logout_token.group(1)})
    assert r.status_code == 302 and urlsplit(r.headers["Location"]).path == "/login"
    assert client.get("/admin/").status_code == 302


# -- 3. roles ---------------------------------------------------------------------------------

VIEWS = ("/admin/", "/admin/holders/", "/admin/explanations/", "/admin/calendar_days/",
         "/admin/org_units/", "/admin/users/", "/admin/api_tokens/", "/admin/audit_events/",
         "/admin/plugins/")
EVERYTHING = set(VIEWS)
CLERK = {"/admin/", "/admin/holders/", "/admin/explanations/", "/admin/calendar_days/"}
ACCESS = [  # role, views answering 200 (every other one answers 403)
    ("county_admin", EVERYTHING),
    ("station_clerk", CLERK),
    ("police_officer", CLERK),
    # a department clerk opens 权益说明 from its own department's menu, not the kernel's
    ("dept_clerk", CLERK - {"/admin/explanations/"}),
    ("assistant", {"/admin/"}),
    ("auditor", CLERK | {"/admin/org_units/", "/admin/audit_events/", "/admin/plugins/"}),
]


@pytest.mark.parametrize("role,allowed", ACCESS, ids=[a[0] for a in ACCESS])
def test_views_by_role(web: Any, users: Any, role: str, allowed: set[str]) -> None:
    client = login_as(web, users, role)
    got = {path: client.get(path).status_code for path in VIEWS}
    assert got == {path: 200 if path in allowed else 403 for path in VIEWS}

    # the menu offers exactly the kernel views the role may open (plugins' views, whose
    # endpoints carry their plugin's name, are tested with each plugin)
    plugins = [r.name for r in web.extensions["juzhu"].pm.department_plugins()]
    links = {link for link in re.findall(r'href="(/admin/[a-z_]+/)"', nav(client.get("/admin/").text))
             if not any(link.startswith(f"/admin/{p}_") for p in plugins)}
    assert links == allowed - {"/admin/"}

    forbidden = sorted(EVERYTHING - allowed)
    if forbidden:
        page = client.get(forbidden[0])
        assert '<html lang="zh-CN"' in page.text and "无权访问" in page.text
        assert "Forbidden" not in page.text


HOLDER_WRITERS = [("county_admin", True), ("station_clerk", True), ("police_officer", False),
                  ("dept_clerk", False), ("auditor", False)]


@pytest.mark.parametrize("role,may_create", HOLDER_WRITERS, ids=[h[0] for h in HOLDER_WRITERS])
def test_holder_create_form_by_role(web: Any, users: Any, role: str, may_create: bool) -> None:
    client = login_as(web, users, role)
    r = client.get("/admin/holders/new/")
    if may_create:
        assert r.status_code == 200 and 'name="id_number"' in r.text
    else:
        assert r.status_code == 302 and urlsplit(r.headers["Location"]).path == "/admin/holders/"
    assert ('href="/admin/holders/new/' in client.get("/admin/holders/").text) is may_create


# -- 4. holders list: masking and search ----------------------------------------------------

@pytest.fixture
def two_holders(app: Any) -> dict[str, Any]:
    zhao_id, zhao_number = add_holder("赵明轩", "male", dt.date(1991, 4, 12), "510104", 21,
                                      "13987654321")
    qian_id, qian_number = add_holder("钱晓梅", "female", dt.date(1987, 10, 3), "530302", 22,
                                      "13712345678")
    return {"zhao": (zhao_id, zhao_number, "13987654321"),
            "qian": (qian_id, qian_number, "13712345678")}


@pytest.mark.parametrize("role", ["dept_clerk", "auditor"])
def test_masked_roles_never_see_full_id_or_phone(web: Any, users: Any, two_holders: Any,
                                                 role: str) -> None:
    client = login_as(web, users, role)
    holder_id, number, phone = two_holders["zhao"]
    listing = client.get("/admin/holders/")
    assert listing.status_code == 200
    details = client.get(f"/admin/holders/details/?id={holder_id}")
    assert details.status_code == 200 and "赵明轩" in details.text
    for page in (listing.text, details.text):
        assert masked_id(number) in page
        assert masked_phone(phone) in page
        assert number not in page and phone not in page
        assert number[6:14] not in re.sub(r"\d{4}-\d{2}-\d{2}", "", page)  # the hidden digits
    _, other_number, other_phone = two_holders["qian"]
    assert masked_id(other_number) in listing.text
    assert other_number not in listing.text and other_phone not in listing.text


@pytest.mark.parametrize("role", ["county_admin", "station_clerk", "police_officer"])
def test_police_roles_see_full_id_and_phone(web: Any, users: Any, two_holders: Any,
                                            role: str) -> None:
    client = login_as(web, users, role)
    holder_id, number, phone = two_holders["zhao"]
    listing = client.get("/admin/holders/").text
    details = client.get(f"/admin/holders/details/?id={holder_id}").text
    for page in (listing, details):
        assert number in page and phone in page
        assert masked_id(number) not in page


@pytest.mark.parametrize("role", ["county_admin", "dept_clerk"])
def test_search_holders_by_id_number_and_name(web: Any, users: Any, two_holders: Any,
                                              role: str) -> None:
    client = login_as(web, users, role)
    _, zhao_number, _ = two_holders["zhao"]
    _, qian_number, _ = two_holders["qian"]

    def names(query: str) -> set[str]:
        r = client.get("/admin/holders/", query_string={"search": query})
        assert r.status_code == 200
        return {n for n in ("赵明轩", "钱晓梅") if n in r.text}

    assert names(zhao_number) == {"赵明轩"}
    assert names(qian_number) == {"钱晓梅"}
    assert names("赵明轩") == {"赵明轩"}
    assert names("钱晓") == {"钱晓梅"}
    assert names("晓梅") == set()  # the start of a name, not any part (indexed search)
    assert names("000000000000000000") == set()


# -- 5. create a holder through the admin form ----------------------------------------------

def holder_form(number: str) -> dict[str, str]:
    return {"name": "孙立新", "sex": "male", "ethnicity": "彝族", "birth_date": "1993-05-17",
            "id_number": number, "hukou_address": "云南省曲靖市麒麟区南宁街道 8 号",
            "hukou_division_code": "530302001000", "phone": "13811112222"}


def test_admin_create_holder_with_wrong_check_char_writes_nothing(web: Any,
                                                                 users: Any) -> None:
    client = login_as(web, users, "county_admin")
    good = citizen_id("530302", dt.date(1993, 5, 17), 31, "male")
    holders, events = count(web, Holder), count(web, AuditEvent)

    r = client.post("/admin/holders/new/", data=holder_form(wrong_check_char(good)))
    assert r.status_code == 200  # the form again, with the error
    assert '<html lang="zh-CN"' in r.text
    assert "公民身份号码校验位错误" in r.text
    assert count(web, Holder) == holders
    assert count(web, AuditEvent) == events


def test_admin_create_holder_writes_holder_and_one_audit_event(web: Any, users: Any) -> None:
    admin, _ = users("county_admin")
    client = login(web, admin.username)
    number = citizen_id("530302", dt.date(1993, 5, 17), 31, "male")
    holders, events = count(web, Holder), count(web, AuditEvent)

    r = client.post("/admin/holders/new/", data=holder_form(number))
    assert r.status_code == 302 and urlsplit(r.headers["Location"]).path == "/admin/holders/"
    assert "创建记录成功" in client.get(r.headers["Location"]).text

    assert count(web, Holder) == holders + 1
    assert count(web, AuditEvent) == events + 1
    with web.app_context():
        holder = db.session.scalar(select(Holder).where(Holder.id_number == number))
        assert holder is not None
        assert (holder.name, holder.sex, holder.ethnicity, holder.birth_date) == \
            ("孙立新", "male", "彝族", dt.date(1993, 5, 17))
        event = db.session.scalar(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1))
        assert event.action == "holder.create"
        assert (event.entity, event.entity_id) == ("holder", str(holder.id))
        assert event.actor == admin.username
        # the audit log keeps personal data masked (its reader, the auditor, sees it masked)
        assert event.new["id_number"] == number[:6] + "********" + number[-4:]
        assert event.new["id"] == holder.id
        assert list(audit.verify(db.session, web.config["JUZHU_AUDIT_KEYS"])) == []


def test_dept_clerk_cannot_create_holder_by_post(web: Any, users: Any) -> None:
    client = login_as(web, users, "dept_clerk")
    number = citizen_id("530302", dt.date(1993, 5, 17), 31, "male")
    holders, events = count(web, Holder), count(web, AuditEvent)
    r = client.post("/admin/holders/new/", data=holder_form(number))
    assert r.status_code == 302
    assert count(web, Holder) == holders and count(web, AuditEvent) == events


# -- 6. the audit log is read-only ----------------------------------------------------------

@pytest.mark.parametrize("role", ["county_admin", "auditor"])
def test_audit_log_is_read_only(web: Any, users: Any, role: str) -> None:
    client = login_as(web, users, role)
    with web.app_context():
        event = db.session.scalar(select(AuditEvent).order_by(AuditEvent.seq).limit(1))
        event_id, action = event.id, event.action
    events = count(web, AuditEvent)

    listing = client.get("/admin/audit_events/")
    assert listing.status_code == 200 and "审计日志" in listing.text
    assert "/admin/audit_events/new/" not in listing.text
    assert "/admin/audit_events/edit/" not in listing.text
    assert "/admin/audit_events/delete/" not in listing.text
    assert client.get(f"/admin/audit_events/details/?id={event_id}").status_code == 200

    attempts = [
        client.get("/admin/audit_events/new/"),
        client.post("/admin/audit_events/new/", data={"action": "forged", "entity": "x"}),
        client.get(f"/admin/audit_events/edit/?id={event_id}"),
        client.post(f"/admin/audit_events/edit/?id={event_id}", data={"action": "forged"}),
        client.post("/admin/audit_events/delete/", data={"id": str(event_id)}),
        client.post("/admin/audit_events/action/",
                    data={"action": "delete", "rowid": [str(event_id)]}),
    ]
    for r in attempts:
        assert r.status_code in (302, 403, 405), r.request.path
        if r.status_code == 302:
            assert urlsplit(r.headers["Location"]).path == "/admin/audit_events/"

    assert count(web, AuditEvent) == events
    with web.app_context():
        assert db.session.get(AuditEvent, event_id).action == action
        assert list(audit.verify(db.session, web.config["JUZHU_AUDIT_KEYS"])) == []


# -- 7. users ---------------------------------------------------------------------------------

def user_form(username: str, org_id: int) -> dict[str, str]:
    return {"username": username, "role_name": "station_clerk", "org": str(org_id),
            "active": "y", "new_password": "new-pass-word-9"}


def station_id(site: Any, code: str = "station-530323001") -> int:
    with site.app_context():
        return db.session.scalar(select(OrgUnit.id).where(OrgUnit.code == code))


def test_station_clerk_cannot_create_users(web: Any, users: Any) -> None:
    client = login_as(web, users, "station_clerk")
    accounts, events = count(web, User), count(web, AuditEvent)
    assert client.get("/admin/users/").status_code == 403
    assert client.get("/admin/users/new/").status_code == 403
    r = client.post("/admin/users/new/", data=user_form("sneaky", station_id(web)))
    assert r.status_code == 403
    assert count(web, User) == accounts and count(web, AuditEvent) == events


def test_county_admin_creates_a_user_who_can_log_in(web: Any, users: Any) -> None:
    client = login_as(web, users, "county_admin")
    accounts = count(web, User)
    r = client.post("/admin/users/new/", data=user_form("danfeng_2", station_id(web)))
    assert r.status_code == 302 and urlsplit(r.headers["Location"]).path == "/admin/users/"
    assert count(web, User) == accounts + 1
    with web.app_context():
        user = db.session.scalar(select(User).where(User.username == "danfeng_2"))
        assert (user.role, user.org.code) == ("station_clerk", "station-530323001")
        assert user.password and "new-pass-word-9" not in user.password
        event = db.session.scalar(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1))
        assert event.action == "user.create" and event.new["password"] == "***"

    clerk = login(web, "danfeng_2", "new-pass-word-9")
    assert clerk.get("/admin/holders/").status_code == 200
    assert clerk.get("/admin/users/").status_code == 403


def test_user_form_refuses_a_station_clerk_without_org(web: Any, users: Any) -> None:
    client = login_as(web, users, "county_admin")
    accounts = count(web, User)
    data = user_form("nobody_here", 0)
    data["org"] = "__None"
    r = client.post("/admin/users/new/", data=data)
    assert r.status_code == 200
    assert "必须指定所属单位" in r.text
    assert count(web, User) == accounts


def test_county_admin_revokes_an_api_token(web: Any, users: Any) -> None:
    clerk, token = users("station_clerk", "station-530323001")
    url = "/api/v1/calendar/working-days?from=2026-09-30&n=5"
    bearer = {"Authorization": f"Bearer {token}"}
    api = web.test_client()
    assert api.get(url, headers=bearer).status_code == 200
    clerk_id = clerk.id
    with web.app_context():
        token_id = db.session.scalar(select(ApiToken.id).where(ApiToken.user_id == clerk_id))

    client = login_as(web, users, "county_admin")
    r = client.post("/admin/api_tokens/action/",
                    data={"action": "revoke", "rowid": [str(token_id)]})
    assert r.status_code == 302
    assert "已撤销 1 个令牌" in client.get(r.headers["Location"]).text
    assert api.get(url, headers=bearer).status_code == 401
    with web.app_context():
        event = db.session.scalar(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1))
        assert (event.action, event.entity_id) == ("token.revoke", str(token_id))


def test_pages_outside_the_api_fail_in_chinese(make_app: Any) -> None:
    site = make_app(WTF_CSRF_ENABLED=True)
    client = site.test_client()
    r = client.get("/no-such-page")
    assert r.status_code == 404 and 'lang="zh-CN"' in r.text and "页面不存在" in r.text
    r = client.post("/login", data={"username": "admin", "password": "x"})  # no CSRF token
    assert r.status_code == 400 and "安全令牌" in r.text


def test_database_errors_are_flashed_without_sql(web: Any) -> None:
    # Flask-Admin's form checks catch most conflicts ("已经存在。"); what reaches the database
    # (a race) must not be flashed as raw SQL with its parameters.
    from flask import get_flashed_messages
    from sqlalchemy.exc import IntegrityError, OperationalError

    view = next(v for v in web.extensions["juzhu"].admin._views if v.endpoint == "calendar_days")
    for exc, text in [
        (IntegrityError("INSERT INTO calendar_day (day) VALUES (?)", {"day": "2030"}, Exception()),
         "与已有记录冲突"),
        (OperationalError("UPDATE holder SET id_number=?", {"id_number": "x"}, Exception()),
         "数据库错误"),
    ]:
        with web.test_request_context("/admin/calendar_days/new/"):
            assert view.handle_view_exception(exc) is True
            messages = get_flashed_messages()
        assert len(messages) == 1 and text in messages[0]
        assert "INSERT" not in messages[0] and "UPDATE" not in messages[0]


def test_user_names_are_unique_ignoring_case(app: Any) -> None:
    from core.auth import AccountError, create_user

    create_user(db.session, "Bob", "auditor")
    db.session.commit()
    with pytest.raises(AccountError):
        create_user(db.session, "bob", "auditor")
    db.session.rollback()


def test_kernel_catalogue_is_compiled_and_used(web: Any) -> None:
    """The committed .mo matches its .po, and Flask-Admin's gaps are filled (its shipped
    zh_Hans_CN .mo lacks "Failed to create record.")."""
    from flask_admin.babel import gettext

    from gettext import GNUTranslations

    from babel.messages.pofile import read_po

    from core.i18n import TRANSLATIONS

    for po in TRANSLATIONS.rglob("*.po"):
        with po.open("rb") as fh:
            wanted = {m.id: m.string for m in read_po(fh) if m.id}
        with po.with_suffix(".mo").open("rb") as fh:
            mo = GNUTranslations(fh)
        assert {k: mo.gettext(k) for k in wanted} == wanted, f"run make translations: {po}"
    view = next(v for v in web.extensions["juzhu"].admin._views if v.endpoint == "holders")
    with web.test_request_context("/admin/holders/new/"):
        from flask import g

        g._admin_view = view
        assert gettext("Failed to create record.") == "创建记录失败。"
        assert gettext("Save") == "保存"  # Flask-Admin's own catalogue still answers
