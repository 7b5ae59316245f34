"""审计日志: read-only; nobody edits or deletes history, not even the county admin."""

from __future__ import annotations

from core.admin.base import SecureModelView


class AuditEventView(SecureModelView):
    roles = frozenset({"county_admin", "auditor"})
    write_roles = frozenset()
    can_view_details = True
    column_list = ["seq", "at", "actor", "org", "action", "entity", "entity_id"]
    column_details_list = ["county_code", "seq", "at", "actor", "org", "action", "entity",
                           "entity_id", "old", "new", "prev_hash", "key_id", "seal"]
    column_labels = {"county_code": "县", "seq": "序号", "at": "时间（UTC）", "actor": "操作人",
                     "org": "单位", "action": "动作", "entity": "对象", "entity_id": "对象编号",
                     "old": "原值", "new": "新值", "prev_hash": "前一封印", "key_id": "密钥",
                     "seal": "封印"}
    column_searchable_list = ["actor", "action", "entity_id"]
    # indexed (core_0005): an actor or an object id exactly, an action by its start
    column_search_kinds = {"actor": "exact", "action": "prefix", "entity_id": "exact"}
    column_filters = ["action", "entity", "actor", "at"]
    column_default_sort = ("id", True)
