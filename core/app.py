"""The application factory: one Flask app, its own plugin manager, admin, API and security."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Iterable, Sequence

import secrets

from flask import Flask, Response, g, jsonify, redirect
from flask_babel import Babel
from flask_security import Security, SQLAlchemyUserDatastore
from flask_wtf.csrf import CSRFProtect
from werkzeug.routing import IntegerConverter

from core.auth import ROLES
from core.config import build_config
from core.dashboard import DashboardPanel
from core.db import configure_engine, db
from core.entitlements import Entitlement
from core.parameters import Parameter
from core.errors import PluginError
from core.hooks import Hooks
from core.http import errors as api_errors
from core.http import openapi
from core.http.schema import DB_INT_MAX
from core.login import JuzhuLoginForm
from core.models import Role, User
from core.plugins import PluginManager, build_plugin_manager
from core.profile import Profile, load_profile


class DbIntConverter(IntegerConverter):
    """``<int:id>`` bounded to what an id column holds. Werkzeug's converter takes any size,
    and a 30-digit id in a URL reached the database driver (SQLite: OverflowError; PostgreSQL:
    integer out of range) and answered 500; such an id names nothing, so the route does not
    match and the answer is 404."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", DB_INT_MAX)
        super().__init__(map, *args, **kwargs)


@dataclass
class Juzhu:
    """The kernel's per-application state: ``app.extensions["juzhu"]``."""

    pm: PluginManager
    hooks: Hooks
    profile: Profile
    entitlements: dict[str, tuple[str, Entitlement]] = field(default_factory=dict)
    parameters: dict[str, Parameter] = field(default_factory=dict)
    panels: list[DashboardPanel] = field(default_factory=list)
    admin: Any = None  # the Flask-Admin site


def create_app(
    config: dict[str, Any] | None = None,
    *,
    plugins: Iterable[tuple[str, ModuleType]] = (),
    enabled: str | Sequence[str] | None = None,
    disabled: str | Sequence[str] | None = None,
    discover: bool = True,
    web: bool = True,
) -> Flask:
    """Build an application. `plugins` adds (name, module) pairs, e.g. a test's plugin;
    `enabled`/`disabled` override ``JUZHU_PLUGINS``/``JUZHU_DISABLE_PLUGINS``.

    ``web=False`` leaves out the HTTP API's routes and the admin site (0.7 s of a 1.2 s
    start-up, most of it compiling 400 URL rules and importing the admin views), for the
    console's batch commands, which serve no page (``core.cli.BATCH_COMMANDS``); everything
    else (plugins, hooks, entitlements, parameters, the database) is the same."""
    app = Flask("core", static_folder="static", template_folder="templates")
    # Before any route is added: ids in URLs are database integers (PostgreSQL INTEGER).
    app.url_map.converters["int"] = DbIntConverter
    app.config.update(build_config(config))
    from core.logging_filters import install as install_log_filter

    install_log_filter(app.logger)  # no full ID number or phone in any log line
    app.json.ensure_ascii = False  # type: ignore[attr-defined]

    pm = build_plugin_manager(enabled, disabled, extra=plugins, discover=discover)
    hooks = Hooks(pm)
    profile = load_profile(app.config.get("JUZHU_PROFILE"))
    state = Juzhu(pm=pm, hooks=hooks, profile=profile)
    app.extensions["juzhu"] = state

    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine)
    Babel(app, locale_selector=lambda: app.config["BABEL_DEFAULT_LOCALE"])
    csrf = CSRFProtect(app)
    Security(app, SQLAlchemyUserDatastore(db, User, Role), login_form=JuzhuLoginForm)

    @app.context_processor
    def _globals() -> dict[str, Any]:
        return {"role_titles": {name: spec.title for name, spec in ROLES.items()},
                "profile": profile}

    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.after_request(_security_headers)

    api_errors.install(app)
    if web:
        _register_api(app, hooks, csrf)
    # Parameters before the admin: a department's parameter view lists its declarations.
    state.parameters = hooks.parameters()
    if web:
        from core.admin.site import build_admin  # late: admin views import the models' forms

        state.admin = build_admin(app, hooks)
    state.entitlements = {e.code: (plugin, e) for plugin, e in hooks.entitlements()}
    state.panels = hooks.dashboard_panels(app)

    @app.get("/")
    def _root():  # type: ignore[no-untyped-def]
        return redirect("/admin/")

    @app.get("/favicon.ico")
    def _favicon():  # type: ignore[no-untyped-def]
        # Browsers ask for it on every page that names no icon (the API's JSON, say); a 404
        # there is a console error in every browser test and a log line per visit.
        return redirect("/static/favicon.svg", code=301)

    return app


def csp_nonce() -> str:
    """This request's Content-Security-Policy nonce (made on first use). Templates write
    ``<script nonce="{{ csp_nonce() }}">``; Flask-Admin gets it as ``csp_nonce_generator``."""
    nonce = g.get("csp_nonce")
    if nonce is None:
        nonce = g.csp_nonce = secrets.token_urlsafe(18)
    return nonce


def _security_headers(response: Response) -> Response:
    """Every response: a strict CSP (scripts and styles from this site or carrying this
    request's nonce; no inline handlers, no framing), no MIME sniffing, same-origin referrers."""
    nonce = csp_nonce()
    response.headers["Content-Security-Policy"] = (
        f"default-src 'self'; script-src 'self' 'nonce-{nonce}'; "
        f"style-src 'self' 'nonce-{nonce}'; img-src 'self' data:; font-src 'self'; "
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
        "frame-ancestors 'none'")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


def _register_api(app: Flask, hooks: Hooks, csrf: CSRFProtect) -> None:
    owners: dict[str, str] = {}
    for plugin, bp in hooks.api_blueprints(app):
        csrf.exempt(bp)  # bearer tokens, not cookies: no CSRF exposure
        app.register_blueprint(bp, url_prefix="/api/v1" + (bp.url_prefix or ""))
        owners[bp.name] = plugin
    for plugin, bp in hooks.page_blueprints(app):
        app.register_blueprint(bp)
        owners[bp.name] = plugin
    seen: dict[tuple[str, str], str] = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] not in owners and not rule.rule.startswith("/api/v1"):
            continue
        owner = owners.get(rule.endpoint.split(".")[0], "core")
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}:
            key = (method, rule.rule)
            if key in seen:  # Flask would silently let the first one win
                raise PluginError(f"API 路由 {method} {rule.rule} 重复：插件 {seen[key]} 与插件 {owner}")
            seen[key] = owner

    @app.get("/api/v1/openapi.json")
    def _openapi():  # type: ignore[no-untyped-def]
        return jsonify(openapi.build(app))
