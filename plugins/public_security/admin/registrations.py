"""暂住登记 and third-party reports (《办法》第十条、第五条) in the admin.

The registration form calls the registration service (``registration.register``): the rules
(floating or not, the 5-working-day deadline, the receipt number) live there, not here.
"""

from __future__ import annotations

from typing import Any

from flask_admin.form import BaseForm
from sqlalchemy import select
from wtforms import Form, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from core import api

from .. import registration, stations
from ..models import Registration, ThirdPartyReport
from ..registration import REPORTER_KINDS
from .base import ServiceCreateView, StationScopedView, chosen, link, masked_id, yes_no

B10 = "《办法》第十条"

REGISTRATION_LABELS = {
    "receipt_number": "登记凭证编号", "holder.name": "姓名", "holder.id_number": "公民身份号码",
    "station": "登记派出所", "arrival_date": "到达日期", "registered_on": "登记日期",
    "residence_address": "居住地址", "residence_division_code": "居住地区划代码",
    "deadline": "登记期限", "on_time": "是否按时", "provisional": "期限是否暂定",
    "floating_reason": "流动人口认定理由", "created_at": "录入时间", "receipt": "登记凭证",
}


def _receipt(view: Any, context: Any, model: Any, name: str) -> Any:
    return link(f"/api/v1/registrations/{model.id}/receipt", "打印凭证")


class RegistrationForm(BaseForm):
    """The facts 第十条 asks for; the holder is found by ID number (no holder list shown)."""

    holder_id_number = api.HolderIdNumberField(
        "公民身份号码", validators=[DataRequired("请填写公民身份号码"), Length(max=18)])
    arrival_date = api.DateField("到达日期", validators=[InputRequired("请填写到达日期")])
    residence_address = StringField("居住地址", validators=[DataRequired("请填写居住地址"),
                                                        Length(max=255)])
    residence_division_code = StringField(
        "居住地区划代码", description="12位社区（村）代码或9位乡镇（街道）代码",
        validators=[DataRequired("请填写居住地区划代码"), Length(max=12)])
    registered_on = api.DateField("登记日期", default=api.today, validators=[Optional()],
                                  description="默认今天")


class RegistrationView(ServiceCreateView):
    """暂住登记: the station of the residence's township sees and registers (第十条)."""

    write_roles = frozenset({"county_admin", "station_clerk"})
    column_list = ["receipt_number", "holder.name", "holder.id_number", "arrival_date",
                   "registered_on", "deadline", "on_time", "station", "receipt"]
    column_details_list = ["receipt_number", "holder.name", "holder.id_number", "station",
                           "arrival_date", "registered_on", "deadline", "on_time", "provisional",
                           "residence_address", "residence_division_code", "floating_reason",
                           "created_at", "receipt"]
    column_labels = REGISTRATION_LABELS
    column_searchable_list = ["receipt_number", "holder.name", "holder.id_number"]
    column_filters = ["registered_on", "on_time"]
    column_formatters = {
        "holder.id_number": masked_id("holder.id_number"),
        "on_time": yes_no("on_time", "按时", "逾期"),
        "provisional": yes_no("provisional", "暂定（节假日安排未公布）", "否"),
        "receipt": _receipt,
    }
    form = RegistrationForm
    field_aliases = {"holder_id": "holder_id_number"}
    list_template = "public_security/admin/import_registrations_list.html"  # + 批量导入

    def call_service(self, session: Any, form: Form) -> Any:
        holder = session.scalar(select(api.Holder).where(
            api.Holder.id_number == form.holder_id_number.data.strip().upper()))
        if holder is None:
            raise api.RuleError("holder_id_number", "unknown_holder",
                                f"公民身份号码：未找到该持证人，请先在“持证人”中录入（{B10}）", B10)
        reg = registration.register(
            session, holder=holder, arrival_date=form.arrival_date.data,
            residence_address=form.residence_address.data.strip(),
            residence_division_code=form.residence_division_code.data.strip(),
            registered_on=form.registered_on.data or api.today(), actor=self.actor())
        # Input first, then the station: a clerk registers only residences of its own
        # township (DESIGN §5), as the API does; the caller rolls the registration back.
        if not stations.acts_for(self.actor(), reg.station):
            name = reg.station.name
            raise api.RuleError("residence_division_code", "wrong_station",
                                f"居住地区划代码：该住址属{name}辖区，应由{name}办理登记（{B10}）", B10)
        return reg


class ThirdPartyReportView(StationScopedView):
    """第三方报告: routed to the station of the premises; reports without premises stay in
    the county PSB's queue (station empty), which only county-wide roles see."""

    column_list = ["reporter_kind", "reporter_name", "holder_id_number", "contract_date",
                   "reported_on", "deadline", "on_time", "station"]
    column_details_list = column_list + ["premises_address", "premises_division_code",
                                         "provisional", "created_at"]
    column_labels = {
        "reporter_kind": "报告人类别", "reporter_name": "报告人", "holder_id_number": "公民身份号码",
        "contract_date": "合同签订日期", "reported_on": "报告日期", "deadline": "报告期限",
        "on_time": "是否按时", "station": "派出所", "premises_address": "房屋（场所）地址",
        "premises_division_code": "房屋（场所）区划代码", "provisional": "期限是否暂定",
        "created_at": "录入时间",
    }
    column_searchable_list = ["reporter_name", "holder_id_number"]
    column_filters = ["reported_on", "on_time"]
    column_formatters = {
        "reporter_kind": chosen("reporter_kind", REPORTER_KINDS),
        "holder_id_number": masked_id("holder_id_number"),
        "on_time": yes_no("on_time", "按时", "逾期"),
        "provisional": yes_no("provisional", "暂定（节假日安排未公布）", "否"),
        "station": lambda v, c, m, n: m.station.name if m.station else "县公安局（未指明场所）",
    }


def views() -> list[Any]:
    return [RegistrationView(Registration, "暂住登记", "registrations"),
            ThirdPartyReportView(ThirdPartyReport, "第三方报告", "third_party_reports")]
