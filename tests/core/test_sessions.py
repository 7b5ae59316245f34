"""Sessions and logins (issue 5): CSRF on every state change, cookie flags, lockout after
repeated failed logins, API tokens, security headers with a per-request CSP nonce.

Browser-side requests go to apps of their own (`make_app`), as in tests/core/test_admin.py:
the `app` fixture keeps an application context pushed, whose `g` would leak a login.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from core.auth import create_user, issue_token, token_hash, user_for_token
from core.clock import utcnow
from core.db import db
from core.models import ApiToken, AuditEvent, CalendarDay, LoginThrottle, User

PASSWORD = "pass-word-1"  # the `users` fixture's default password
LOCK_TEXT = "连续登录失败次数过多"


# -- helpers ------------------------------------------------------------------------------

def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "the page carries no CSRF token"
    return match.group(1)


def post_login(client: Any, username: str, password: str, **extra: str) -> Any:
    """Log in through the real form, with the token the login page hands out when CSRF is on."""
    data = {"username": username, "password": password, **extra}
    if client.application.config.get("WTF_CSRF_ENABLED", True):
        data["csrf_token"] = csrf_of(client.get("/login").text)
    return client.post("/login", data=data)


def login(site: Any, username: str, password: str = PASSWORD) -> Any:
    client = site.test_client()
    r = post_login(client, username, password)
    assert r.status_code == 302, form_errors(r.text)
    assert urlsplit(r.headers["Location"]).path == "/admin/"
    return client


def form_errors(html: str) -> list[str]:
    return [m.strip() for m in re.findall(r'fs-error-msg">([^<]*)', html)]


def logged_in(client: Any) -> bool:
    return client.get("/admin/").status_code == 200


def count(site: Any, model: type, *where: Any) -> int:
    with site.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def last_event(site: Any) -> AuditEvent:
    with site.app_context():
        event = db.session.scalar(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1))
        db.session.expunge(event)
        return event


def cookie(response: Any, name: str) -> str:
    found = [c for c in response.headers.getlist("Set-Cookie") if c.startswith(name + "=")]
    assert found, f"no {name} cookie set: {response.headers.getlist('Set-Cookie')}"
    return found[-1]


def attrs(set_cookie: str) -> set[str]:
    return {part.strip().lower() for part in set_cookie.split(";")[1:]}


# -- 1. CSRF on every state change -----------------------------------------------------------

@pytest.fixture
def csrf_site(make_app: Any, app: Any) -> Any:
    return make_app(WTF_CSRF_ENABLED=True)


def test_admin_create_form_needs_its_csrf_token(csrf_site: Any, users: Any) -> None:
    admin, _ = users("county_admin")
    client = login(csrf_site, admin.username)
    form = {"day": "2031-10-01", "workday": "", "name": "国庆节", "source": "国办发明电〔2030〕1号"}

    before = count(csrf_site, CalendarDay)
    r = client.post("/admin/calendar_days/new/", data=form)
    assert r.status_code == 400 and "安全令牌" in r.text
    assert count(csrf_site, CalendarDay) == before

    # the create form itself carries the token, so a clerk's real submission passes
    token = csrf_of(client.get("/admin/calendar_days/new/").text)
    r = client.post("/admin/calendar_days/new/", data={**form, "csrf_token": token})
    assert r.status_code == 302
    assert count(csrf_site, CalendarDay, CalendarDay.day == dt.date(2031, 10, 1)) == 1


def test_admin_delete_needs_its_csrf_token(csrf_site: Any, users: Any) -> None:
    admin, _ = users("county_admin")
    with csrf_site.app_context():
        row = CalendarDay(day=dt.date(2031, 10, 2), workday=False, name="国庆节", source="测试")
        db.session.add(row)
        db.session.commit()
    row_id, day = "2031-10-02", CalendarDay.day == dt.date(2031, 10, 2)  # the day is the key
    client = login(csrf_site, admin.username)
    r = client.post("/admin/calendar_days/delete/", data={"id": row_id})
    assert r.status_code == 400
    assert count(csrf_site, CalendarDay, day) == 1

    page = client.get("/admin/calendar_days/").text
    delete_form = re.search(r'(?s)<form[^>]*action="/admin/calendar_days/delete/"[^>]*>(.*?)</form>',
                            page)
    assert delete_form, "the list has no delete form"
    r = client.post("/admin/calendar_days/delete/",
                    data={"id": row_id, "csrf_token": csrf_of(delete_form.group(1))})
    assert r.status_code == 302
    assert count(csrf_site, CalendarDay, day) == 0


def test_admin_action_needs_its_csrf_token(csrf_site: Any, users: Any) -> None:
    clerk, token = users("station_clerk", "station-530323001")
    admin, _ = users("county_admin")
    with csrf_site.app_context():
        token_id = db.session.scalar(select(ApiToken.id).where(ApiToken.user_id == clerk.id))
    client = login(csrf_site, admin.username)
    r = client.post("/admin/api_tokens/action/", data={"action": "revoke", "rowid": [str(token_id)]})
    assert r.status_code == 400
    with csrf_site.app_context():
        assert user_for_token(db.session, token) is not None  # not revoked

    page = client.get("/admin/api_tokens/").text
    action_form = re.search(r'(?s)<form id="action_form"[^>]*>(.*?)</form>', page)
    assert action_form, "the list has no action form"
    r = client.post("/admin/api_tokens/action/", data={
        "action": "revoke", "rowid": [str(token_id)], "csrf_token": csrf_of(action_form.group(1))})
    assert r.status_code == 302
    with csrf_site.app_context():
        assert user_for_token(db.session, token) is None


def test_logout_is_a_post_with_csrf_token(csrf_site: Any, users: Any) -> None:
    admin, _ = users("county_admin")
    client = login(csrf_site, admin.username)
    assert client.get("/logout").status_code == 405
    assert logged_in(client)  # GET /logout does not log out
    assert client.post("/logout").status_code == 400
    assert logged_in(client)
    token = csrf_of(client.get("/admin/").text)
    r = client.post("/logout", data={"csrf_token": token})
    assert r.status_code == 302 and not logged_in(client)


# -- 2. cookie flags -------------------------------------------------------------------------

def test_cookies_are_httponly_and_lax_and_secure_behind_https(make_app: Any, app: Any,
                                                              users: Any) -> None:
    admin, _ = users("county_admin")
    site = make_app(JUZHU_PUBLIC_URL="https://juzhu.shizong.example")
    assert site.config["SESSION_COOKIE_SECURE"] and site.config["REMEMBER_COOKIE_SECURE"]
    # the secure flag is on the cookie whatever the test client's own scheme
    r = post_login(site.test_client(), admin.username, PASSWORD, remember="y")
    assert r.status_code == 302
    for name in ("session", "remember_token"):
        flags = attrs(cookie(r, name))
        assert {"httponly", "samesite=lax", "secure"} <= flags, (name, flags)


def test_cookies_are_not_secure_on_plain_http_unless_told(make_app: Any, app: Any,
                                                          users: Any) -> None:
    admin, _ = users("county_admin")
    plain = make_app(JUZHU_PUBLIC_URL="http://10.0.0.5:5000")
    r = post_login(plain.test_client(), admin.username, PASSWORD, remember="y")
    for name in ("session", "remember_token"):
        flags = attrs(cookie(r, name))
        assert {"httponly", "samesite=lax"} <= flags and "secure" not in flags, (name, flags)

    told = make_app(JUZHU_PUBLIC_URL="http://10.0.0.5:5000", JUZHU_SECURE_COOKIES="1")
    r = post_login(told.test_client(), admin.username, PASSWORD, remember="y")
    assert "secure" in attrs(cookie(r, "session")) and "secure" in attrs(cookie(r, "remember_token"))


# -- 3. lockout ------------------------------------------------------------------------------

@pytest.fixture
def site(make_app: Any, app: Any) -> Any:
    return make_app()


def test_five_failures_lock_the_name_even_for_the_right_password(site: Any, users: Any) -> None:
    user, _ = users("station_clerk", "station-530323001")
    client = site.test_client()
    for attempt in range(1, 5):
        r = post_login(client, user.username, "wrong-password")
        assert r.status_code == 200 and form_errors(r.text) == ["用户名或密码错误。"], attempt
    r = post_login(client, user.username, "wrong-password")  # the fifth: locks
    assert any(LOCK_TEXT in e and "15 分钟" in e for e in form_errors(r.text))

    r = post_login(client, user.username, PASSWORD)
    assert r.status_code == 200 and not logged_in(client)
    errors = form_errors(r.text)
    assert len(errors) == 1 and LOCK_TEXT in errors[0] and "用户名" in errors[0] \
        and "GB/T 22239" in errors[0]
    # the name was asked case-insensitively: the lock is the name's, not the spelling's
    r = post_login(client, user.username.upper(), PASSWORD)
    assert LOCK_TEXT in r.text and not logged_in(client)

    event = last_event(site)
    assert (event.action, event.entity, event.entity_id) == ("login.lock", "user", str(user.id))
    assert event.new["failures"] == 5
    assert count(site, AuditEvent, AuditEvent.action == "login.lock") == 1  # once per lockout


def test_lockout_answers_the_same_for_a_name_nobody_has(site: Any, users: Any) -> None:
    user, _ = users("station_clerk", "station-530323001")
    known, unknown = site.test_client(), site.test_client()
    for attempt in range(1, 8):
        a = post_login(known, user.username, "wrong-password")
        b = post_login(unknown, "no_such_person", "wrong-password")
        assert a.status_code == b.status_code
        assert form_errors(a.text) == form_errors(b.text), attempt
    assert LOCK_TEXT in form_errors(b.text)[0]
    event = last_event(site)
    assert (event.action, event.entity, event.entity_id) == ("login.lock", "login", "no_such_person")


def test_lock_expires_and_a_success_forgets_failures(site: Any, users: Any) -> None:
    user, _ = users("station_clerk", "station-530323001")
    client = site.test_client()
    for _ in range(5):
        post_login(client, user.username, "wrong-password")
    with site.app_context():
        row = db.session.get(LoginThrottle, user.username.lower())
        assert row.locked_until - row.window_start == dt.timedelta(minutes=15)
        row.locked_until = utcnow() - dt.timedelta(seconds=1)  # the 15 minutes have passed
        db.session.commit()
    login(site, user.username)
    assert count(site, LoginThrottle, LoginThrottle.username == user.username.lower()) == 0

    # four failures, a success, four more: never five in a row, never locked
    for _ in range(4):
        post_login(site.test_client(), user.username, "wrong-password")
    login(site, user.username)
    for _ in range(4):
        post_login(site.test_client(), user.username, "wrong-password")
    login(site, user.username)


def test_failures_older_than_the_window_do_not_count(site: Any, users: Any) -> None:
    user, _ = users("station_clerk", "station-530323001")
    for _ in range(4):
        post_login(site.test_client(), user.username, "wrong-password")
    with site.app_context():
        row = db.session.get(LoginThrottle, user.username.lower())
        row.window_start = utcnow() - dt.timedelta(minutes=16)
        db.session.commit()
    post_login(site.test_client(), user.username, "wrong-password")  # a new window: 1 failure
    with site.app_context():
        assert db.session.get(LoginThrottle, user.username.lower()).failures == 1
    login(site, user.username)


def test_rows_that_no_longer_count_are_dropped(site: Any, users: Any) -> None:
    """A guesser trying a new name each time must not grow the table for ever: a failure
    prunes other names' stale rows (old failures with no lock, ended locks), keeping what
    still counts."""
    names = {"stale-guess": (utcnow() - dt.timedelta(minutes=16), None),
             "ended-lock": (utcnow() - dt.timedelta(minutes=30),
                            utcnow() - dt.timedelta(seconds=1)),
             "recent-guess": (utcnow() - dt.timedelta(minutes=5), None),
             "still-locked": (utcnow() - dt.timedelta(minutes=5),
                              utcnow() + dt.timedelta(minutes=10))}
    with site.app_context():
        for name, (start, until) in names.items():
            db.session.add(LoginThrottle(username=name, failures=5 if until else 2,
                                         window_start=start, locked_until=until))
        db.session.commit()
    post_login(site.test_client(), "another-guess", "wrong-password")
    with site.app_context():
        kept = set(db.session.scalars(select(LoginThrottle.username)))
    assert kept == {"recent-guess", "still-locked", "another-guess"}


def test_thresholds_are_configuration(make_app: Any, app: Any, users: Any) -> None:
    user, _ = users("station_clerk", "station-530323001")
    strict = make_app(JUZHU_LOGIN_MAX_FAILURES=2, JUZHU_LOGIN_LOCK_MINUTES=60)
    client = strict.test_client()
    post_login(client, user.username, "wrong-password")
    r = post_login(client, user.username, "wrong-password")
    assert any(LOCK_TEXT in e and "60 分钟" in e for e in form_errors(r.text))
    with strict.app_context():
        row = db.session.get(LoginThrottle, user.username.lower())
        assert row.locked_until - row.window_start == dt.timedelta(minutes=60)
    assert post_login(client, user.username, PASSWORD).status_code == 200


def test_county_admin_unlocks_in_the_users_view(site: Any, users: Any) -> None:
    user, _ = users("station_clerk", "station-530323001")
    admin, _ = users("county_admin")
    for _ in range(5):
        post_login(site.test_client(), user.username, "wrong-password")
    assert post_login(site.test_client(), user.username, PASSWORD).status_code == 200

    client = login(site, admin.username)
    page = client.get("/admin/users/").text
    assert "登录锁定" in page and "锁定至" in page and "解锁登录" in page
    r = client.post("/admin/users/action/", data={"action": "unlock", "rowid": [str(user.id)]})
    assert r.status_code == 302
    assert f"已解锁 1 个用户：{user.username}" in client.get(r.headers["Location"]).text
    event = last_event(site)
    assert (event.action, event.entity_id) == ("login.unlock", str(user.id))
    assert event.old["failures"] == 5
    login(site, user.username)

    # a station clerk cannot unlock anyone
    locked, _ = users("station_clerk", "station-530323001")
    for _ in range(5):
        post_login(site.test_client(), locked.username, "wrong-password")
    clerk = login(site, user.username)
    r = clerk.post("/admin/users/action/", data={"action": "unlock", "rowid": [str(locked.id)]})
    assert r.status_code == 403
    assert post_login(site.test_client(), locked.username, PASSWORD).status_code == 200


# -- 4. API tokens: hashed, expiring, revocable ----------------------------------------------

def test_tokens_are_hashed_expire_by_configuration_and_revoke(app: Any, api: Any) -> None:
    user = create_user(db.session, "tok_user", "auditor")
    token = issue_token(db.session, user)
    db.session.commit()
    row = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    stored = [str(getattr(row, c.key)) for c in ApiToken.__table__.columns]
    assert all(token not in value for value in stored)  # the plain token is kept nowhere
    assert row.token_hash == token_hash(token) and len(token) > 40
    assert row.expires_at - row.created_at == dt.timedelta(days=app.config["JUZHU_API_TOKEN_DAYS"])

    url = "/calendar/working-days?from=2026-09-30&n=5"
    assert api("GET", url, token).status_code == 200
    row.expires_at = utcnow() - dt.timedelta(seconds=1)
    db.session.commit()
    assert api("GET", url, token).status_code == 401
    row.expires_at, row.revoked_at = None, utcnow()
    db.session.commit()
    r = api("GET", url, token)
    assert r.status_code == 401 and "撤销" in r.json["message"]


# -- 5. security headers and the CSP nonce ---------------------------------------------------

def nonce_of(response: Any) -> str:
    csp = response.headers["Content-Security-Policy"]
    match = re.search(r"script-src 'self' 'nonce-([A-Za-z0-9_-]+)'", csp)
    assert match, csp
    assert f"style-src 'self' 'nonce-{match.group(1)}'" in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    return match.group(1)


def assert_headers(response: Any) -> str:
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    return nonce_of(response)


def test_every_response_carries_the_security_headers(site: Any, users: Any) -> None:
    _admin, token = users("county_admin")
    anonymous = site.test_client()
    responses = [
        anonymous.get("/login"),
        anonymous.get("/admin/"),  # redirect
        anonymous.get("/no-such-page"),  # 404
        anonymous.get("/static/juzhu.css"),
        anonymous.get("/api/v1/openapi.json"),
        anonymous.get("/api/v1/holders/1"),  # 401
        anonymous.get("/api/v1/calendar/working-days?from=2026-09-30&n=5",
                      headers={"Authorization": f"Bearer {token}"}),
    ]
    nonces = [assert_headers(r) for r in responses]
    assert len(set(nonces)) == len(nonces)  # a fresh nonce per response


def admin_pages(site: Any) -> list[str]:
    """Every admin view's page, and its create form where the county admin may create."""
    with site.test_request_context():
        from flask import url_for

        urls = []
        for view in site.extensions["juzhu"].admin._views:
            urls.append(view.url + "/" if not view.url.endswith("/") else view.url)
            if "create_view" in dir(view):
                urls.append(url_for(f"{view.endpoint}.create_view"))
    assert "/admin/" in urls
    return urls


def test_every_inline_script_in_the_admin_carries_the_nonce(site: Any, users: Any) -> None:
    admin, _ = users("county_admin")
    with site.app_context():
        db.session.add(CalendarDay(day=dt.date(2031, 1, 1), workday=False, name="元旦", source="测试"))
        db.session.commit()
    client = login(site, admin.username)
    pages = admin_pages(site)
    assert len(pages) > 20 and "/admin/users/new/" in pages
    checked = 0
    for url in pages:
        r = client.get(url)
        if r.status_code != 200:  # a create form the county admin may not open
            assert r.status_code in (302, 403), url
            continue
        nonce = assert_headers(r)
        html = r.text
        scripts = re.findall(r"<script\b([^>]*)>", html)
        assert scripts, url
        for tag in scripts:
            assert f'nonce="{nonce}"' in tag, (url, tag)
        for tag in re.findall(r"<style\b([^>]*)>", html):
            assert f'nonce="{nonce}"' in tag, (url, tag)
        # what a strict CSP blocks outright: inline handlers, style attributes, javascript: URLs
        # that a click would run (href="javascript:void(0)" toggles are prevented in script)
        assert not re.search(r"<[^>]+\son[a-z]+\s*=", html), url
        assert not re.search(r"<[^>]+\sstyle\s*=", html), url
        checked += 1
    assert checked > 20
    # the list's batch action and the delete button are bound by the nonce'd script
    page = client.get("/admin/api_tokens/").text
    assert 'data-juzhu-action="revoke"' in page
    page = client.get("/admin/calendar_days/").text
    assert "data-juzhu-confirm=" in page and 'addEventListener("click"' in page


def test_print_pages_carry_the_nonce(site: Any, users: Any) -> None:
    from core.holders import HolderFacts, create_holder
    from core.rules import id_check_char

    admin, token = users("county_admin")
    first17 = "51010419900101001"
    with site.app_context():
        holder = create_holder(db.session, HolderFacts(
            "张三", "male", "汉族", dt.date(1990, 1, 1), first17 + id_check_char(first17),
            "四川省成都市锦江区春熙路 1 号", "510104", None), as_of=dt.date(2026, 12, 1))
        db.session.commit()
        holder_id = holder.id
    r = site.test_client().get(f"/api/v1/holders/{holder_id}/entitlements/print",
                               headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200
    nonce = assert_headers(r)
    tags = re.findall(r"<style\b([^>]*)>", r.text)  # the @page size
    assert tags and all(f'nonce="{nonce}"' in t for t in tags)
    # printed documents run no script and no inline handler (the CSP would block one)
    assert "<script" not in r.text and not re.search(r"<[^>]+\son[a-z]+\s*=", r.text)
    assert 'id="juzhu-print"' in r.text and "Ctrl+P" in r.text
