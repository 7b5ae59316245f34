"""Configuration from the environment (DESIGN §5).

Keys (`JUZHU_SECRET_KEY`, `JUZHU_AUDIT_KEY`, `JUZHU_QR_KEY`) are generated once and kept in
the instance folder when unset: fine for one machine. With several processes they must be
set, or each would sign with its own key; `JUZHU_REQUIRE_KEYS=1` turns a missing one into a
startup error.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask_security import uia_username_mapper

from core.errors import ConfigError

KEY_NAMES = ("JUZHU_SECRET_KEY", "JUZHU_AUDIT_KEY", "JUZHU_QR_KEY", "JUZHU_PASSWORD_SALT")


def instance_path() -> Path:
    return Path(os.environ.get("JUZHU_INSTANCE") or Path.cwd() / "instance").resolve()


def _kept_keys(folder: Path) -> dict[str, str]:
    """Keys generated on first start and kept (mode 600) in the instance folder."""
    file = folder / "keys.json"
    keys: dict[str, str] = json.loads(file.read_text()) if file.exists() else {}
    missing = [k for k in KEY_NAMES if k not in keys]
    if missing:
        folder.mkdir(parents=True, exist_ok=True)
        keys.update({k: secrets.token_urlsafe(32) for k in missing})
        file.write_text(json.dumps(keys, indent=2))
        file.chmod(0o600)
    return keys


def key_id(key: str) -> str:
    """A short public id of a key, stored beside what it sealed, so keys can rotate."""
    return hashlib.sha256(key.encode()).hexdigest()[:8]


def build_config(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    env = os.environ
    overrides = overrides or {}
    folder = Path(overrides.get("JUZHU_INSTANCE") or instance_path())
    keys = {k: overrides.get(k) or env.get(k) for k in KEY_NAMES}
    if not all(keys.values()):
        if env.get("JUZHU_REQUIRE_KEYS") == "1":
            missing = ", ".join(k for k, v in keys.items() if not v)
            raise ConfigError(f"多进程部署必须设置密钥：{missing}")
        kept = _kept_keys(folder)
        keys = {k: v or kept[k] for k, v in keys.items()}

    db_url = overrides.get("SQLALCHEMY_DATABASE_URI") or env.get("JUZHU_DATABASE_URL") \
        or f"sqlite:///{folder / 'juzhu.sqlite'}"
    # Old keys still verify what they sealed: JUZHU_AUDIT_OLD_KEYS=key1,key2
    def old_keys(name: str) -> list[str]:
        return [k for k in (overrides.get(name) or env.get(name) or "").split(",") if k]

    old_audit, old_qr = old_keys("JUZHU_AUDIT_OLD_KEYS"), old_keys("JUZHU_QR_OLD_KEYS")

    # Cookies travel over HTTPS only when the public address is https (or when
    # JUZHU_SECURE_COOKIES=1; =0 turns it off, e.g. for a plain-http test install).
    public_url = overrides.get("JUZHU_PUBLIC_URL") or env.get("JUZHU_PUBLIC_URL")
    secure_flag = str(overrides.get("JUZHU_SECURE_COOKIES", env.get("JUZHU_SECURE_COOKIES", "")))
    secure_cookies = secure_flag in ("1", "True", "true") or (
        secure_flag not in ("0", "False", "false")
        and bool(public_url and public_url.lower().startswith("https://")))

    config: dict[str, Any] = {
        "JUZHU_INSTANCE": str(folder),
        "SECRET_KEY": keys["JUZHU_SECRET_KEY"],
        "JUZHU_AUDIT_KEYS": {key_id(k): k for k in [keys["JUZHU_AUDIT_KEY"], *old_audit]},
        "JUZHU_AUDIT_KEY_ID": key_id(keys["JUZHU_AUDIT_KEY"]),
        "JUZHU_QR_KEYS": {key_id(k): k for k in [keys["JUZHU_QR_KEY"], *old_qr]},
        "JUZHU_QR_KEY_ID": key_id(keys["JUZHU_QR_KEY"]),
        "JUZHU_API_TOKEN_DAYS": int(env.get("JUZHU_API_TOKEN_DAYS", "365")),
        # The address the public reaches (QR codes printed on cards); None = this request's host.
        "JUZHU_PUBLIC_URL": public_url,
        # Lockout (issue 5): this many failed logins of one user name within the window
        # lock that name for JUZHU_LOGIN_LOCK_MINUTES; the county admin can unlock it.
        "JUZHU_LOGIN_MAX_FAILURES": int(env.get("JUZHU_LOGIN_MAX_FAILURES", "5")),
        "JUZHU_LOGIN_WINDOW_MINUTES": int(env.get("JUZHU_LOGIN_WINDOW_MINUTES", "15")),
        "JUZHU_LOGIN_LOCK_MINUTES": int(env.get("JUZHU_LOGIN_LOCK_MINUTES", "15")),
        "SQLALCHEMY_DATABASE_URI": db_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # Chinese UI (DESIGN §6)
        "BABEL_DEFAULT_LOCALE": "zh_Hans_CN",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Shanghai",
        "FLASK_ADMIN_SWATCH": "default",
        # Flask-Security: user-name login, argon2, no self-registration, logout by POST.
        "SECURITY_PASSWORD_HASH": "argon2",
        "SECURITY_PASSWORD_SALT": keys["JUZHU_PASSWORD_SALT"],
        "SECURITY_USERNAME_ENABLE": True,
        "SECURITY_USER_IDENTITY_ATTRIBUTES": [
            {"username": {"mapper": uia_username_mapper, "case_insensitive": True}}
        ],
        "SECURITY_REGISTERABLE": False,
        "SECURITY_RECOVERABLE": False,
        "SECURITY_CHANGEABLE": True,
        "SECURITY_SEND_PASSWORD_CHANGE_EMAIL": False,
        "SECURITY_LOGOUT_METHODS": ["POST"],
        "SECURITY_POST_LOGIN_VIEW": "/admin/",
        "SECURITY_POST_LOGOUT_VIEW": "/login",
        "SECURITY_URL_PREFIX": None,
        "SECURITY_API_ENABLED_METHODS": ["session"],
        "SECURITY_PASSWORD_LENGTH_MIN": 8,
        "SECURITY_MSG_LOGIN": ("请先登录。", "info"),
        # One answer for an unknown user and a wrong password: do not reveal who exists.
        "SECURITY_RETURN_GENERIC_RESPONSES": True,
        "SECURITY_MSG_GENERIC_AUTHN_FAILED": ("用户名或密码错误。", "error"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure_cookies,
        # Flask-Security's remember-me cookie is Flask-Login's: same flags.
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": secure_cookies,
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": 8 * 1024 * 1024,
        "JSON_AS_ASCII": False,
    }
    config.update({k: v for k, v in overrides.items() if k not in KEY_NAMES})
    return config
