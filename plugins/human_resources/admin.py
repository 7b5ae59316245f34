"""The 人力资源和社会保障 menu of the admin site: 就业登记, 培训与就业服务, 参数, 权益说明.

Only the county admin and this department's clerks open these views (DepartmentModelView);
the create (and, for employment, edit) forms hand their facts to the same services as the API,
which validate, write and audit; a refusal is shown beside the field it names.
"""

from __future__ import annotations

from typing import Any

from flask_admin.form import BaseForm
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from core import api

from . import DEPARTMENT, TITLE, services
from .models import Employment, Training
from .rules import B18_2, B18_7, TRAINING_KINDS

PLUGIN = "human_resources"


class ServiceView(api.DepartmentServiceView):
    """A department view whose writes go through a service; the view commits once."""

    department = DEPARTMENT
    category = TITLE
    endpoint_prefix = PLUGIN


def _holder_name(view: Any, context: Any, model: Any, name: str) -> str:
    return model.holder.name if model.holder else ""


def _holder_id_number(view: Any, context: Any, model: Any, name: str) -> str:
    return model.holder.id_number if model.holder else ""


def _recorded_by(view: Any, context: Any, model: Any, name: str) -> str:
    return model.recorded_by.username if model.recorded_by else ""


# -- 就业登记 -------------------------------------------------------------------------------------

class EmploymentCreateForm(BaseForm):
    holder_id_number = api.HolderIdNumberField(
        "公民身份号码", validators=[DataRequired("请填写公民身份号码"), Length(max=18)])
    employer = StringField("用人单位", validators=[DataRequired("请填写用人单位"), Length(max=100)])
    credit_code = StringField("统一社会信用代码", validators=[Optional(), Length(max=18)],
                              description="18位，可不填")
    started_on = api.DateField("开始日期", validators=[InputRequired("请填写开始日期")])
    ended_on = api.DateField("结束日期", validators=[Optional()], description="最后在职日；在职中不填")
    insured = BooleanField("用人单位为其缴纳社会保险")


class EmploymentEditForm(BaseForm):
    ended_on = api.DateField("结束日期", validators=[Optional()], description="最后在职日；在职中不填")
    insured = BooleanField("用人单位为其缴纳社会保险")


class EmploymentView(ServiceView):
    """就业登记 (第十八条（二）): an employment ends or its insurance changes by an edit."""

    column_list = ["holder.name", "holder.id_number", "employer", "credit_code", "started_on",
                   "ended_on", "insured", "recorded_by"]
    column_labels = {"holder.name": "姓名", "holder.id_number": "公民身份号码",
                     "employer": "用人单位", "credit_code": "统一社会信用代码",
                     "started_on": "开始日期", "ended_on": "结束日期", "insured": "社会保险",
                     "recorded_by": "登记人", "created_at": "录入时间"}
    column_searchable_list = ["employer", "holder.name", "holder.id_number"]
    column_search_kinds = {"employer": "prefix"}  # a full ID number, or the start of a name
    column_filters = ["started_on", "ended_on", "insured"]
    column_formatters = {
        "holder.name": _holder_name,
        "holder.id_number": _holder_id_number,
        "ended_on": lambda v, c, m, n: m.ended_on.isoformat() if m.ended_on else "在职",
        "insured": lambda v, c, m, n: "用人单位缴纳" if m.insured else "未缴纳",
        "recorded_by": _recorded_by,
    }
    create_form_class = EmploymentCreateForm
    edit_form_class = EmploymentEditForm

    def create_by_service(self, session: Any, form: Any) -> Any:
        holder = services.holder_by_id_number(session, form.holder_id_number.data, B18_2)
        return services.record_employment(
            session, holder=holder, employer=form.employer.data,
            credit_code=form.credit_code.data, started_on=form.started_on.data,
            ended_on=form.ended_on.data, insured=bool(form.insured.data), actor=self.actor())

    def update_by_service(self, session: Any, form: Any, model: Any) -> Any:
        return services.update_employment(session, model, ended_on=form.ended_on.data,
                                          insured=bool(form.insured.data), actor=self.actor())


# -- 培训与就业服务 -------------------------------------------------------------------------------

class TrainingForm(BaseForm):
    holder_id_number = api.HolderIdNumberField(
        "公民身份号码", validators=[DataRequired("请填写公民身份号码"), Length(max=18)])
    kind = SelectField("类别", choices=list(TRAINING_KINDS.items()),
                       validators=[InputRequired("请选择类别")])
    on = api.DateField("日期", default=api.today, validators=[InputRequired("请填写日期")],
                       description="培训或服务的日期，默认今天")
    provider = StringField("提供机构", validators=[DataRequired("请填写提供机构"), Length(max=100)])
    note = StringField("备注", validators=[Optional(), Length(max=255)])


class TrainingView(ServiceView):
    """培训与就业服务 (第十八条（七）（八）): a register; records are added, not edited."""

    column_list = ["holder.name", "holder.id_number", "kind", "on", "provider", "note",
                   "recorded_by"]
    column_labels = {"holder.name": "姓名", "holder.id_number": "公民身份号码", "kind": "类别",
                     "on": "日期", "provider": "提供机构", "note": "备注", "recorded_by": "登记人",
                     "created_at": "录入时间"}
    column_searchable_list = ["provider", "holder.name", "holder.id_number"]
    column_search_kinds = {"provider": "prefix"}  # a full ID number, or the start of a name
    column_filters = ["kind", "on"]
    column_choices = {"kind": list(TRAINING_KINDS.items())}
    column_formatters = {
        "holder.name": _holder_name,
        "holder.id_number": _holder_id_number,
        "kind": lambda v, c, m, n: TRAINING_KINDS.get(m.kind, m.kind),
        "recorded_by": _recorded_by,
    }
    create_form_class = TrainingForm  # no edit form: records are added, not edited

    def create_by_service(self, session: Any, form: Any) -> Any:
        holder = services.holder_by_id_number(session, form.holder_id_number.data, B18_7)
        return services.record_training(
            session, holder=holder, kind=form.kind.data, on=form.on.data,
            provider=form.provider.data, note=form.note.data, actor=self.actor())


def views() -> list[Any]:
    return [
        EmploymentView(Employment, "就业登记", "employment"),
        TrainingView(Training, "培训与就业服务", "training"),
        api.parameter_view(plugin=PLUGIN, category=TITLE, department=DEPARTMENT),
        api.explanation_view(plugin=PLUGIN, category=TITLE, department=DEPARTMENT),
    ]
