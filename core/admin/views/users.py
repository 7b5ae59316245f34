"""用户: accounts, one role each, bound to an org as DESIGN §5 says."""

from __future__ import annotations

import uuid
from typing import Any

from flask import flash
from flask_admin.actions import action
from flask_login import current_user
from flask_security import hash_password
from markupsafe import Markup
from wtforms import PasswordField, SelectField, ValidationError

from core.admin.base import SecureModelView
from core.auth import ROLES, ensure_roles
from core.clock import utcnow
from core.login import unlock
from core.models import LoginThrottle, Role, User


def _lock_state(view: Any, context: Any, model: Any, name: str) -> Any:
    row = view.db_session.get(LoginThrottle, model.username.lower())
    if row is not None and row.locked_until is not None and row.locked_until > utcnow():
        return Markup('<span class="text-danger">锁定至 {} (UTC)</span>').format(
            row.locked_until.strftime("%Y-%m-%d %H:%M"))
    if row is not None and row.failures:
        return f"近期失败 {row.failures} 次"
    return ""


class UserView(SecureModelView):
    roles = frozenset({"county_admin"})
    write_roles = frozenset({"county_admin"})
    column_list = ["username", "roles", "org", "active", "login_lock", "created_at"]
    column_formatters = {"login_lock": _lock_state}
    column_labels = {"username": "用户名", "roles": "角色", "org": "所属单位", "active": "启用",
                     "created_at": "创建时间", "login_lock": "登录锁定", "new_password": "新密码", "role_name": "角色"}
    column_searchable_list = ["username"]
    column_search_kinds = {"username": "contains"}  # a small table: any part of the name
    form_columns = ["username", "role_name", "org", "active", "new_password"]
    form_extra_fields = {
        "role_name": SelectField("角色", choices=[(r.name, r.title) for r in ROLES.values()]),
        "new_password": PasswordField("新密码（留空则不修改）"),
    }

    def on_form_prefill(self, form: Any, id: Any) -> None:
        user = self.get_one(id)
        if user is not None:
            form.role_name.data = user.role

    def on_model_change(self, form: Any, model: Any, is_created: bool) -> None:
        spec = ROLES[form.role_name.data]
        org = model.org
        if spec.org_required and org is None:
            raise ValidationError(f"{spec.title} 必须指定所属单位")
        if org is not None and org.kind not in spec.org_kinds:
            raise ValidationError(f"{spec.title} 不能隶属于 {org.name}")
        # Password and fs_uniquifier before the flush below: it inserts a new user, and
        # with them still unset every create failed (NOT NULL constraint on fs_uniquifier).
        if form.new_password.data:
            if len(form.new_password.data) < 8:
                raise ValidationError("密码至少 8 位")
            model.password = hash_password(form.new_password.data)
        elif is_created:
            raise ValidationError("新用户必须设置密码")
        if not model.fs_uniquifier:
            model.fs_uniquifier = uuid.uuid4().hex
        ensure_roles(self.db_session)
        self.db_session.flush()
        model.roles = [self.db_session.query(Role).filter_by(name=spec.name).one()]
        super().on_model_change(form, model, is_created)

    def redact(self, values: dict[str, Any]) -> dict[str, Any]:
        return {k: ("***" if k in ("password", "fs_uniquifier") else v) for k, v in values.items()}

    @action("unlock", "解锁登录", "确定解除所选用户的登录锁定？")
    def action_unlock(self, ids: list[str]) -> None:
        """Lift the lockout (issue 5) of the selected accounts; audited per account."""
        actor = current_user._get_current_object()
        accounts = self.db_session.query(User).filter(User.id.in_([int(i) for i in ids])).all()
        unlocked = [u.username for u in accounts if unlock(self.db_session, u, actor)]
        self.db_session.commit()
        flash(f"已解锁 {len(unlocked)} 个用户" + (f"：{'、'.join(unlocked)}" if unlocked else ""),
              "success")
