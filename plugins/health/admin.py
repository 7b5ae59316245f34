"""The 卫生健康 menu: 服务记录 and 权益说明.

No 参数 page: 第十八条（六） sets no threshold beyond a valid permit, so this department has no
dated parameter to show or change (docs/health.md). Only the county admin and the health
department's clerks open these views (api.DepartmentModelView / api.DepartmentView). The
create form hands its facts to services.record_service — the same function as the API — and
shows its Chinese refusal beside the field it names.
"""

from __future__ import annotations

from typing import Any

from flask import flash
from flask_admin.form import BaseForm
from sqlalchemy import select
from wtforms import SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional

from core import api

from . import DEPARTMENT, TITLE, rules, services
from .models import HealthService


def _holder_text(view: Any, context: Any, model: Any, name: str) -> str:
    holder = model.holder
    if holder is None:
        return ""
    return f"{holder.name}（{api.rules.mask_id_number(holder.id_number)}）"


def _service_name(view: Any, context: Any, model: Any, name: str) -> str:
    return rules.SERVICES.get(model.service, model.service)


def _free(view: Any, context: Any, model: Any, name: str) -> str:
    return "免费（服务日居住证有效）" if model.free else "不属免费服务（服务日无有效居住证）"


def _recorder(view: Any, context: Any, model: Any, name: str) -> str:
    return model.recorded_by.username if model.recorded_by is not None else ""


class ServiceForm(BaseForm):
    holder_id_number = api.HolderIdNumberField(
        "持证人公民身份号码", validators=[InputRequired("请填写持证人的公民身份号码"), Length(max=40)])
    service = SelectField("服务项目", choices=list(rules.SERVICES.items()),
                          validators=[InputRequired("请选择服务项目")])
    served_on = api.DateField("服务日期", default=api.today,
                              validators=[InputRequired("请填写服务日期")])
    provider = StringField("服务机构", validators=[InputRequired("请填写服务机构"), Length(max=100)],
                           description="例如丹凤街道社区卫生服务中心")
    note = StringField("备注", validators=[Optional(), Length(max=255)])


class ServiceLogView(api.DepartmentServiceView):
    """服务记录: basic public health and family-planning services given to holders. No edit
    form: ``free`` was decided on the facts of the day; a record is not rewritten."""

    department = DEPARTMENT
    category = TITLE
    endpoint_prefix = "health"
    column_list = ["served_on", "holder", "service", "provider", "free", "note", "recorded_by",
                   "created_at"]
    column_labels = {"served_on": "服务日期", "holder": "持证人", "service": "服务项目",
                     "provider": "服务机构", "free": "是否免费（第十八条（六））", "note": "备注",
                     "recorded_by": "登记人", "created_at": "登记时间",
                     "holder_id_number": "持证人公民身份号码"}
    column_searchable_list = ["provider"]
    column_search_kinds = {"provider": "prefix"}  # the start of the provider's name
    column_filters = ["served_on"]
    column_sortable_list = ["served_on", "provider", "created_at"]
    column_default_sort = [("served_on", True), ("id", True)]
    column_formatters = {"holder": _holder_text, "service": _service_name, "free": _free,
                         "recorded_by": _recorder}
    create_form_class = ServiceForm
    field_aliases = {"holder": "holder_id_number"}
    fallback_field = "service"

    def create_by_service(self, session: Any, form: Any) -> Any:
        """The row and the decision on its ``free`` (shown once saved)."""
        holder = self._holder(session, form.holder_id_number.data)
        return services.record_service(
            session, holder=holder, service=form.service.data, served_on=form.served_on.data,
            provider=form.provider.data, note=form.note.data, actor=self.actor(),
            today=api.today())

    def create_model(self, form: Any) -> Any:
        outcome = self._run(form, lambda session: self.create_by_service(session, form))
        if outcome is False:
            return False
        row, decision = outcome
        flash(("免费：" if row.free else "不属免费服务：") + decision.reasons[0].text,
              "success" if row.free else "warning")
        return row

    @staticmethod
    def _holder(session: Any, raw: str | None) -> Any:
        try:
            number = api.rules.parse_id_number(raw or "").number
        except api.RuleError as err:
            raise api.RuleError("holder", err.code, f"持证人{err.message}", err.basis) from None
        holder = session.scalar(select(api.Holder).where(api.Holder.id_number == number))
        if holder is None:
            raise api.RuleError("holder", "holder_not_found",
                                f"持证人公民身份号码：未找到该持证人（{rules.B186}）", rules.B186)
        return holder


def views() -> list[Any]:
    return [
        ServiceLogView(HealthService, "服务记录", "services"),
        api.explanation_view(plugin="health", category=TITLE, department=DEPARTMENT),
    ]
