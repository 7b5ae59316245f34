"""Number ranges (第七条) and each station's stock of blank cards (第八条): DESIGN §5
``POST /number-ranges`` plus the stock register, voids, counts and reconciliation.

Input that is wrong whoever sends it is a 422 before any 403 (DESIGN §5): a caller who may
not act is refused only once the input has passed the same checks, without writing.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from dataclasses import asdict
from typing import Any, Iterator

from pydantic import StrictInt
from sqlalchemy import func, select

from core import api

from .. import numbers, stock
from ..models import NumberRange, SerialUse, StockCount
from ..stations import acts_for, station_by_code

B7 = "《办法》第七条"
B8 = "《办法》第八条"
STOCK_ROLES = {"county_admin", "station_clerk"}
# Refusals about a whole span name both of its bounds.
SPANS = (("start", "end"), ("serial_from", "serial_to"))
SPAN_CODES = frozenset({"range_reversed", "overlap", "serials_reversed",
                        "serials_outside_ranges", "serials_used",
                        "serials_already_handed_out"})


# --- request and answer bodies -----------------------------------------------------------

class RangeIn(api.In):
    station: str = api.field("派出所", B7, min_length=1, max_length=64)
    start: StrictInt = api.field("起始号码", B7)
    end: StrictInt = api.field("终止号码", B7)
    note: str | None = api.field("备注", max_length=255, default=None)


class RangeQuery(api.In):
    station: str | None = api.field("派出所", B7, min_length=1, max_length=64, default=None)


class RangeOut(api.Out):
    id: int
    station: str
    station_name: str
    start: int
    end: int
    size: int
    next_free: int
    used: int
    free: int
    allocated_on: api.IsoDate
    note: str | None


class RangeList(api.Out):
    items: list[RangeOut]


class StockIssueIn(api.In):
    recipient: str = api.field("领用人", B8, min_length=1, max_length=50)
    quantity: StrictInt = api.field("数量", B8)
    serial_from: StrictInt = api.field("起始编号", B8)
    serial_to: StrictInt = api.field("终止编号", B8)
    issued_on: api.IsoDate | None = api.field("领用日期", B8, default=None)


class StockIssueOut(api.Out):
    id: int
    station: str
    recipient: str
    quantity: int
    serial_from: int
    serial_to: int
    issued_on: api.IsoDate


class VoidIn(api.In):
    reason: str = api.field("作废原因", B8, min_length=1, max_length=255)
    serial: StrictInt | None = api.field("编号", B8, default=None)
    voided_on: api.IsoDate | None = api.field("作废日期", B8, default=None)


class VoidOut(api.Out):
    serial: int
    station: str
    reason: str
    voided_on: api.IsoDate


class ReconciliationOut(api.Out):
    station: str
    station_name: str
    as_of: api.IsoDate
    allocated: int
    issued: int
    voided: int
    counted_on: api.IsoDate | None
    counted_on_hand: int | None
    expected_on_hand: int
    difference: int | None
    flagged: bool
    note: str


class StockCountIn(api.In):
    on_hand: StrictInt = api.field("实存数量", B8)
    counted_on: api.IsoDate | None = api.field("盘点日期", B8, default=None)
    note: str | None = api.field("备注", max_length=255, default=None)


class StockCountOut(api.Out):
    id: int
    station: str
    counted_on: api.IsoDate
    on_hand: int
    note: str | None
    reconciliation: ReconciliationOut


class AsOfQuery(api.In):
    as_of: api.IsoDate | None = api.field("对账日期", B8, default=None)


# --- helpers -----------------------------------------------------------------------------

@contextmanager
def _refusals() -> Iterator[None]:
    """A rule's refusal as the API's error body, naming both bounds of a wrong span."""
    try:
        yield
    except api.RuleError as err:
        refusal = api.ApiError.from_rule(err, getattr(err, "http_status", 422))
        pair = next((p for p in SPANS if err.field in p), None)
        if err.code in SPAN_CODES and pair:
            refusal.fields = {name: [err.message] for name in pair}
        raise refusal from None


def _not_after_today(field: str, title: str, day: dt.date) -> None:
    """A register records what happened: no date after today (Asia/Shanghai)."""
    if day > api.today():
        raise api.RuleError(field, "date_in_future",
                            f"{title}：不能晚于今天（{api.zh_date(api.today())}）（{B8}）", B8)


def _station_or_404(code: str) -> Any:
    station = station_by_code(api.db.session, code)
    if station is None:
        raise api.ApiError(404, "station_not_found", f"派出所 {code} 不存在")
    return station


def _forbidden(station: Any) -> api.ApiError:
    return api.ApiError(403, "forbidden",
                        f"无权办理：{station.name}的领用登记、作废、盘点和对账只能由该所或县公安局办理"
                        f"（{B8}）")


def _range_out(rng: NumberRange, used: int) -> RangeOut:
    return RangeOut(id=rng.id, station=rng.station.code, station_name=rng.station.name,
                    start=rng.start, end=rng.end, size=rng.size, next_free=rng.next_free,
                    used=used, free=rng.size - used, allocated_on=rng.allocated_on,
                    note=rng.note)


def _reconciliation_out(rec: stock.Reconciliation) -> ReconciliationOut:
    data = asdict(rec)
    return ReconciliationOut(station=data.pop("station_code"), **{
        k: v for k, v in data.items() if k != "station_id"})


# --- endpoints ---------------------------------------------------------------------------

def routes(bp: api.ApiBlueprint) -> None:
    """Declare this resource's endpoints on the police blueprint."""

    @bp.route_api("/number-ranges", method="POST", summary="分配居住证号段（第七条）",
                  roles={"county_admin"}, roles_checked_in_view=True, body=RangeIn,
                  responses={201: RangeOut},
                  description="县公安局管理员把号段 [start, end]（含两端）分配给派出所；"
                              "全县号段不得重叠（422 overlap），终止号码小于起始号码为 422 "
                              "range_reversed。其他角色 403（输入有误时先答 422）。")
    def number_ranges_allocate(body: RangeIn, user: Any) -> Any:
        with _refusals():
            if user.role != "county_admin":
                numbers.check_range(api.db.session, station=body.station, start=body.start,
                                    end=body.end)
                raise api.ApiError(403, "forbidden",
                                   f"无权分配号段：居住证编码由县公安局统一登记、按号段分配（{B7}）")
            rng = numbers.allocate_range(api.db.session, station=body.station, start=body.start,
                                         end=body.end, on=api.today(), actor=user,
                                         note=body.note)
        api.db.session.commit()
        return _range_out(rng, used=0), 201

    @bp.route_api("/number-ranges", summary="查询号段（第七条）",
                  roles={"county_admin", "police_officer", "station_clerk"}, query=RangeQuery,
                  responses={200: RangeList},
                  description="县局管理员和民警可查全部号段，派出所只能查本所的；"
                              "used 为已发证或已作废的号码数。")
    def number_ranges_list(query: RangeQuery, user: Any) -> Any:
        session = api.db.session
        station = None
        if query.station:
            with _refusals():
                station = numbers.resolve_station(session, query.station)
        if user.role == "station_clerk":
            if station is not None and station.id != user.org_id:
                raise api.ApiError(403, "forbidden", "无权查看：派出所只能查看本所的号段")
            station = station or session.get(api.OrgUnit, user.org_id)
        stmt = select(NumberRange).order_by(NumberRange.start)
        if station is not None:
            stmt = stmt.where(NumberRange.station_id == station.id)
        ranges = list(session.scalars(stmt))
        used = dict(session.execute(
            select(SerialUse.range_id, func.count())
            .where(SerialUse.range_id.in_([r.id for r in ranges]))
            .group_by(SerialUse.range_id)).all()) if ranges else {}
        return RangeList(items=[_range_out(r, used.get(r.id, 0)) for r in ranges])

    @bp.route_api("/stations/<code>/stock-issues", method="POST", summary="领用登记（第八条）",
                  roles=STOCK_ROLES, body=StockIssueIn, responses={201: StockIssueOut},
                  errors=(404,),
                  description="登记领用人、数量、编号、日期；编号须在本所号段内且未发证、未作废、"
                              "未被领用过。issued_on 缺省为今天。")
    def stock_issue_record(code: str, body: StockIssueIn, user: Any) -> Any:
        station = _station_or_404(code)
        on = body.issued_on or api.today()
        facts = dict(recipient=body.recipient, quantity=body.quantity,
                     serial_from=body.serial_from, serial_to=body.serial_to, on=on)
        with _refusals():
            _not_after_today("issued_on", "领用日期", on)
            if not acts_for(user, station):
                stock.check_stock_issue(api.db.session, station=station, **facts)
                raise _forbidden(station)
            issue = stock.record_stock_issue(api.db.session, station=station, actor=user,
                                             **facts)
        api.db.session.commit()
        return StockIssueOut(id=issue.id, station=station.code, recipient=issue.recipient,
                             quantity=issue.quantity, serial_from=issue.serial_from,
                             serial_to=issue.serial_to, issued_on=issue.issued_on), 201

    @bp.route_api("/stations/<code>/voids", method="POST", summary="空白卡作废（第八条）",
                  roles=STOCK_ROLES, body=VoidIn, responses={201: VoidOut}, errors=(404, 409),
                  description="作废一张损坏的空白卡并写明原因：给出 serial 作废该编号，"
                              "否则作废本所下一个可用号码（无号可用时 409 no_numbers_left）。")
    def stock_void(code: str, body: VoidIn, user: Any) -> Any:
        station = _station_or_404(code)
        on = body.voided_on or api.today()
        facts = dict(reason=body.reason, serial=body.serial, on=on)
        with _refusals():
            _not_after_today("voided_on", "作废日期", on)
            if not acts_for(user, station):
                stock.check_void(api.db.session, station=station, **facts)
                raise _forbidden(station)
            use = stock.void_blank(api.db.session, station=station, actor=user, **facts)
        api.db.session.commit()
        return VoidOut(serial=use.serial, station=station.code, reason=use.reason,
                       voided_on=use.used_on), 201

    @bp.route_api("/stations/<code>/stock-counts", method="POST", summary="库存盘点（第八条）",
                  roles=STOCK_ROLES, body=StockCountIn, responses={201: StockCountOut},
                  errors=(404,),
                  description="登记某日实存空白卡张数（含已领用未用完的），答复附当日对账结果。")
    def stock_count_record(code: str, body: StockCountIn, user: Any) -> Any:
        station = _station_or_404(code)
        on = body.counted_on or api.today()
        with _refusals():
            _not_after_today("counted_on", "盘点日期", on)
            if not acts_for(user, station):
                stock.check_stock_count(api.db.session, station=station, on_hand=body.on_hand)
                raise _forbidden(station)
            count: StockCount = stock.record_stock_count(
                api.db.session, station=station, on_hand=body.on_hand, on=on, actor=user,
                note=body.note)
        api.db.session.commit()
        rec = stock.reconcile(api.db.session, station.id, as_of=on)
        return StockCountOut(id=count.id, station=station.code, counted_on=count.counted_on,
                             on_hand=count.on_hand, note=count.note,
                             reconciliation=_reconciliation_out(rec)), 201

    @bp.route_api("/stations/<code>/reconciliation", summary="号段库存对账（第八条）",
                  roles=STOCK_ROLES, query=AsOfQuery, responses={200: ReconciliationOut},
                  errors=(404,),
                  description="分配数 = 已发证 + 已作废 + 盘点实存；按 as_of（缺省今天）"
                              "当日或之前最近一次盘点的日期比较，不符即标记（flagged）。")
    def stock_reconciliation(code: str, query: AsOfQuery, user: Any) -> Any:
        station = _station_or_404(code)
        if not acts_for(user, station):
            raise _forbidden(station)
        return _reconciliation_out(
            stock.reconcile(api.db.session, station.id, as_of=query.as_of))
