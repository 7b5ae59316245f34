"""Core admin views: holders, org units, users, tokens, official calendar days, audit log,
plugins."""

from __future__ import annotations

from flask import Flask

from core.admin.views.audit import AuditEventView
from core.admin.views.calendar import CalendarDayView
from core.admin.views.explanations import ExplanationView
from core.admin.views.holders import HolderView
from core.admin.views.orgs import OrgUnitView
from core.admin.views.plugins import PluginsView
from core.admin.views.tokens import ApiTokenView
from core.admin.views.users import UserView
from core.api import hookimpl
from core.models import ApiToken, AuditEvent, CalendarDay, Holder, OrgUnit, User


@hookimpl
def register_admin_views(app: Flask):  # type: ignore[no-untyped-def]
    return [
        HolderView(Holder, name="持证人", endpoint="holders"),
        ExplanationView(name="权益说明", endpoint="explanations"),
        CalendarDayView(CalendarDay, name="节假日安排", category="系统", endpoint="calendar_days"),
        OrgUnitView(OrgUnit, name="单位", category="系统", endpoint="org_units"),
        UserView(User, name="用户", category="系统", endpoint="users"),
        ApiTokenView(ApiToken, name="API 令牌", category="系统", endpoint="api_tokens"),
        AuditEventView(AuditEvent, name="审计日志", category="系统", endpoint="audit_events"),
        PluginsView(name="插件", category="系统", endpoint="plugins"),
    ]
