"""The 民政 menu of the admin site: 选举, 参选申请, 参数, 权益说明.

Only the county admin and 民政's clerks open these views. Create forms (and the meeting's
decision on an application, an edit) call the same services as the API, which validate,
write and audit; a refusal is shown beside the field it names.
"""

from __future__ import annotations

from typing import Any

from flask import request
from flask_admin.form import BaseForm
from markupsafe import Markup
from sqlalchemy import select
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from core import api

from . import DEPARTMENT, TITLE, services
from .models import Election, VoterApplication
from .rules import KINDS

PLUGIN = "civil_affairs"
DECISIONS = {"": "待村民会议（村民代表会议）决定", "yes": "同意", "no": "不同意"}
ELECTION_CHOICES_CAP = 200


class ServiceView(api.DepartmentServiceView):
    """A 民政 view whose writes go through a service; the view commits once."""

    department = DEPARTMENT
    category = TITLE
    endpoint_prefix = PLUGIN
    field_aliases: dict[str, str] = {"holder_id": "holder_id_number", "election_id": "election"}


# -- 选举 ---------------------------------------------------------------------------------------

class ElectionForm(BaseForm):
    name = StringField("选举名称", validators=[DataRequired("请填写选举名称"), Length(max=100)])
    kind = SelectField("选举类别", choices=list(KINDS.items()), validators=[InputRequired("请选择类别")])
    division_code = StringField("区划代码", description="村（社区）的12位统计用区划代码",
                                validators=[DataRequired("请填写区划代码"), Length(max=12)])
    held_on = api.DateField("选举日", validators=[InputRequired("请填写选举日")])
    registration_closes_on = api.DateField("报名截止日期", validators=[InputRequired("请填写报名截止日期")])


def _township(view: Any, context: Any, model: Any, name: str) -> str:
    township = api.profile().divisions.township_of(model.division_code)
    return f"{model.division_code}（{township.name}）" if township else model.division_code


class ElectionView(ServiceView):
    """选举: entered once; the dates are not edited (applications were judged on them)."""

    column_list = ["name", "kind", "division_code", "held_on", "registration_closes_on",
                   "applications", "voters"]
    column_labels = {"name": "选举名称", "kind": "选举类别", "division_code": "区划代码",
                     "held_on": "选举日", "registration_closes_on": "报名截止日期",
                     "applications": "参选申请", "voters": "列入名单", "created_at": "录入时间"}
    column_searchable_list = ["name", "division_code"]
    column_search_kinds = {"name": "contains", "division_code": "prefix"}  # a small table
    column_filters = ["held_on", "kind"]
    column_choices = {"kind": list(KINDS.items())}
    column_sortable_list = ["name", "held_on", "registration_closes_on"]
    column_formatters = {
        "kind": lambda v, c, m, n: KINDS.get(m.kind, m.kind),
        "division_code": _township,
        "applications": lambda v, c, m, n: len(m.applications),
        "voters": lambda v, c, m, n: sum(1 for a in m.applications if a.approved and a.eligible),
    }
    create_form_class = ElectionForm  # no edit form: the dates are not edited

    def create_by_service(self, session: Any, form: Any) -> Any:
        return services.create_election(
            session, name=form.name.data, division_code=form.division_code.data,
            kind=form.kind.data, held_on=form.held_on.data,
            registration_closes_on=form.registration_closes_on.data, actor=self.actor())


# -- 参选申请 -------------------------------------------------------------------------------------

class ApplicationForm(BaseForm):
    election = SelectField("选举", coerce=int, validators=[InputRequired("请选择选举")])
    holder_id_number = api.HolderIdNumberField(
        "公民身份号码", validators=[DataRequired("请填写公民身份号码"), Length(max=18)])
    applied_on = api.DateField("申请日期", default=api.today,
                               validators=[InputRequired("请填写申请日期")])
    note = StringField("备注", validators=[Optional(), Length(max=255)])


class DecisionForm(BaseForm):
    decision = SelectField("村民会议（村民代表会议）决定", choices=list(DECISIONS.items()))
    approved_on = api.DateField("决定日期", validators=[Optional()])


def _reasons(view: Any, context: Any, model: Any, name: str) -> Markup:
    items = Markup("").join(
        Markup("<li>{}{}（{}）</li>").format("✓ " if r["passed"] else "✗ ", r["text"], r["basis"])
        for r in model.reasons or [])
    return Markup("<ul class=\"list-unstyled mb-0\">{}</ul>").format(items)


def _decision(view: Any, context: Any, model: Any, name: str) -> str:
    if model.approved is None:
        return "待定"
    return "同意" if model.approved else "不同意"


class ApplicationView(ServiceView):
    """参选申请: the decision on the election day is stored; the meeting's decision is an
    edit. Only approved AND eligible applicants are on the list of voters."""

    column_list = ["election.name", "holder.name", "holder.id_number", "applied_on", "eligible",
                   "approved", "approved_on", "listed"]
    column_details_list = ["election.name", "holder.name", "holder.id_number", "applied_on",
                           "eligible", "reasons", "approved", "approved_on", "listed", "note",
                           "created_at"]
    column_labels = {"election.name": "选举", "holder.name": "姓名",
                     "holder.id_number": "公民身份号码", "applied_on": "申请日期",
                     "eligible": "选举日是否符合条件", "reasons": "判断理由", "approved": "会议决定",
                     "approved_on": "决定日期", "listed": "列入选民名单", "note": "备注",
                     "created_at": "录入时间"}
    column_searchable_list = ["holder.name", "holder.id_number"]
    column_filters = ["applied_on", "eligible", "approved"]
    column_formatters = {
        "election.name": lambda v, c, m, n: m.election.name,
        "holder.name": lambda v, c, m, n: m.holder.name,
        "holder.id_number": lambda v, c, m, n: m.holder.id_number,
        "eligible": lambda v, c, m, n: "符合" if m.eligible else "不符合",
        "approved": _decision,
        "listed": lambda v, c, m, n: "是" if m.approved and m.eligible else "否",
        "reasons": _reasons,
    }
    create_form_class = ApplicationForm
    edit_form_class = DecisionForm

    def create_form(self, obj: Any = None) -> Any:
        form = super().create_form(obj)
        form.election.choices = [
            (e.id, f"{e.name}（选举日{e.held_on.isoformat()}，"
                   f"报名截止{e.registration_closes_on.isoformat()}）")
            for e in api.db.session.scalars(
                select(Election).order_by(Election.held_on.desc()).limit(ELECTION_CHOICES_CAP))]
        return form

    def edit_form(self, obj: Any = None) -> Any:
        form = super().edit_form(obj)
        if request.method != "POST" and obj is not None:
            form.decision.data = "" if obj.approved is None else ("yes" if obj.approved else "no")
        return form

    def create_by_service(self, session: Any, form: Any) -> Any:
        election = session.get(Election, form.election.data)
        if election is None:
            raise api.RuleError("election", "election_not_found", "选举：请选择已登记的选举",
                                "《村民委员会组织法》第十三条")
        holder = services.holder_by_id_number(session, form.holder_id_number.data)
        application, _decision = services.apply(
            session, election=election, holder=holder, applied_on=form.applied_on.data,
            note=form.note.data, actor=self.actor())
        return application

    def update_by_service(self, session: Any, form: Any, model: Any) -> Any:
        approved = {"": None, "yes": True, "no": False}.get(form.decision.data)
        return services.decide(session, model, approved=approved,
                               approved_on=form.approved_on.data, actor=self.actor())


def views() -> list[Any]:
    return [
        ElectionView(Election, "选举", "elections"),
        ApplicationView(VoterApplication, "参选申请", "voter_applications"),
        api.parameter_view(plugin=PLUGIN, category=TITLE, department=DEPARTMENT),
        api.explanation_view(plugin=PLUGIN, category=TITLE, department=DEPARTMENT),
    ]
