"""The 住房保障 menu of the admin site: 住房情况, 公租房申请, 参数, 权益说明.

The county admin and the department's own clerks open it (``api.DepartmentModelView``); every
other role, and a clerk of another department, gets 403. Create and edit forms hand their
facts to :mod:`.services` (the same functions as the API), which validate, write and audit;
the view commits once, or shows the service's Chinese refusal beside the field it names.
"""

from __future__ import annotations

from typing import Any

from flask_admin.form import BaseForm
from wtforms import DecimalField, IntegerField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from core import api

from . import DEPARTMENT, TITLE, services
from .models import STATUSES, HousingApplication, HousingFacts
from .rules import reason_names

TRI = {"": "未登记", "yes": "有", "no": "无"}
WORK = {"": "未登记", "yes": "在业", "no": "未就业"}


def _tri(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


def _show(names: dict[str, str]) -> Any:
    """A yes/no/unknown column in Chinese."""
    def fmt(view: Any, context: Any, model: Any, name: str) -> str:
        value = getattr(model, name)
        return names["" if value is None else ("yes" if value else "no")]
    return fmt


def _amount(unit: str) -> Any:
    def fmt(view: Any, context: Any, model: Any, name: str) -> str:
        value = getattr(model, name)
        return "未登记" if value is None else f"{value}{unit}"
    return fmt


def _choices(names: dict[str, str]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in names.items()]


class ServiceView(api.DepartmentServiceView):
    """A 住房保障 view whose create (and edit) forms go through the services."""

    department = DEPARTMENT
    category = TITLE
    endpoint_prefix = "housing"


# -- 住房情况 ----------------------------------------------------------------------------------

class FactsForm(BaseForm):
    holder_id_number = api.HolderIdNumberField(
        "公民身份号码", validators=[DataRequired("请填写公民身份号码"), Length(max=18)])
    recorded_on = api.DateField("登记日期", default=api.today,
                                validators=[InputRequired("请填写登记日期")],
                                description="自该日起掌握的情况；更正请另登记一条")
    owns_housing_in_county = SelectField("在本县是否有住房", choices=_choices(TRI), default="")
    housing_area_sqm = DecimalField("人均住房建筑面积（平方米）", places=2, validators=[Optional()],
                                    description="在本县有住房时填写")
    insurance_months = IntegerField("在本县缴纳社会保险月数", validators=[Optional()])
    employed = SelectField("就业情况", choices=_choices(WORK), default="")
    monthly_income = DecimalField("家庭人均月收入（元）", places=2, validators=[Optional()])


FACT_LABELS = {
    "holder.name": "姓名", "holder.id_number": "公民身份号码", "recorded_on": "登记日期",
    "owns_housing_in_county": "在本县是否有住房", "housing_area_sqm": "人均住房建筑面积",
    "insurance_months": "在本县缴纳社会保险月数", "employed": "就业情况",
    "monthly_income": "家庭人均月收入", "recorded_by": "登记人", "created_at": "录入时间",
}


class FactsView(ServiceView):
    """住房情况: the dated history; a correction is a new row (no edit, no delete)."""

    column_list = ["holder.name", "holder.id_number", "recorded_on", "owns_housing_in_county",
                   "housing_area_sqm", "insurance_months", "employed", "monthly_income",
                   "recorded_by"]
    column_labels = FACT_LABELS
    column_searchable_list = ["holder.name", "holder.id_number"]
    column_filters = ["recorded_on"]
    column_sortable_list = ["recorded_on"]
    column_formatters = {
        "owns_housing_in_county": _show(TRI), "employed": _show(WORK),
        "housing_area_sqm": _amount("平方米"), "monthly_income": _amount("元"),
        "insurance_months": _amount("个月"),
    }
    create_form_class = FactsForm

    def create_by_service(self, session: Any, form: Any) -> Any:
        holder = services.find_holder(session, form.holder_id_number.data)
        return services.record_facts(
            session, holder=holder, recorded_on=form.recorded_on.data,
            owns_housing_in_county=_tri(form.owns_housing_in_county.data),
            housing_area_sqm=form.housing_area_sqm.data,
            insurance_months=form.insurance_months.data, employed=_tri(form.employed.data),
            monthly_income=form.monthly_income.data, actor=self.actor())


# -- 公租房申请 --------------------------------------------------------------------------------

class ApplicationForm(BaseForm):
    holder_id_number = api.HolderIdNumberField(
        "公民身份号码", validators=[DataRequired("请填写公民身份号码"), Length(max=18)])
    applied_on = api.DateField("申请日期", default=api.today, validators=[InputRequired("请填写申请日期")])
    household_size = IntegerField("家庭人口数", validators=[InputRequired("请填写家庭人口数")])
    note = StringField("备注", validators=[Optional(), Length(max=255)])


class DecisionForm(BaseForm):
    status = SelectField("办理状态", choices=_choices(STATUSES))
    decided_on = api.DateField("决定日期", validators=[Optional()],
                               description="轮候、已配租、不予配租时填写")
    note = StringField("备注", validators=[Optional(), Length(max=255)])


APPLICATION_LABELS = {
    "id": "编号", "holder.name": "姓名", "holder.id_number": "公民身份号码", "applied_on": "申请日期",
    "household_size": "家庭人口数", "status": "办理状态", "decided_on": "决定日期",
    "eligible": "申请日是否符合条件", "failed_reasons": "未满足的条件", "note": "备注",
    "recorded_by": "受理人", "created_at": "录入时间",
}


class ApplicationView(ServiceView):
    """公租房申请: accepted with the 第十八条（四） decision of the day; then moved on."""

    column_list = ["id", "holder.name", "holder.id_number", "applied_on", "household_size",
                   "status", "decided_on", "eligible", "failed_reasons", "note"]
    column_labels = APPLICATION_LABELS
    column_searchable_list = ["holder.name", "holder.id_number"]
    column_filters = ["status", "applied_on", "eligible"]
    column_choices = {"status": list(STATUSES.items())}
    column_sortable_list = ["id", "applied_on", "status"]
    column_formatters = {
        "status": lambda v, c, m, n: STATUSES.get(m.status, m.status),
        "eligible": lambda v, c, m, n: "符合" if m.eligible else "不符合",
        "failed_reasons": lambda v, c, m, n: reason_names(m.failed_reasons) or "—",
    }
    create_form_class = ApplicationForm
    edit_form_class = DecisionForm

    def create_by_service(self, session: Any, form: Any) -> Any:
        holder = services.find_holder(session, form.holder_id_number.data)
        row, _decision = services.create_application(
            session, holder=holder, applied_on=form.applied_on.data,
            household_size=form.household_size.data, note=form.note.data, actor=self.actor())
        return row

    def update_by_service(self, session: Any, form: Any, model: HousingApplication) -> Any:
        return services.update_application(session, model, status=form.status.data,
                                           decided_on=form.decided_on.data,
                                           note=form.note.data, actor=self.actor())


def views() -> list[Any]:
    return [
        FactsView(HousingFacts, "住房情况", "facts"),
        ApplicationView(HousingApplication, "公租房申请", "applications"),
        api.parameter_view(plugin="housing", category=TITLE, department=DEPARTMENT),
        api.explanation_view(plugin="housing", category=TITLE, department=DEPARTMENT),
    ]
