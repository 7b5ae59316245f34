"""用户: accounts, one role each, bound to an org as DESIGN §5 says."""

from __future__ import annotations

import uuid
from typing import Any

from flask_security import hash_password
from wtforms import PasswordField, SelectField, ValidationError

from core.admin.base import SecureModelView
from core.auth import ROLES, ensure_roles
from core.models import Role


class UserView(SecureModelView):
    roles = frozenset({"county_admin"})
    write_roles = frozenset({"county_admin"})
    column_list = ["username", "roles", "org", "active", "created_at"]
    column_labels = {"username": "用户名", "roles": "角色", "org": "所属单位", "active": "启用",
                     "created_at": "创建时间", "new_password": "新密码", "role_name": "角色"}
    column_searchable_list = ["username"]
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
