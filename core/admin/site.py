"""Build the Flask-Admin site of one application from the plugins' views."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Flask
from flask_admin import Admin, expose
from flask_admin.theme import Bootstrap4Theme
from flask_login import current_user
from markupsafe import Markup

from core.admin.base import SecureIndexView
from core.app import csp_nonce
from core.clock import today
from core.i18n import TRANSLATIONS

if TYPE_CHECKING:
    from core.hooks import Hooks


class DashboardView(SecureIndexView):
    """The dashboard: each plugin's panels that the user's role may see (DESIGN §6)."""

    @expose("/")
    def index(self):  # type: ignore[no-untyped-def]
        state = self.admin.app.extensions["juzhu"]  # type: ignore[union-attr]
        as_of = today()
        # Panels render through autoescaping templates; their HTML is trusted here.
        panels = [(p, Markup(p.render(current_user, as_of))) for p in state.panels
                  if current_user.role in p.roles]
        return self.render("juzhu/dashboard.html", panels=panels, as_of=as_of)


def build_admin(app: Flask, hooks: "Hooks") -> Admin:
    admin = Admin(
        app,
        name=app.config.get("JUZHU_SITE_NAME", "居住证管理平台"),
        url="/admin",
        theme=Bootstrap4Theme(base_template="juzhu/admin_base.html", fluid=True),
        index_view=DashboardView(name="首页", url="/admin"),
        translations_path=str(TRANSLATIONS),  # fills gaps in Flask-Admin's zh_Hans_CN .mo
        csp_nonce_generator=csp_nonce,  # the nonce of the response's CSP header
    )
    for _plugin, view in hooks.admin_views(app):
        admin.add_view(view)
    return admin
