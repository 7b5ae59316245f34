"""New cards for the same permit: replacements (第十五条), address changes (第十六条) and
changes of recorded facts (变更). Read-only: the acts go through their services."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_

from core import api

from ..models import AddressChange, CardReissue, FactChange
from .base import StationScopedView, chosen, sees_personal_data

REISSUE_REASONS = {"lost": "遗失补领", "damaged": "损坏换领", "change": "信息变更换领",
                   "address_change": "居住地变更换领"}
#: 第四条 facts a change may touch, by their Chinese names.
FACT_FIELDS = {"name": "姓名", "sex": "性别", "ethnicity": "民族", "birth_date": "出生日期",
               "id_number": "公民身份号码", "hukou_address": "常住户口所在地住址",
               "hukou_division_code": "户籍区划代码", "phone": "联系电话", "photo": "相片"}
#: Which changed facts are personal data, and how to mask them for other roles.
MASKERS = {"id_number": api.rules.mask_id_number, "phone": api.rules.mask_phone}


def _fact_value(attr: str) -> Any:
    """An old or new value; an ID number or phone masked for roles that must not see it."""
    def fmt(view: Any, context: Any, model: Any, name: str) -> Any:
        value = getattr(model, attr)
        masker = MASKERS.get(model.field)
        return masker(value) if masker and value and not sees_personal_data() else value
    return fmt


class CardReissueView(StationScopedView):
    column_list = ["on", "permit.number", "permit.holder.name", "reason", "old_card.serial",
                   "new_card.serial", "old_card_returned", "station"]
    column_labels = {"on": "日期", "permit.number": "居住证号码", "permit.holder.name": "姓名",
                     "reason": "原因", "old_card.serial": "原卡号", "new_card.serial": "新卡号",
                     "old_card_returned": "原卡已交回", "station": "办理派出所"}
    column_searchable_list = ["permit.number"]
    column_filters = ["reason", "on"]
    column_choices = {"reason": list(REISSUE_REASONS.items())}
    column_formatters = {
        "reason": chosen("reason", REISSUE_REASONS),
        "old_card_returned": lambda v, c, m, n: "是" if m.old_card_returned else "否",
    }


class AddressChangeView(StationScopedView):
    """Seen by both stations: the new one did it, the old one lost the permit to it."""

    column_list = ["on", "permit.number", "permit.holder.name", "old_station", "new_station"]
    column_labels = {"on": "变更日期", "permit.number": "居住证号码", "permit.holder.name": "姓名",
                     "old_station": "原派出所", "new_station": "新派出所（办理）"}
    column_searchable_list = ["permit.number"]
    column_filters = ["on"]

    def station_criterion(self, station_id: int) -> Any:
        return or_(AddressChange.new_station_id == station_id,
                   AddressChange.old_station_id == station_id)


class FactChangeView(StationScopedView):
    column_list = ["on", "permit.number", "permit.holder.name", "field", "old_value",
                   "new_value", "station"]
    column_labels = {"on": "变更日期", "permit.number": "居住证号码", "permit.holder.name": "姓名",
                     "field": "变更项目", "old_value": "原值", "new_value": "新值",
                     "station": "办理派出所"}
    column_searchable_list = ["permit.number"]
    column_filters = ["on"]
    column_formatters = {
        "field": chosen("field", FACT_FIELDS),
        "old_value": _fact_value("old_value"),
        "new_value": _fact_value("new_value"),
    }


def views() -> list[Any]:
    return [CardReissueView(CardReissue, "补领换领", "card_reissues"),
            AddressChangeView(AddressChange, "居住地变更", "address_changes"),
            FactChangeView(FactChange, "信息变更", "fact_changes")]
