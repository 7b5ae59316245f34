"""The 司法行政 menu of the admin site: 经济状况, 法律援助申请, 参数, 权益说明.

The county admin and the department's own clerks open it (``api.DepartmentModelView``); every
other role, and a clerk of another department, gets 403. Create and edit forms hand their
facts to :mod:`.services` (the same functions as the API), which validate, write and audit;
the view commits once, or shows the service's Chinese refusal beside the field it names.
"""

from __future__ import annotations

from typing import Any

from flask_admin.form import BaseForm
from wtforms import DecimalField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from core import api

from . import DEPARTMENT, TITLE, services
from .models import STATUSES, JusticeAidApplication, JusticeMeans
from .rules import MATTERS


def _choices(names: dict[str, str]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in names.items()]


class ServiceView(api.DepartmentServiceView):
    """A 司法行政 view whose create (and edit) forms go through the services."""

    department = DEPARTMENT
    category = TITLE
    endpoint_prefix = "justice"


# -- 经济状况 ----------------------------------------------------------------------------------

class MeansForm(BaseForm):
    holder_id_number = api.HolderIdNumberField(
        "公民身份号码", validators=[DataRequired("请填写公民身份号码"), Length(max=18)])
    recorded_on = api.DateField("登记日期", default=api.today,
                                validators=[InputRequired("请填写登记日期")],
                                description="自该日起掌握的情况；更正请另登记一条")
    monthly_income_per_person = DecimalField("家庭人均月收入（元）", places=2,
                                             validators=[Optional()], description="不填为未登记")


class MeansView(ServiceView):
    """经济状况: the dated history; a correction is a new row (no edit, no delete)."""

    column_list = ["holder.name", "holder.id_number", "recorded_on", "monthly_income_per_person",
                   "recorded_by"]
    column_labels = {"holder.name": "姓名", "holder.id_number": "公民身份号码",
                     "recorded_on": "登记日期", "monthly_income_per_person": "家庭人均月收入",
                     "recorded_by": "登记人", "created_at": "录入时间"}
    column_searchable_list = ["holder.name", "holder.id_number"]
    column_filters = ["recorded_on"]
    column_sortable_list = ["recorded_on"]
    column_formatters = {
        "monthly_income_per_person": lambda v, c, m, n: "未登记"
        if m.monthly_income_per_person is None else f"{m.monthly_income_per_person}元",
    }
    create_form_class = MeansForm

    def create_by_service(self, session: Any, form: Any) -> Any:
        holder = services.find_holder(session, form.holder_id_number.data)
        return services.record_means(session, holder=holder, recorded_on=form.recorded_on.data,
                                     monthly_income_per_person=form.monthly_income_per_person.data,
                                     actor=self.actor())


# -- 法律援助申请 ------------------------------------------------------------------------------

def _matter_choices() -> list[SelectChoice]:
    return [SelectChoice(code, f"{m.name}（{m.article}{'，免于经济困难审查' if m.exempt else ''}）")
            for code, m in MATTERS.items()]


class ApplicationForm(BaseForm):
    holder_id_number = api.HolderIdNumberField(
        "公民身份号码", validators=[DataRequired("请填写公民身份号码"), Length(max=18)])
    applied_on = api.DateField("申请日期", default=api.today, validators=[InputRequired("请填写申请日期")])
    matter = SelectField("申请事项", choices=_matter_choices())
    note = StringField("备注", validators=[Optional(), Length(max=255)])


class DecisionForm(BaseForm):
    status = SelectField("办理状态", choices=_choices(STATUSES))
    decided_on = api.DateField("决定日期", validators=[Optional()],
                               description="给予或不予法律援助时填写（受理后七日内审查决定）")
    note = StringField("备注", validators=[Optional(), Length(max=255)])


class ApplicationView(ServiceView):
    """法律援助申请: accepted with the decision of the day; then granted or refused."""

    column_list = ["id", "holder.name", "holder.id_number", "applied_on", "matter",
                   "means_test_exempt", "eligible", "status", "decided_on", "note"]
    column_labels = {
        "id": "编号", "holder.name": "姓名", "holder.id_number": "公民身份号码",
        "applied_on": "申请日期", "matter": "申请事项", "means_test_exempt": "经济困难审查",
        "eligible": "申请日是否符合条件", "status": "办理状态", "decided_on": "决定日期",
        "note": "备注", "recorded_by": "受理人", "created_at": "录入时间",
    }
    column_searchable_list = ["holder.name", "holder.id_number"]
    column_filters = ["status", "matter", "applied_on", "eligible"]
    column_choices = {"status": list(STATUSES.items()),
                      "matter": [(c, m.name) for c, m in MATTERS.items()]}
    column_sortable_list = ["id", "applied_on", "status"]
    column_formatters = {
        "matter": lambda v, c, m, n: MATTERS[m.matter].name if m.matter in MATTERS else m.matter,
        "means_test_exempt": lambda v, c, m, n: "免于审查（第三十二条）" if m.means_test_exempt
        else "须经济困难（第三十一条）",
        "eligible": lambda v, c, m, n: "符合" if m.eligible else "不符合",
        "status": lambda v, c, m, n: STATUSES.get(m.status, m.status),
    }
    create_form_class = ApplicationForm
    edit_form_class = DecisionForm

    def create_by_service(self, session: Any, form: Any) -> Any:
        holder = services.find_holder(session, form.holder_id_number.data)
        row, _decision = services.create_application(
            session, holder=holder, applied_on=form.applied_on.data, matter=form.matter.data,
            note=form.note.data, actor=self.actor())
        return row

    def update_by_service(self, session: Any, form: Any, model: JusticeAidApplication) -> Any:
        return services.update_application(session, model, status=form.status.data,
                                           decided_on=form.decided_on.data,
                                           note=form.note.data, actor=self.actor())


def views() -> list[Any]:
    return [
        MeansView(JusticeMeans, "经济状况", "means"),
        ApplicationView(JusticeAidApplication, "法律援助申请", "applications"),
        api.parameter_view(plugin="justice", category=TITLE, department=DEPARTMENT),
        api.explanation_view(plugin="justice", category=TITLE, department=DEPARTMENT),
    ]
