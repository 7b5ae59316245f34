"""持证人 (《办法》第四条): search by name and ID number; masked for non-police roles."""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from wtforms import ValidationError

from core.admin.base import SecureModelView, current_role
from core.auth import ROLES
from core.clock import today
from core.holders import HolderFacts, validate
from core.models import ETHNICITIES
from core.models.holder import SEXES
from core.rules import RuleError, mask_id_number, mask_phone

LABELS = {
    "name": "姓名", "sex": "性别", "ethnicity": "民族", "birth_date": "出生日期",
    "id_number": "公民身份号码", "photo": "相片", "hukou_address": "常住户口所在地住址",
    "hukou_division_code": "户籍区划代码", "phone": "联系电话", "created_at": "录入时间",
    "residences": "居住地",
}


def sees_personal_data() -> bool:
    spec = ROLES.get(current_user.role) if current_user.is_authenticated else None
    return bool(spec and spec.sees_personal_data)


def _masked(field: str, masker: Any) -> Any:
    def fmt(view: Any, context: Any, model: Any, name: str) -> str:
        value = getattr(model, field)
        return value if sees_personal_data() else masker(value)
    return fmt


class HolderView(SecureModelView):
    roles = frozenset({"county_admin", "station_clerk", "police_officer", "dept_clerk", "auditor"})
    write_roles = frozenset({"county_admin", "station_clerk"})

    @property  # type: ignore[override]
    def can_edit(self) -> bool:
        # A station clerk registers new holders; a holder's recorded facts then change only
        # through 变更 (POST /permits/{n}/changes at the issuing station: audited, a new card).
        # A free edit here would bypass it; the county admin keeps an audited correction.
        return current_role() == "county_admin"

    column_list = ["name", "sex", "ethnicity", "birth_date", "id_number", "phone",
                   "hukou_division_code"]
    column_details_list = column_list + ["hukou_address", "created_at"]
    column_labels = LABELS
    column_searchable_list = ["name", "id_number"]
    column_filters = ["sex", "ethnicity", "birth_date"]
    column_default_sort = ("id", True)
    form_columns = ["name", "sex", "ethnicity", "birth_date", "id_number", "hukou_address",
                    "hukou_division_code", "phone"]
    form_choices = {"sex": list(SEXES.items()), "ethnicity": [(e, e) for e in ETHNICITIES]}
    column_formatters = {
        "sex": lambda v, c, m, n: SEXES.get(m.sex, m.sex),
        "id_number": _masked("id_number", mask_id_number),
        "phone": _masked("phone", mask_phone),
    }
    column_formatters_detail = column_formatters
    column_formatters_export = column_formatters

    def on_model_change(self, form: Any, model: Any, is_created: bool) -> None:
        try:
            facts = validate(HolderFacts(
                model.name, model.sex, model.ethnicity, model.birth_date, model.id_number,
                model.hukou_address, model.hukou_division_code, model.phone), today())
        except RuleError as err:
            field = getattr(form, err.field, None)
            if field is not None:
                field.errors = list(field.errors) + [err.message]
            raise ValidationError(err.message) from None
        for key, value in facts.__dict__.items():
            setattr(model, key, value)
        super().on_model_change(form, model, is_created)


