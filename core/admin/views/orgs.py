"""单位: the county profile's org units (seeded from the profile data file)."""

from __future__ import annotations

from core.admin.base import SecureModelView
from core.models import ORG_KINDS


class OrgUnitView(SecureModelView):
    roles = frozenset({"county_admin", "auditor"})
    write_roles = frozenset({"county_admin"})
    column_list = ["code", "name", "kind", "division_code", "county_code"]
    column_labels = {"code": "代码", "name": "名称", "kind": "类别", "division_code": "辖区区划代码",
                     "county_code": "县级区划代码"}
    column_searchable_list = ["code", "name"]
    column_search_kinds = {"code": "contains", "name": "contains"}  # a few dozen rows
    column_filters = ["kind"]
    form_columns = ["code", "name", "kind", "division_code", "county_code"]
    form_choices = {"kind": list(ORG_KINDS.items())}
    column_formatters = {"kind": lambda v, c, m, n: ORG_KINDS.get(m.kind, m.kind)}
