"""The login form: user-name login, labelled in Chinese (Flask-Security's catalogue has no
translation for "Username"), with a lockout after repeated failures (issue 5).

Lockout: `JUZHU_LOGIN_MAX_FAILURES` failed logins of one user name within
`JUZHU_LOGIN_WINDOW_MINUTES` lock that name for `JUZHU_LOGIN_LOCK_MINUTES`. Failures are
counted per lower-cased name whether an account has it or not, and the lock message is the
same for both, so a lockout does not reveal who exists. A locked name is refused before its
password is checked: otherwise a different message for the right password would go on
answering a guesser. Each lockout is audited; the county admin unlocks in 用户 (解锁).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import current_app, request
from flask_security.forms import LoginForm, username_validator
from sqlalchemy import and_, delete, func, or_, select

from core import audit
from core.clock import utcnow
from core.db import db
from core.models import LoginThrottle, User


def lock_message() -> str:
    minutes = current_app.config["JUZHU_LOGIN_LOCK_MINUTES"]
    return (f"用户名：连续登录失败次数过多，该用户名已暂停登录 {minutes} 分钟"
            "（GB/T 22239—2019 身份鉴别：登录失败处理、限制非法登录次数）；"
            "请稍后再试，或请县局管理员解锁。")


def locked_until(name: str, now: dt.datetime | None = None) -> dt.datetime | None:
    """When the lock of user name `name` ends, or None when it is not locked."""
    row = db.session.get(LoginThrottle, name.lower())
    now = now or utcnow()
    if row is not None and row.locked_until is not None and row.locked_until > now:
        return row.locked_until
    return None


def record_failure(name: str) -> bool:
    """Count one failed login of `name`; lock it at the threshold. True when this locked it.
    Committed at once: a failed login has no other transaction to ride on."""
    cfg = current_app.config
    key, now = name.lower(), utcnow()
    window = dt.timedelta(minutes=cfg["JUZHU_LOGIN_WINDOW_MINUTES"])
    _forget_stale(now, window)
    row = db.session.get(LoginThrottle, key)
    if row is None:
        row = LoginThrottle(username=key, failures=0, window_start=now)
        db.session.add(row)
    elif row.locked_until is not None or now - row.window_start > window:
        # a new window: after an expired lock, or when the old failures are too old
        row.failures, row.window_start, row.locked_until = 0, now, None
    row.failures += 1
    locked = row.failures >= cfg["JUZHU_LOGIN_MAX_FAILURES"]
    if locked:
        # from here window_start is the moment of the lock
        row.window_start = now
        row.locked_until = now + dt.timedelta(minutes=cfg["JUZHU_LOGIN_LOCK_MINUTES"])
        user_id = db.session.scalar(select(User.id).where(func.lower(User.username) == key))
        audit.record(db.session, action="login.lock", entity="user" if user_id else "login",
                     entity_id=user_id if user_id else key,
                     new={"username": key, "failures": row.failures,
                          "locked_until": row.locked_until,
                          "remote_addr": request.remote_addr if request else None})
    db.session.commit()
    return locked


def _forget_stale(now: dt.datetime, window: dt.timedelta) -> None:
    """Drop rows that no longer count: failures older than the window with no lock, and
    locks that have ended (either would be reset on the name's next failure anyway). Without
    this a guesser trying random names would grow the table by a row per name for ever."""
    db.session.execute(delete(LoginThrottle).where(or_(
        and_(LoginThrottle.locked_until.is_(None), LoginThrottle.window_start < now - window),
        LoginThrottle.locked_until <= now)))


def clear_failures(name: str) -> None:
    """A successful login forgets the name's failures (in the login's own transaction)."""
    row = db.session.get(LoginThrottle, name.lower())
    if row is not None:
        db.session.delete(row)


def unlock(session: Any, user: User, actor: Any) -> bool:
    """The county admin's 解锁: forget the failures of `user`'s name. True when it was locked."""
    row = session.get(LoginThrottle, user.username.lower())
    if row is None:
        return False
    was_locked = row.locked_until is not None and row.locked_until > utcnow()
    session.delete(row)
    audit.record(session, action="login.unlock", entity="user", entity_id=user.id, actor=actor,
                 old={"failures": row.failures, "locked_until": row.locked_until})
    return was_locked


class JuzhuLoginForm(LoginForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "username" in self._fields:
            self.username.label.text = "用户名"
            # Flask-Security's username_validator is a sign-up rule (letters and digits only,
            # 4-32 characters). Our accounts are made by `juzhu user create` and the 用户
            # admin view, which accept any name up to 80 characters ("station_clerk1",
            # "张三", the demo account "edu"), so at login it refused real users with an
            # untranslated "Username can contain only letters and numbers". Login only
            # looks the name up (a bound parameter), so look it up as it was stored.
            self.username.validators = [v for v in self.username.validators
                                        if v is not username_validator]
            if isinstance(self.username.data, str):
                self.username.data = self.username.data.strip()

    def validate(self, **kwargs: Any) -> bool:
        name = self.username.data if isinstance(self.username.data, str) else ""
        presented = bool(name and self.password.data)
        if presented and len(name) <= 80 and locked_until(name) is not None:
            # form-level error: Flask-Security's generic-response munging keeps it
            self.form_errors.append(lock_message())
            return False
        ok = super().validate(**kwargs)
        if presented and len(name) <= 80:
            if ok:
                clear_failures(name)
            elif not self.user_authenticated and record_failure(name):
                self.form_errors.append(lock_message())
        return ok
