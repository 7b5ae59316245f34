"""API 令牌: hashed, expiring; the county admin revokes them here."""

from __future__ import annotations

from flask import flash
from flask_admin.actions import action
from flask_login import current_user

from core import audit
from core.admin.base import SecureModelView
from core.clock import utcnow
from core.models import ApiToken


class ApiTokenView(SecureModelView):
    roles = frozenset({"county_admin"})
    write_roles = frozenset()
    column_list = ["user", "prefix", "created_at", "expires_at", "revoked_at", "last_used_at"]
    column_labels = {"user": "用户", "prefix": "令牌前缀", "created_at": "创建时间",
                     "expires_at": "到期时间", "revoked_at": "撤销时间", "last_used_at": "最近使用"}

    @action("revoke", "撤销", "确定撤销所选令牌？")
    def action_revoke(self, ids: list[str]) -> None:
        now = utcnow()
        rows = self.db_session.query(ApiToken).filter(ApiToken.id.in_([int(i) for i in ids]),
                                                  ApiToken.revoked_at.is_(None)).all()
        for row in rows:
            row.revoked_at = now
            audit.record(self.db_session, action="token.revoke", entity="api_token",
                         entity_id=row.id, actor=current_user._get_current_object(),
                         new={"prefix": row.prefix})
        self.db_session.commit()
        flash(f"已撤销 {len(rows)} 个令牌", "success")
