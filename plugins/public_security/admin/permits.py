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
from sqlalchemy import and_, or_, select

from core import api

from .base import StationScopedView, chosen, link, masked_id, yes_no

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


class EndorsementView(StationScopedView):
    """签注 (第十四条): done at the issuing station, so its rows are that station's."""

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
