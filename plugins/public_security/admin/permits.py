"""居住证 and 证件卡 for the police: read-only (第九条: no override of eligibility, and no
edit of a permit's dates or a card's status outside the acts that change them).

A permit's status is derived from its dates (DESIGN §3), so "suspended" or "due for
endorsement" is a date criterion on ``valid_until``, shared with the dashboard panels.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import url_for
from flask_admin.contrib.sqla.filters import BaseSQLAFilter
from flask_admin.form import BaseForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Optional
from sqlalchemy import and_, or_, select

from core import api

from .. import endorsement, stations
from ..materials import MATERIALS
from .base import ServiceCreateView, StationScopedView, chosen, link, masked_id, yes_no
from .fields import CheckboxList

B14 = "《办法》第十四条"
ENDORSEMENT_MATERIALS = ("id_card", "permit_card", "rental_contract", "property_certificate",
                         "purchase_contract", "accommodation_certificate", "business_license",
                         "labor_contract", "employment_certificate", "student_card",
                         "school_certificate")

#: Permits that fall due within this many days show on the dashboard (30日内到期待签注).
DUE_DAYS = 30
STATUSES = {"valid": "有效", "due": "30日内到期待签注", "suspended": "使用功能中止（逾期未签注）",
            "revoked": "已注销"}
STATUS_TITLES = {"valid": "有效", "suspended": "使用功能中止", "revoked": "已注销"}


def status_criterion(status: str, as_of: dt.date) -> Any:
    """Permits in ``status`` on ``as_of``, as one SQL criterion (DESIGN §3 permit_status)."""
    P = api.Permit
    revoked = and_(P.revoked_on.is_not(None), P.revoked_on <= as_of)
    live = or_(P.revoked_on.is_(None), P.revoked_on > as_of)
    return {
        "valid": and_(live, P.valid_until >= as_of),
        "due": and_(live, P.valid_until >= as_of,
                    P.valid_until <= as_of + dt.timedelta(days=DUE_DAYS)),
        "suspended": and_(live, P.valid_until < as_of),
        "revoked": revoked,
    }[status]


class PermitStatusFilter(BaseSQLAFilter):
    """状态 filter: today's status, computed in SQL from the dates."""

    def __init__(self) -> None:
        super().__init__(api.Permit.valid_until, "状态", options=list(STATUSES.items()))

    def validate(self, value: Any) -> bool:
        return value in STATUSES

    def apply(self, query: Any, value: Any, alias: Any = None) -> Any:
        return query.filter(status_criterion(value, api.today()))

    def operation(self) -> str:
        return "为"


def permits_url(status: str) -> str:
    """The permit list filtered by status (the status filter is the view's first, index 0)."""
    return url_for("public_security_permits.index_view", flt0_0=status)


def _status(view: Any, context: Any, model: Any, name: str) -> str:
    status = api.rules.permit_status(model.valid_until, api.today(), model.revoked_on)
    return STATUS_TITLES.get(status, status)


def _card(view: Any, context: Any, model: Any, name: str) -> Any:
    return link(f"/api/v1/permits/{model.number}/card", "打印居住证")


class PermitView(StationScopedView):
    """居住证: the station is the issuing station (原办证机关), which moves on an address
    change (第十六条)."""

    column_list = ["number", "holder.name", "holder.id_number", "issued_on", "valid_until",
                   "status", "station", "card"]
    column_details_list = ["number", "holder.name", "holder.id_number", "authority", "station",
                           "issued_on", "valid_until", "continuous_residence_since", "status",
                           "revoked_on", "revocation_reason", "card"]
    column_labels = {
        "number": "居住证号码", "holder.name": "姓名", "holder.id_number": "公民身份号码",
        "authority": "签发机关", "station": "原办证机关（派出所）", "issued_on": "签发日期",
        "valid_until": "有效期至", "continuous_residence_since": "连续居住起算日",
        "status": "状态", "revoked_on": "注销日期", "revocation_reason": "注销原因",
        "card": "证件",
    }
    column_searchable_list = ["number", "holder.name", "holder.id_number"]
    column_filters = [PermitStatusFilter(), "valid_until", "issued_on"]
    column_sortable_list = ["number", "issued_on", "valid_until"]
    column_formatters = {
        "holder.id_number": masked_id("holder.id_number"),
        "status": _status,
        "card": _card,
    }


class CardView(StationScopedView):
    """证件卡: a clerk sees the cards of its station's permits (the permit's station)."""

    column_list = ["serial", "permit.number", "permit.holder.name", "status", "issued_on",
                   "status_on", "permit.station"]
    column_labels = {"serial": "卡号（编号）", "permit.number": "居住证号码",
                     "permit.holder.name": "姓名", "status": "卡片状态", "issued_on": "制发日期",
                     "status_on": "状态日期", "permit.station": "原办证机关（派出所）"}
    column_searchable_list = ["serial", "permit.number"]
    column_filters = ["status", "issued_on"]
    column_choices = {"status": list(api.CARD_STATUSES.items())}
    column_sortable_list = ["serial", "issued_on", "status_on"]
    column_formatters = {"status": chosen("status", api.CARD_STATUSES)}

    def station_criterion(self, station_id: int) -> Any:
        return api.Card.permit_id.in_(
            select(api.Permit.id).where(api.Permit.station_id == station_id))


class EndorsementForm(BaseForm):
    """What 第十四条 asks at the counter: the permit, the day, the materials handed over."""

    permit_number = StringField("居住证号码", validators=[DataRequired("请填写居住证号码"),
                                                       Length(max=20)])
    endorsed_on = api.DateField("签注日期", default=api.today,
                                validators=[Optional()], description="默认今天")
    materials = CheckboxList(
        "提交材料（第十四条：居民身份证、居住证和居住地住址、就业或就读证明之一）",
        choices=[(code, MATERIALS[code]) for code in ENDORSEMENT_MATERIALS])


class EndorsementView(ServiceCreateView):
    """签注 (第十四条): done at the issuing station, so its rows are that station's. The
    counter's form calls the endorsement service (the window, lateness, the new validity
    and the restarted residence date are its rules); after saving, the clerk sees the
    permit with its new dates."""

    write_roles = frozenset({"county_admin", "station_clerk"})
    form = EndorsementForm
    field_aliases = {"permit": "permit_number", "number": "permit_number"}

    def call_service(self, session: Any, form: Any) -> Any:
        number = form.permit_number.data.strip()
        permit = session.scalar(select(api.Permit).where(api.Permit.number == number))
        if permit is None:
            raise api.RuleError("permit_number", "unknown_permit",
                                f"居住证号码：未找到居住证 {number}（{B14}）", B14)
        if not stations.acts_for(self.actor(), permit.station):
            raise api.RuleError("permit_number", "wrong_station",
                                f"居住证号码：签注应到原办证机关{permit.station.name}办理（{B14}）",
                                B14)
        return endorsement.endorse_permit(session, permit=permit,
                                          endorsed_on=form.endorsed_on.data or api.today(),
                                          materials=list(form.materials.data or []),
                                          actor=self.actor())

    def get_save_return_url(self, model: Any, is_created: bool = False) -> str:
        """After saving: the permit, with its new validity and residence date."""
        if is_created and model is not None:
            return url_for("public_security_permits.details_view", id=model.permit_id)
        return super().get_save_return_url(model, is_created)

    column_list = ["permit.number", "permit.holder.name", "endorsed_on", "late",
                   "valid_until_before", "valid_until_after", "station"]
    column_labels = {"permit.number": "居住证号码", "permit.holder.name": "姓名",
                     "endorsed_on": "签注日期", "late": "是否逾期补办",
                     "valid_until_before": "签注前有效期至", "valid_until_after": "签注后有效期至",
                     "station": "办理派出所"}
    column_searchable_list = ["permit.number"]
    column_filters = ["endorsed_on", "late"]
    column_sortable_list = ["endorsed_on", "valid_until_after"]
    column_formatters = {"late": yes_no("late", "逾期补办（居住年限重新起算）", "按期")}


def views() -> list[Any]:
    return [PermitView(api.Permit, "居住证", "permits"), CardView(api.Card, "证件卡", "cards"),
            EndorsementView(api.Endorsement, "签注", "endorsements")]
