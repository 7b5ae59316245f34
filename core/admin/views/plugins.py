"""插件: which plugins this site runs — for the county admin who enables them and the
auditor who checks what decided a citizen's answer (the same facts as `juzhu plugins`)."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_admin import expose
from sqlalchemy import select

from core.admin.base import SecureView
from core.db import db
from core.models import OrgUnit
from core.plugin_info import describe
from core.plugins import installed_entry_points


class PluginsView(SecureView):
    roles = frozenset({"county_admin", "auditor"})

    @expose("/")
    def index(self) -> Any:
        state = current_app.extensions["juzhu"]
        plugins = describe(current_app)
        org_names = dict(db.session.execute(select(OrgUnit.code, OrgUnit.name)).all())
        titles = {code: ent.title for code, (_plugin, ent) in state.entitlements.items()}
        # Installed is not enabled (JUZHU_PLUGINS / JUZHU_DISABLE_PLUGINS): say which are off.
        running = {p["name"] for p in plugins}
        idle = sorted(set(installed_entry_points()) - running)
        return self.render("juzhu/plugins.html", plugins=plugins, org_names=org_names,
                           entitlement_titles=titles, parameters=state.parameters, idle=idle)
