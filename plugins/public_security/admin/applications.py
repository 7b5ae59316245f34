"""居住证申领 (《办法》第十一条至第十三条) in the admin.

The counter's form takes what the citizen hands over (the holder by ID number, the basis of
第十一条, the materials of 第十二条 with the number of photos, who applies) and gives it to
the application service (``application.apply``), the same one the API calls: the service
decides, writes the application, takes the number and the card, and audits; the form
cannot issue or override eligibility (第九条). After saving, the clerk lands on the
application's page with its outcome, the missing materials or reasons, and the paper to
print: the one-time notice, the decision, or the card.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from flask_admin.form import BaseForm
from markupsafe import Markup
from sqlalchemy import select
from wtforms import BooleanField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from core import api

from .. import application
from ..materials import BASIS_NAMES, MATERIALS, PHOTOS_REQUIRED
from ..models import Application
from .base import ServiceCreateView, chosen, link, masked_id, yes_no
from .fields import AtLeastOne, CheckboxList

B11, B13 = "《办法》第十一条", "《办法》第十三条"

OUTCOMES = {"issued": "已签发", "incomplete": "材料不全（一次性告知）", "ineligible": "不予签发"}
APPLICANTS = {"self": "本人", "guardian": "监护人代为申领", "relative": "近亲属代为申领"}
DOCUMENTS = {"incomplete": "打印一次性告知书", "ineligible": "打印不予签发决定书"}


def _basis(view: Any, context: Any, model: Any, name: str) -> str:
    return "、".join(BASIS_NAMES.get(b, b) for b in model.basis or []) or "（未填）"


def _materials(view: Any, context: Any, model: Any, name: str) -> str:
    counts = Counter(model.materials or [])
    return "、".join(MATERIALS.get(code, code) + (f"×{n}" if n > 1 else "")
                    for code, n in counts.items()) or "（无）"


def _missing(view: Any, context: Any, model: Any, name: str) -> str:
    return "；".join(str(item.get("name", item.get("code"))) for item in model.missing or []) \
        or "无"


def _reasons(view: Any, context: Any, model: Any, name: str) -> Markup:
    """One line per reason: passed or not, its Chinese text and its article (escaped)."""
    lines = [Markup("{}{}（{}）").format("✓ " if r.get("passed") else "✗ ", r.get("text", ""),
                                          r.get("basis", ""))
             for r in model.reasons or []]
    return Markup("<br>").join(lines) if lines else Markup("无")


def _document(view: Any, context: Any, model: Any, name: str) -> Any:
    """The printable paper of the outcome: the card when issued, else the notice."""
    if model.outcome == "issued" and model.permit is not None:
        return link(f"/api/v1/permits/{model.permit.number}/card", "打印居住证")
    if model.outcome in DOCUMENTS:
        return link(f"/api/v1/applications/{model.id}/notice", DOCUMENTS[model.outcome])
    return ""


class ApplicationForm(BaseForm):
    holder_id_number = api.HolderIdNumberField(
        "公民身份号码", validators=[DataRequired("请填写公民身份号码"), Length(max=18)],
        description="持证人须已在本所办理暂住登记（《办法》第十三条）")
    accepted_on = api.DateField("受理日期", default=api.today,
                                validators=[Optional()], description="默认今天")
    basis = CheckboxList("申领条件（第十一条，至少一项）", choices=list(BASIS_NAMES.items()),
                         validators=[AtLeastOne("请至少选择一项申领条件（《办法》第十一条）")])
    materials = CheckboxList(
        "提交材料（第十二条）",
        choices=[(code, name) for code, name in MATERIALS.items() if code != "photo"])
    photos = IntegerField(f"证件照张数（需{PHOTOS_REQUIRED}张）", default=PHOTOS_REQUIRED,
                          validators=[InputRequired("请填写证件照张数"),
                                      NumberRange(0, 10, "证件照张数应为0至10")])
    applicant = SelectField("申领人", choices=list(APPLICANTS.items()), default="self")
    agent_id_number = StringField("代办人公民身份号码", validators=[Optional(), Length(max=18)],
                                  description="监护人或近亲属代为申领时填写")
    limited_mobility = BooleanField("行动不便（可由近亲属代为申领）")


class ApplicationView(ServiceCreateView):
    """Every application, whatever its outcome, at the station of the registration; the
    county admin and a station clerk take new ones at the counter."""

    write_roles = frozenset({"county_admin", "station_clerk"})
    form = ApplicationForm
    field_aliases = {"holder_id": "holder_id_number"}

    column_list = ["document_number", "holder.name", "holder.id_number", "accepted_on",
                   "outcome", "basis", "permit", "station", "document"]
    column_details_list = ["document_number", "holder.name", "holder.id_number", "station",
                           "registration", "accepted_on", "applicant", "agent_id_number",
                           "limited_mobility", "basis", "materials", "outcome", "missing",
                           "reasons", "permit", "created_at", "document"]
    column_labels = {
        "document_number": "文书编号", "holder.name": "姓名", "holder.id_number": "公民身份号码",
        "station": "受理派出所", "registration": "所依据的暂住登记", "accepted_on": "受理日期",
        "applicant": "申领人", "agent_id_number": "代办人公民身份号码",
        "limited_mobility": "行动不便", "basis": "申领条件（第十一条）",
        "materials": "提交材料（第十二条）", "outcome": "办理结果", "missing": "缺少材料",
        "reasons": "审核理由", "permit": "居住证号码", "created_at": "录入时间",
        "document": "文书",
    }
    column_searchable_list = ["document_number", "holder.name", "holder.id_number"]
    column_filters = ["outcome", "accepted_on"]
    column_choices = {"outcome": list(OUTCOMES.items())}
    column_formatters = {
        "holder.id_number": masked_id("holder.id_number"),
        "agent_id_number": masked_id("agent_id_number"),
        "outcome": chosen("outcome", OUTCOMES),
        "applicant": chosen("applicant", APPLICANTS),
        "limited_mobility": yes_no("limited_mobility", "是", "否"),
        "basis": _basis,
        "materials": _materials,
        "missing": _missing,
        "reasons": _reasons,
        "permit": lambda v, c, m, n: m.permit.number if m.permit else "",
        "registration": lambda v, c, m, n: m.registration.receipt_number if m.registration else "",
        "document": _document,
    }


    def call_service(self, session: Any, form: Any) -> Any:
        number = form.holder_id_number.data.strip().upper()
        holder = session.scalar(select(api.Holder).where(api.Holder.id_number == number))
        if holder is None:
            raise api.RuleError("holder_id_number", "unknown_holder",
                                f"公民身份号码：未找到该持证人，请先录入持证人并办理暂住登记（{B11}）",
                                B11)
        materials = list(form.materials.data or []) + ["photo"] * (form.photos.data or 0)
        try:
            return application.apply(
                session, holder=holder, accepted_on=form.accepted_on.data or api.today(),
                basis=list(form.basis.data), materials=materials, applicant=form.applicant.data,
                agent_id_number=(form.agent_id_number.data or "").strip().upper() or None,
                limited_mobility=bool(form.limited_mobility.data), actor=self.actor())
        except api.ApiError as err:  # another station's holder (第十三条): shown at the ID
            raise api.RuleError("holder_id_number", err.error, f"公民身份号码：{err.message}",
                                B13) from err

    def get_save_return_url(self, model: Any, is_created: bool = False) -> str:
        """After saving: the application's own page, with its outcome and its paper."""
        if is_created and model is not None:
            return self.get_url(".details_view", id=model.id)
        return super().get_save_return_url(model, is_created)


def views() -> list[Any]:
    return [ApplicationView(Application, "居住证申领", "applications")]
