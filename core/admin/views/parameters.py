"""参数: a department's dated parameters — every value with its start date and source — and
the form that adds a new value (DESIGN §4). History is never edited: a change is a new value
with a later start, entered no earlier than the day it starts (《立法法》第一百零四条)."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, request
from flask_login import current_user
from sqlalchemy import select
from wtforms import Form, SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional

from core.admin.base import DepartmentModelView
from core.admin.fields import DateField
from core.clock import today
from core.db import db
from core.models import ParameterValue
from core.parameters import ParameterError, ParameterStore, add_value


class ParameterValueForm(Form):
    name = SelectField("参数", validators=[InputRequired("请选择参数")])
    start_on = DateField("起始日期", validators=[Optional()],
                         description="新取值自该日起适用；不得早于录入当日")
    value = StringField("参数值", validators=[Optional(), Length(max=40)])
    source = StringField("来源", validators=[Optional(), Length(max=255)],
                         description="设定该取值的文件名称和文号")
    note = StringField("备注", validators=[Optional(), Length(max=255)])


class ParameterValueView(DepartmentModelView):
    """One department's parameter values; list, details and create only."""

    list_template = "juzhu/parameter_list.html"
    can_view_details = True
    column_list = ("name", "start_on", "value", "source", "entered_on", "entered_by")
    column_labels = {"name": "参数", "start_on": "起始日期", "value": "参数值", "source": "来源",
                     "note": "备注", "entered_on": "录入日期", "entered_by": "录入人",
                     "created_at": "录入时间"}
    column_default_sort = [("name", False), ("start_on", True)]
    column_searchable_list = ("source",)
    column_search_kinds = {"source": "contains"}  # a small table: any part of the source
    column_filters = ("start_on",)

    def __init__(self, *, plugin: str, category: str, department: str) -> None:
        self.department = department
        super().__init__(ParameterValue, name="参数", category=category,
                         endpoint=f"{plugin}_parameters")
        self.column_formatters = {"name": self._name, "value": self._value}

    def get_create_form(self) -> type[Form]:
        return ParameterValueForm

    def get_edit_form(self) -> type[Form]:  # never offered (can_edit is False), but typed
        return ParameterValueForm

    @property  # type: ignore[override]
    def can_edit(self) -> bool:
        return False  # history is not rewritten

    def _params(self) -> dict[str, Any]:
        return {n: p for n, p in current_app.extensions["juzhu"].parameters.items()
                if p.department == self.department}

    def _name(self, view: Any, context: Any, model: Any, name: str) -> str:
        p = self._params().get(model.name)
        return f"{p.title}（{model.name}）" if p else model.name

    def _value(self, view: Any, context: Any, model: Any, name: str) -> str:
        p = self._params().get(model.name)
        return f"{model.value}{p.unit if p else ''}"

    def scope(self) -> Any:
        return ParameterValue.name.in_(list(self._params()))

    def create_form(self, obj: Any = None) -> Any:
        form = super().create_form(obj)
        form.name.choices = [(n, f"{p.title}（{p.unit or '日期'}）") for n, p in self._params().items()]
        # A plain wtforms Form has no is_submitted() (Flask-WTF's has): the empty form of a
        # GET offers today as the start date.
        if form.start_on.data is None and request.method == "GET":
            form.start_on.data = today()
        return form

    def create_model(self, form: Any) -> Any:
        param = self._params().get(form.name.data)
        if param is None:
            form.name.errors = [*form.name.errors, "请选择本部门的参数"]
            return False
        try:
            row = add_value(db.session, param, start_on=form.start_on.data,
                            raw_value=form.value.data, source=form.source.data,
                            entered_on=today(), actor=current_user._get_current_object(),
                            note=form.note.data)
            db.session.commit()
        except ParameterError as err:
            db.session.rollback()
            field = getattr(form, err.field, None) or form.value
            field.errors = [*field.errors, err.message]
            flash(err.message, "error")
            return False
        return row

    def render(self, template: str, **kwargs: Any) -> Any:
        if template == self.list_template:
            params = self._params()
            store = ParameterStore.load(db.session, params)
            as_of = today()
            kwargs["parameter_table"] = [
                (p, store.history[n], _current(store, n, as_of)) for n, p in params.items()]
        return super().render(template, **kwargs)


def _current(store: ParameterStore, name: str, as_of: Any) -> Any:
    try:
        return store.value_on(name, as_of)
    except ParameterError:
        return None


def parameter_view(*, plugin: str, category: str, department: str) -> ParameterValueView:
    """The 参数 page for a department's menu: ``api.parameter_view(plugin="housing",
    category="住房保障", department="dept-housing")`` in ``register_admin_views``."""
    return ParameterValueView(plugin=plugin, category=category, department=department)
