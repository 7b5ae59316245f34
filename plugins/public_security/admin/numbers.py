"""The code space and the paper stock (《办法》第七条、第八条): ranges, number uses, voids,
the stock register (领用登记) and stock counts (盘点).

Each create form hands its facts to the numbers/stock services, which check overlaps, serials
and quantities and write the audit event; the view only collects the facts and shows the
service's Chinese refusal.
"""

from __future__ import annotations

from typing import Any

from flask_admin.form import BaseForm
from sqlalchemy import and_
from wtforms import Form, IntegerField, SelectField, StringField, ValidationError
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from core import api

from .. import numbers, stock
from ..models import NumberRange, SerialUse, StockCount, StockIssue
from .base import STOCK_WRITERS, ServiceCreateView, StationScopedView, chosen

USE_KINDS = {"issued": "制证使用", "voided": "作废"}


def _station_field() -> SelectField:
    return SelectField("派出所", coerce=int, validators=[InputRequired("请选择派出所")])


def _date_field(label: str) -> api.DateField:
    # InputRequired, not DataRequired: the latter would replace "不是有效的日期值" of a
    # malformed date by "请填写".
    return api.DateField(label, default=api.today, validators=[InputRequired(f"请填写{label}")])


def _at_least(minimum: int, label: str) -> Any:
    """Like WTForms' NumberRange, but silent when the input was not a number at all (the
    field already says "不是有效的整数")."""
    def check(form: Form, field: Any) -> None:
        if field.data is not None and field.data < minimum:
            raise ValidationError(f"{label}不能小于{minimum}")
    return check


def _number(label: str, *, required: bool = True, minimum: int = 1,
            description: str = "") -> IntegerField:
    checks = [InputRequired(f"请填写{label}")] if required else [Optional()]
    return IntegerField(label, description=description,
                        validators=checks + [_at_least(minimum, label)])


class RangeForm(BaseForm):
    station = _station_field()
    start = _number("起始号码")
    end = _number("终止号码")
    on = _date_field("分配日期")
    note = StringField("备注（文号）", validators=[Optional(), Length(max=255)])


class RangeView(ServiceCreateView):
    """号段: the county PSB's register of its code space; only the county admin allocates."""

    write_roles = frozenset({"county_admin"})
    column_list = ["station", "start", "end", "size", "next_free", "allocated_on", "note"]
    column_labels = {"station": "派出所", "start": "起始号码", "end": "终止号码", "size": "号码数",
                     "next_free": "下一个可用号码", "allocated_on": "分配日期", "note": "备注（文号）"}
    column_sortable_list = ["start", "end", "allocated_on"]
    column_default_sort = ("start", False)
    column_formatters = {"size": lambda v, c, m, n: m.size}
    form = RangeForm

    def call_service(self, session: Any, form: Form) -> Any:
        return numbers.allocate_range(
            session, station=self.station(session, form), start=form.start.data,
            end=form.end.data, on=form.on.data, actor=self.actor(),
            note=(form.note.data or "").strip() or None)


class SerialUseView(StationScopedView):
    """号码使用: every number that left the stock, on a card or voided."""

    column_list = ["serial", "kind", "used_on", "station", "reason"]
    column_labels = {"serial": "号码", "kind": "用途", "used_on": "日期", "station": "派出所",
                     "reason": "作废原因"}
    column_searchable_list = ["serial"]
    column_filters = ["kind", "used_on"]
    column_choices = {"kind": list(USE_KINDS.items())}
    column_default_sort = ("serial", True)
    column_formatters = {"kind": chosen("kind", USE_KINDS)}


class VoidForm(BaseForm):
    station = _station_field()
    serial = _number("号码", required=False, description="不填则作废本所下一个可用号码")
    reason = StringField("作废原因", validators=[DataRequired("请填写作废原因"), Length(max=255)])
    on = _date_field("作废日期")


class VoidView(ServiceCreateView):
    """空白证件作废: a spoiled blank, by its number or the next free one."""

    write_roles = STOCK_WRITERS
    column_list = ["serial", "used_on", "station", "reason"]
    column_labels = {"serial": "号码", "used_on": "作废日期", "station": "派出所",
                     "reason": "作废原因"}
    column_searchable_list = ["serial"]
    column_filters = ["used_on"]
    column_default_sort = ("serial", True)
    form = VoidForm
    field_aliases = {"voided_on": "on"}

    def scope(self) -> Any:
        voided = SerialUse.kind == "voided"
        station = super().scope()
        return voided if station is None else and_(voided, station)

    def call_service(self, session: Any, form: Form) -> Any:
        return stock.void_blank(session, station=self.station(session, form),
                                reason=form.reason.data.strip(), on=form.on.data,
                                actor=self.actor(), serial=form.serial.data)


class StockIssueForm(BaseForm):
    station = _station_field()
    recipient = StringField("领用人", validators=[DataRequired("请填写领用人"), Length(max=50)])
    quantity = _number("数量")
    serial_from = _number("起始编号")
    serial_to = _number("终止编号")
    on = _date_field("领用日期")


class StockIssueView(ServiceCreateView):
    """领用登记 (第八条): recipient, quantity, serials, date."""

    write_roles = STOCK_WRITERS
    column_list = ["issued_on", "station", "recipient", "quantity", "serial_from", "serial_to"]
    column_labels = {"issued_on": "领用日期", "station": "派出所", "recipient": "领用人",
                     "quantity": "数量", "serial_from": "起始编号", "serial_to": "终止编号"}
    column_searchable_list = ["recipient"]
    column_search_kinds = {"recipient": "contains"}  # a small table: any part of the name
    column_filters = ["issued_on"]
    form = StockIssueForm
    field_aliases = {"issued_on": "on"}

    def call_service(self, session: Any, form: Form) -> Any:
        return stock.record_stock_issue(
            session, station=self.station(session, form), recipient=form.recipient.data.strip(),
            quantity=form.quantity.data, serial_from=form.serial_from.data,
            serial_to=form.serial_to.data, on=form.on.data, actor=self.actor())


class StockCountForm(BaseForm):
    station = _station_field()
    on_hand = _number("实有空白证件数", minimum=0)
    on = _date_field("盘点日期")
    note = StringField("备注", validators=[Optional(), Length(max=255)])


class StockCountView(ServiceCreateView):
    """盘点: blanks physically on hand on a day; the reconciliation compares against it."""

    write_roles = STOCK_WRITERS
    column_list = ["counted_on", "station", "on_hand", "note"]
    column_labels = {"counted_on": "盘点日期", "station": "派出所", "on_hand": "实有空白证件数",
                     "note": "备注"}
    column_filters = ["counted_on"]
    form = StockCountForm
    field_aliases = {"counted_on": "on"}

    def call_service(self, session: Any, form: Form) -> Any:
        return stock.record_stock_count(
            session, station=self.station(session, form), on_hand=form.on_hand.data,
            on=form.on.data, actor=self.actor(), note=(form.note.data or "").strip() or None)


def views() -> list[Any]:
    return [RangeView(NumberRange, "号段分配", "number_ranges"),
            SerialUseView(SerialUse, "号码使用", "serial_uses"),
            VoidView(SerialUse, "空白证件作废", "voids"),
            StockIssueView(StockIssue, "领用登记", "stock_issues"),
            StockCountView(StockCount, "盘点", "stock_counts")]
