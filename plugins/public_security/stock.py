"""A station's paper stock of blank cards (《办法》第八条) and its reconciliation.

An allocated range is the station's stock: one blank card per number. A blank leaves the
stock only by being issued on a card or voided (both are ``SerialUse`` rows). The 领用登记
records blanks the stock keeper hands to a member of staff; they stay in the station's stock
(a movement inside the station), so a stock count (盘点) counts them too, wherever they lie.

Reconciliation (DESIGN §3): allocated = issued + voided + counted on hand, compared as of the
latest count, and any difference is flagged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Date, func, literal, select
from sqlalchemy.orm import Session

from core import api

from .models import NumberRange, SerialUse, StockCount, StockIssue
from .numbers import locked_ranges, resolve_station, take_serial

B8 = "《办法》第八条"


@dataclass(frozen=True)
class Reconciliation:
    """One station's books against its latest count (``as_of``: the date compared)."""

    station_id: int
    station_code: str
    station_name: str
    allocated: int
    issued: int
    voided: int
    counted_on: dt.date | None
    counted_on_hand: int | None
    expected_on_hand: int
    difference: int | None  # counted − expected; None before the first count
    flagged: bool
    note: str  # 账实相符 / 差N张（…） / 尚未盘点
    as_of: dt.date


# --- pure rules --------------------------------------------------------------------------

def check_issue_serials(quantity: int, serial_from: int, serial_to: int) -> None:
    """领用登记 records a run of serials and its count; they must agree (第八条)."""
    if serial_from < 1:
        raise api.RuleError("serial_from", "serial_not_positive",
                            f"起始编号：应为不小于 1 的整数，收到 {serial_from}（{B8}）", B8)
    if serial_to < serial_from:
        raise api.RuleError("serial_from", "serials_reversed",
                            f"起止编号：终止编号 {serial_to} 小于起始编号 {serial_from}（{B8}）", B8)
    size = serial_to - serial_from + 1
    if quantity != size:
        raise api.RuleError("quantity", "quantity_mismatch",
                            f"数量：编号 {serial_from}–{serial_to} 共 {size} 张，"
                            f"登记的数量却是 {quantity} 张（{B8}）", B8)


def check_on_hand(on_hand: int) -> None:
    if on_hand < 0:
        raise api.RuleError("on_hand", "on_hand_negative",
                            f"实存数量：不能为负数，收到 {on_hand}（{B8}）", B8)


def required_text(field: str, title: str, value: str | None) -> str:
    """A free-text fact the register must carry (who took the blanks, why one was spoiled)."""
    value = (value or "").strip()
    if not value:
        raise api.RuleError(field, f"{field}_required", f"{title}：必须填写（{B8}）", B8)
    return value


def balance(allocated: int, issued: int, voided: int,
            counted_on_hand: int | None) -> tuple[int, int | None, bool, str]:
    """(expected on hand, difference, flagged, note) of one station's books (第八条)."""
    expected = allocated - issued - voided
    if counted_on_hand is None:
        return expected, None, False, "尚未盘点"
    difference = counted_on_hand - expected
    if difference == 0:
        return expected, 0, False, "账实相符"
    side = "少" if difference < 0 else "多"
    return expected, difference, True, f"差{abs(difference)}张（实存{side}于账面）"


# --- checks against the books ------------------------------------------------------------

def _span(lo: int, hi: int) -> str:
    return str(lo) if lo == hi else f"{lo}–{hi}"


DATE_TITLES = {"issued_on": "领用日期", "voided_on": "作废日期"}


def _too_early(station: Any, rng: NumberRange, date_field: str) -> api.RuleError:
    """A blank cannot leave the stock before its range was allocated to the station."""
    return api.RuleError(date_field, "not_yet_allocated",
                         f"{DATE_TITLES[date_field]}：号段 {_span(rng.start, rng.end)} 于"
                         f"{api.zh_date(rng.allocated_on)}才分配给{station.name}，"
                         f"不能早于该日（{B8}）", B8)


def _station_ranges(session: Session, station_id: int) -> list[NumberRange]:
    return list(session.scalars(select(NumberRange).where(NumberRange.station_id == station_id)
                                .order_by(NumberRange.start)))


def _check_in_stock(session: Session, station: Any, ranges: list[NumberRange], lo: int,
                    hi: int, on: dt.date, *, field: str, date_field: str) -> None:
    """Every number of ``[lo, hi]`` is in the station's ranges allocated by ``on``, unused."""
    many = "s" if field == "serial_from" else ""
    covering = [r for r in ranges if r.start <= hi and r.end >= lo]
    if sum(min(r.end, hi) - max(r.start, lo) + 1 for r in covering) < hi - lo + 1:
        held = "、".join(_span(r.start, r.end) for r in ranges) or "无"
        raise api.RuleError(field, f"serial{many}_outside_ranges",
                            f"编号：{_span(lo, hi)} 不全在{station.name}的号段内"
                            f"（本所号段：{held}）（{B8}）", B8)
    late = next((r for r in covering if r.allocated_on > on), None)
    if late is not None:
        raise _too_early(station, late, date_field)
    used = session.scalars(select(SerialUse).where(SerialUse.serial >= lo, SerialUse.serial <= hi)
                           .order_by(SerialUse.serial).limit(1)).first()
    if used is not None:
        how = ("已用于居住证卡" if used.kind == "issued"
               else f"已于{api.zh_date(used.used_on)}作废（{used.reason}）")
        raise api.RuleError(field, f"serial{many}_used",
                            f"编号：{used.serial} {how}，不是库存空白卡（{B8}）", B8)


def _check_issue(session: Session, station: Any, ranges: list[NumberRange], *, recipient: str,
                 quantity: int, serial_from: int, serial_to: int, on: dt.date) -> str:
    recipient = required_text("recipient", "领用人", recipient)
    check_issue_serials(quantity, serial_from, serial_to)
    _check_in_stock(session, station, ranges, serial_from, serial_to, on,
                    field="serial_from", date_field="issued_on")
    earlier = session.scalars(
        select(StockIssue).where(StockIssue.station_id == station.id,
                                 StockIssue.serial_from <= serial_to,
                                 StockIssue.serial_to >= serial_from)
        .order_by(StockIssue.serial_from).limit(1)).first()
    if earlier is not None:
        raise api.RuleError("serial_from", "serials_already_handed_out",
                            f"编号：{_span(serial_from, serial_to)} 与"
                            f"{api.zh_date(earlier.issued_on)}领用给{earlier.recipient}的 "
                            f"{_span(earlier.serial_from, earlier.serial_to)} 重叠，"
                            f"同一空白卡不能重复领用（{B8}）", B8)
    return recipient


# --- the acts ----------------------------------------------------------------------------

def check_stock_issue(session: Session, *, station: Any, recipient: str, quantity: int,
                      serial_from: int, serial_to: int, on: dt.date) -> Any:
    """Validate a 领用登记 without writing (to answer 422 before 403); returns the station."""
    found = resolve_station(session, station)
    _check_issue(session, found, _station_ranges(session, found.id), recipient=recipient,
                 quantity=quantity, serial_from=serial_from, serial_to=serial_to, on=on)
    return found


def record_stock_issue(session: Session, *, station: Any, recipient: str, quantity: int,
                       serial_from: int, serial_to: int, on: dt.date, actor: Any) -> StockIssue:
    """领用登记 (第八条: 领用人、数量、编号、日期). Audited ``stock.issue``; caller commits."""
    found = resolve_station(session, station)
    ranges = locked_ranges(session, found.id)  # two clerks cannot hand out the same blanks
    recipient = _check_issue(session, found, ranges, recipient=recipient, quantity=quantity,
                             serial_from=serial_from, serial_to=serial_to, on=on)
    issue = StockIssue(station_id=found.id, recipient=recipient, quantity=quantity,
                       serial_from=serial_from, serial_to=serial_to, issued_on=on,
                       recorded_by_id=getattr(actor, "id", None))
    session.add(issue)
    session.flush()
    api.record_audit(session, action="stock.issue", entity=StockIssue.__tablename__,
                     entity_id=issue.id, actor=actor,
                     new={"station": found.code, "recipient": recipient, "quantity": quantity,
                          "serial_from": serial_from, "serial_to": serial_to, "issued_on": on})
    return issue


def check_void(session: Session, *, station: Any, reason: str, on: dt.date,
               serial: int | None = None) -> Any:
    """Validate a void without writing (to answer 422 before 403); returns the station."""
    found = resolve_station(session, station)
    required_text("reason", "作废原因", reason)
    if serial is not None:
        _check_in_stock(session, found, _station_ranges(session, found.id), serial, serial, on,
                        field="serial", date_field="voided_on")
    return found


def void_blank(session: Session, *, station: Any, reason: str, on: dt.date, actor: Any,
               serial: int | None = None) -> SerialUse:
    """Void a spoiled blank with its reason: ``serial``, or the next free number.

    A serial above the station's cursor is simply recorded; taking numbers skips it later.
    Raises RuleError, or NoNumbersLeft (409) when no number is left to void. Audited
    ``stock.void``; the caller commits.
    """
    found = resolve_station(session, station)
    reason = required_text("reason", "作废原因", reason)
    ranges = locked_ranges(session, found.id)
    if serial is None:
        use = take_serial(session, found, kind="voided", on=on, actor=actor, reason=reason)
        rng = next(r for r in ranges if r.id == use.range_id)
        if rng.allocated_on > on:
            raise _too_early(found, rng, "voided_on")
    else:
        _check_in_stock(session, found, ranges, serial, serial, on, field="serial",
                        date_field="voided_on")
        rng = next(r for r in ranges if r.start <= serial <= r.end)
        use = SerialUse(serial=serial, range_id=rng.id, station_id=found.id, kind="voided",
                        used_on=on, reason=reason, used_by_id=getattr(actor, "id", None))
        session.add(use)
        session.flush()
    api.record_audit(session, action="stock.void", entity=SerialUse.__tablename__,
                     entity_id=use.serial, actor=actor,
                     new={"station": found.code, "serial": use.serial, "voided_on": on,
                          "reason": reason})
    return use


def check_stock_count(session: Session, *, station: Any, on_hand: int) -> Any:
    """Validate a 盘点 without writing (to answer 422 before 403); returns the station."""
    found = resolve_station(session, station)
    check_on_hand(on_hand)
    return found


def record_stock_count(session: Session, *, station: Any, on_hand: int, on: dt.date,
                       actor: Any, note: str | None = None) -> StockCount:
    """盘点: the blanks on hand at ``station`` on ``on``. Audited ``stock.count``."""
    found = check_stock_count(session, station=station, on_hand=on_hand)
    count = StockCount(station_id=found.id, counted_on=on, on_hand=on_hand,
                       note=(note or "").strip() or None, counted_by_id=getattr(actor, "id", None))
    session.add(count)
    session.flush()
    api.record_audit(session, action="stock.count", entity=StockCount.__tablename__,
                     entity_id=count.id, actor=actor,
                     new={"station": found.code, "counted_on": on, "on_hand": on_hand,
                          "note": count.note})
    return count


# --- reconciliation ----------------------------------------------------------------------

def _reconciliations(session: Session, as_of: dt.date,
                     station_id: int | None) -> list[Reconciliation]:
    """Four set-based queries whatever the number of stations: stations, latest counts,
    allocated sums and uses grouped by station (and kind)."""
    def only(column: Any) -> list[Any]:
        return [] if station_id is None else [column == station_id]

    ranked = (select(StockCount.station_id, StockCount.counted_on, StockCount.on_hand,
                     func.row_number().over(partition_by=StockCount.station_id,
                                            order_by=(StockCount.counted_on.desc(),
                                                      StockCount.id.desc())).label("rank"))
              .where(StockCount.counted_on <= as_of, *only(StockCount.station_id)).subquery())
    latest = (select(ranked.c.station_id, ranked.c.counted_on, ranked.c.on_hand)
              .where(ranked.c.rank == 1).subquery())
    upto = func.coalesce(latest.c.counted_on, literal(as_of, Date()))

    stations = session.execute(
        select(api.OrgUnit.id, api.OrgUnit.code, api.OrgUnit.name)
        .where(api.OrgUnit.kind == "police_station", *only(api.OrgUnit.id))
        .order_by(api.OrgUnit.code)).all()
    counts = {sid: (day, n) for sid, day, n in session.execute(select(latest))}
    allocated = {sid: int(total) for sid, total in session.execute(
        select(NumberRange.station_id, func.sum(NumberRange.end - NumberRange.start + 1))
        .outerjoin(latest, latest.c.station_id == NumberRange.station_id)
        .where(NumberRange.allocated_on <= upto, *only(NumberRange.station_id))
        .group_by(NumberRange.station_id))}
    used = {(sid, kind): n for sid, kind, n in session.execute(
        select(SerialUse.station_id, SerialUse.kind, func.count())
        .outerjoin(latest, latest.c.station_id == SerialUse.station_id)
        .where(SerialUse.used_on <= upto, *only(SerialUse.station_id))
        .group_by(SerialUse.station_id, SerialUse.kind))}

    out = []
    for sid, code, name in stations:
        counted_on, on_hand = counts.get(sid, (None, None))
        books = (allocated.get(sid, 0), used.get((sid, "issued"), 0), used.get((sid, "voided"), 0))
        expected, difference, flagged, note = balance(*books, on_hand)
        out.append(Reconciliation(sid, code, name, *books, counted_on, on_hand, expected,
                                  difference, flagged, note, counted_on or as_of))
    return out


def reconcile(session: Session, station_id: int, *,
              as_of: dt.date | None = None) -> Reconciliation:
    """One station's reconciliation as of its latest count on or before ``as_of`` (today)."""
    found = _reconciliations(session, as_of or api.today(), station_id)
    if not found:
        raise api.RuleError("station", "unknown_station",
                            f"派出所：编号 {station_id} 不是本县的派出所（{B8}）", B8)
    return found[0]


def reconcile_all(session: Session, *, as_of: dt.date | None = None) -> list[Reconciliation]:
    """Every station's reconciliation, by org code (set-based: see :func:`_reconciliations`)."""
    return _reconciliations(session, as_of or api.today(), None)
