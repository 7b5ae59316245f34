"""The 教育 menu: 随迁子女, 入学资格名单, 参数, 权益说明.

Only the county admin and the education department's clerks open these views
(api.DepartmentModelView / api.DepartmentView: another department's clerk, a station clerk or
the auditor gets 403). The create form hands its facts to services.add_child — the same
function as the API — and shows its Chinese refusal beside the field it names.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from flask import flash, request
from flask_admin.form import BaseForm
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectField, StringField
from wtforms.validators import InputRequired, Length

from core import api

from . import DEPARTMENT, TITLE, entitlements, rules, services
from .models import Child
from .parameters import SCHOOL_YEAR_CUTOFF, ValuesOn

#: rows the enrolment page shows at most (the API returns all)
LIMIT = 1000


def _holder_text(view: Any, context: Any, model: Any, name: str) -> str:
    holder = model.holder
    if holder is None:
        return ""
    return f"{holder.name}（{api.rules.mask_id_number(holder.id_number)}）"


def _chosen(names: dict[str, str], attr: str) -> Any:
    def fmt(view: Any, context: Any, model: Any, name: str) -> str:
        value = getattr(model, attr)
        return names.get(value, value or "")
    return fmt


def _age_today(view: Any, context: Any, model: Any, name: str) -> str:
    today = api.today()
    if model.birth_date is None or model.birth_date > today:
        return ""
    return f"{api.rules.age_on(model.birth_date, today)}周岁"


class ChildForm(BaseForm):
    holder_id_number = api.HolderIdNumberField(
        "持证人公民身份号码", validators=[InputRequired("请填写持证人（父母或监护人）的公民身份号码"),
                                 Length(max=40)],
        description="随迁子女的父母或监护人，须已录入持证人信息")
    name = StringField("子女姓名", validators=[InputRequired("请填写子女姓名"), Length(max=100)])
    sex = SelectField("子女性别", choices=list(rules.SEXES.items()),
                      validators=[InputRequired("请选择性别")])
    birth_date = api.DateField("子女出生日期", validators=[InputRequired("请填写子女出生日期")])
    id_number = StringField("子女公民身份号码",
                            validators=[InputRequired("请填写子女公民身份号码"), Length(max=40)])
    relation = SelectField("与持证人关系", choices=list(rules.RELATIONS.items()),
                           validators=[InputRequired("请选择与持证人关系")])


class ChildView(api.DepartmentServiceView):
    """随迁子女: every child registered for 第十八条（三）; created through the service.
    No edit form: a wrong row is refused at entry; facts are not rewritten afterwards."""

    department = DEPARTMENT
    category = TITLE
    endpoint_prefix = "education"
    column_list = ["holder", "name", "sex", "birth_date", "age", "id_number", "relation",
                   "created_at"]
    column_labels = {"holder": "持证人（父母或监护人）", "name": "子女姓名", "sex": "性别",
                     "birth_date": "出生日期", "age": "今日周岁", "id_number": "公民身份号码",
                     "relation": "与持证人关系", "created_at": "登记时间",
                     "holder_id_number": "持证人公民身份号码"}
    column_searchable_list = ["name", "id_number"]
    column_filters = ["birth_date"]
    column_sortable_list = ["name", "birth_date", "created_at"]
    column_formatters = {"holder": _holder_text, "sex": _chosen(rules.SEXES, "sex"),
                         "relation": _chosen(rules.RELATIONS, "relation"), "age": _age_today}
    create_form_class = ChildForm
    #: a service's field name → the form field that shows its refusal
    field_aliases = {"holder": "holder_id_number"}
    fallback_field = "id_number"

    def create_by_service(self, session: Any, form: Any) -> Any:
        holder = self._holder(session, form.holder_id_number.data)
        return services.add_child(
            session, holder=holder, name=form.name.data, sex=form.sex.data,
            birth_date=form.birth_date.data, id_number=form.id_number.data,
            relation=form.relation.data, actor=self.actor(), today=api.today())

    @staticmethod
    def _holder(session: Any, raw: str | None) -> Any:
        try:
            number = api.rules.parse_id_number(raw or "").number
        except api.RuleError as err:
            raise api.RuleError("holder", err.code, f"持证人{err.message}", err.basis) from None
        holder = session.scalar(select(api.Holder).where(api.Holder.id_number == number))
        if holder is None:
            raise api.RuleError("holder", "holder_not_found",
                                "持证人公民身份号码：未找到该持证人，请先由公安机关录入持证人信息"
                                f"（{rules.B183}）", rules.B183)
        return holder


class EnrolmentView(api.DepartmentView):
    """入学资格名单: the same list as GET /api/v1/education/enrolment, by school year."""

    department = DEPARTMENT

    def __init__(self) -> None:
        super().__init__(name="入学资格名单", category=TITLE, endpoint="education_enrolment")

    @api.expose("/")
    def index(self) -> Any:
        session = api.db.session
        today = api.today()
        current = rules.school_year(today, ValuesOn(session, today)(SCHOOL_YEAR_CUTOFF))
        year = current
        raw = request.args.get("school_year", "")
        if raw:
            try:
                year = int(raw)
                if not 2016 <= year <= 2100:
                    raise ValueError
            except ValueError:
                flash("学年应为2016至2100之间的年份，已按本学年列出。", "error")
                year = current
        stage = request.args.get("stage", "all")
        if stage not in entitlements.STAGE_CHOICES:
            stage = "all"
        result = entitlements.enrolment(session, year, stage, limit=LIMIT)
        if not api.sees_personal_data(current_user.role):  # the clerk sees them masked
            result = dataclasses.replace(result, rows=[
                dataclasses.replace(r, id_number=api.rules.mask_id_number(r.id_number))
                for r in result.rows])
        years = sorted({*range(max(2016, current - 3), current + 2), year})
        return self.render(
            "education/enrolment.html", result=result, years=years, year=year, stage=stage,
            stages={"all": "全部", **rules.STAGES}, stage_names=rules.STAGES,
            sexes=rules.SEXES, relations=rules.RELATIONS, capped=len(result.rows) >= LIMIT,
            label=rules.school_year_label, zh_date=api.zh_date)


def views() -> list[Any]:
    return [
        ChildView(Child, "随迁子女", "children"),
        EnrolmentView(),
        api.parameter_view(plugin="education", category=TITLE, department=DEPARTMENT),
        api.explanation_view(plugin="education", category=TITLE, department=DEPARTMENT),
    ]
