"""暂住登记 and third-party reports (《办法》第十条、第五条) and the overdue list.

The first part holds pure rule helpers (facts in, RuleError or a value out; no clock, no
database). The second holds the service functions: each does one act in the caller's session
(rows and one audit event) and does not commit; the caller authorises and commits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import exists, false, select
from sqlalchemy.orm import Session, aliased

from core import api

from . import documents, stations
from .models import Registration, ThirdPartyReport

B2 = "《办法》第二条"
B5_10 = "《办法》第五条、第十条"
B10 = "《办法》第十条"
WORKING_DAYS = 5  # 第十条: 5个工作日内

REPORTER_KINDS = {"employer": "用人单位", "landlord": "房屋出租人", "agency": "中介机构"}
ReporterKind = Literal["employer", "landlord", "agency"]

# Roles that may do each act once the input is valid (DESIGN §5 role table). A station clerk
# registers only residences of its own township; see :func:`authorize_registration`.
REGISTRARS = frozenset({"county_admin", "station_clerk", "assistant"})
REPORT_TAKERS = frozenset({"county_admin", "station_clerk", "assistant"})


# ---------------------------------------------------------------------------- pure rules

def check_order(earlier: dt.date, later: dt.date, *, field: str, label: str,
                later_label: str, code: str) -> None:
    """``earlier`` may not fall after ``later`` (arrival/registration, contract/report).

    The refusal names ``field`` (the one to correct) and both dates' Chinese labels.
    """
    if earlier > later:
        raise api.RuleError(
            field, code,
            f"{label}：{api.zh_date(earlier)}不能晚于{later_label}{api.zh_date(later)}（{B10}）",
            B10)


def check_not_future(day: dt.date, today: dt.date, *, field: str, label: str) -> None:
    """A registration or report is recorded when it happens, never ahead of time."""
    if day > today:
        raise api.RuleError(
            field, "date_in_future",
            f"{label}：{api.zh_date(day)}晚于今天{api.zh_date(today)}，不能预先登记（{B10}）", B10)


def require_floating(classification: Any) -> None:
    """Only floating population registers (第二条): refuse others with the reason."""
    if not classification.floating:
        raise api.RuleError("residence_division_code", "not_floating_population",
                            classification.reason, classification.basis)


def check_after_current_residence(arrival_date: dt.date, current_from: dt.date | None) -> None:
    """A new residence cannot start before the one it ends (the history stays ordered)."""
    if current_from is not None and arrival_date < current_from:
        raise api.RuleError(
            "arrival_date", "arrival_before_current_residence",
            f"到达日期：{api.zh_date(arrival_date)}早于该人现居住地的起始日期"
            f"{api.zh_date(current_from)}；新的暂住登记应晚于现居住地的开始（{B10}）", B10)


def premises_township(code: str, divisions: Any) -> Any:
    """The township of the premises of a third-party report: in the county, to the township.

    Reports go to the station of the premises' township (第十条第二款: 辖区…公安派出所), so
    a code outside the county, a bare county code or an unknown township is refused.
    """
    code = api.rules.check_division_code(code, "premises_division_code")
    label = "房屋所在地区划代码"
    if not divisions.in_county(code):
        raise api.RuleError(
            "premises_division_code", "outside_county",
            f"{label}：{code}不在{divisions.county_name}辖区内，应向房屋所在地的公安机关报送"
            f"（{B10}）", B10)
    if len(code) == 6:
        raise api.RuleError(
            "premises_division_code", "premises_township_required",
            f"{label}：只到县级，请填写房屋所在乡镇、街道的9位或12位区划代码，以确定辖区派出所"
            f"（{B10}）", B10)
    township = divisions.township_of(code)
    if township is None:
        raise api.RuleError(
            "premises_division_code", "unknown_township",
            f"{label}：{code}不是{divisions.county_name}的乡镇、街道（{B10}）", B10)
    return township


def reported_id_number(value: str, reported_on: dt.date) -> str:
    """The reported person's ID number, checked (GB 11643) and canonical, under its own field."""
    try:
        return api.rules.parse_id_number(value, as_of=reported_on).number
    except api.RuleError as err:
        raise api.RuleError("holder_id_number", err.code, err.message, err.basis) from None


# ------------------------------------------------------------------------ authorisation

def authorize_registration(actor: Any, station: Any) -> None:
    """403 unless ``actor`` may register a residence served by ``station`` (DESIGN §5).

    County admin and assistants (第五条: landlord, employer, school, community) anywhere; a
    station clerk only in its own township; every other role never.
    """
    if actor.role not in REGISTRARS:
        raise api.ApiError(403, "forbidden", f"无权办理暂住登记：由公安派出所或协助单位办理（{B5_10}）")
    if actor.role == "station_clerk":
        stations.require_station(actor, station, f"居住地不在本所辖区（{B10}）")


def authorize_report(actor: Any) -> None:
    """403 unless ``actor`` may take a third-party report (any station clerk: it is routed)."""
    if actor.role not in REPORT_TAKERS:
        raise api.ApiError(403, "forbidden", f"无权录入第三方报送：由公安机关或协助单位录入（{B10}）")


# ------------------------------------------------------------------- registration check

@dataclass(frozen=True)
class RegistrationPlan:
    """What the checks of one registration decided, before anything is written."""

    code: str  # the residence division code, stripped
    classification: Any  # 第二条: floating, with its reason
    on_time: bool
    deadline: Any  # rules.Deadline: the 5th working day after arrival, provisional or not
    station: Any  # the station of the residence's township


class RegistrationFacts:
    """What the checks read beyond the request: the county's divisions, the working-day
    calendar and the stations. The service makes one per act; a bulk import makes one per
    file and memoises (``memo=True``) — the rules are pure functions of these facts, so
    asking twice gives the same answer."""

    def __init__(self, session: Session, *, memo: bool = False) -> None:
        self.session = session
        self.divisions = api.profile().divisions
        self.calendar = api.official_calendar(session)
        self._memo = memo
        self._classes: dict[tuple[str, str], Any] = {}
        self._deadlines: dict[tuple[dt.date, dt.date], tuple[bool, Any]] = {}
        self._stations: dict[str, Any] = {}

    def classify(self, hukou_code: str, residence_code: str) -> Any:
        key = (hukou_code, residence_code)
        if key not in self._classes:
            found = api.rules.classify_floating(hukou_code, residence_code, self.divisions)
            if not self._memo:
                return found
            self._classes[key] = found
        return self._classes[key]

    def on_time(self, arrival_date: dt.date, registered_on: dt.date) -> tuple[bool, Any]:
        key = (arrival_date, registered_on)
        if key not in self._deadlines:
            found = api.rules.is_on_time(arrival_date, registered_on, WORKING_DAYS,
                                         self.calendar)
            if not self._memo:
                return found
            self._deadlines[key] = found
        return self._deadlines[key]

    def station(self, code: str) -> Any:
        if code not in self._stations:
            found = stations.station_for_division(self.session, code)
            if not self._memo:
                return found
            self._stations[code] = found
        return self._stations[code]


def check_registration(facts: RegistrationFacts, *, hukou_division_code: str,
                       arrival_date: dt.date, residence_division_code: str,
                       registered_on: dt.date, current_from: dt.date | None) -> RegistrationPlan:
    """Every rule a registration must pass (第十条, 第二条), in the order the API applies them;
    the first failure raises a RuleError naming field and article. ``current_from`` is the
    start of the person's current residence (None for someone with none). The one check of
    both :func:`register` and the bulk import (``importer.py``)."""
    check_order(arrival_date, registered_on, field="arrival_date", label="到达日期",
                later_label="登记日期", code="arrival_after_registration")
    classification = facts.classify(hukou_division_code, residence_division_code)
    require_floating(classification)
    code = residence_division_code.strip()
    check_after_current_residence(arrival_date, current_from)
    on_time, deadline = facts.on_time(arrival_date, registered_on)
    station = facts.station(code)
    if station is None:  # the profile names a township whose station was never seeded
        raise LookupError(f"no police station for division {code}: run `juzhu init`")
    return RegistrationPlan(code, classification, on_time, deadline, station)


def reporter_org_id(actor: Any) -> int | None:
    """The assisting party an assistant reports for (第五条); None for police."""
    return actor.org_id if getattr(actor, "role", None) == "assistant" else None


# ----------------------------------------------------------------------------- services

def register(session: Session, *, holder: Any, arrival_date: dt.date, residence_address: str,
             residence_division_code: str, registered_on: dt.date, actor: Any) -> Registration:
    """Register a floating person's arrival (第十条): a new residence, the registration with its
    receipt number, deadline and on-time flag, and one audit event.

    Late registrations are accepted and marked late. Validates everything before writing
    (:func:`check_registration`); does not authorise the actor (see
    :func:`authorize_registration`) and does not commit.
    """
    current = session.scalars(select(api.Residence).where(
        api.Residence.holder_id == holder.id, api.Residence.to_date.is_(None))).all()
    plan = check_registration(
        RegistrationFacts(session), hukou_division_code=holder.hukou_division_code,
        arrival_date=arrival_date, residence_division_code=residence_division_code,
        registered_on=registered_on, current_from=max((r.from_date for r in current),
                                                      default=None))
    code, station, on_time = plan.code, plan.station, plan.on_time

    for old in current:
        old.to_date = arrival_date
    residence = api.Residence(holder_id=holder.id, address=residence_address,
                              division_code=code, from_date=arrival_date)
    session.add(residence)
    session.flush()
    reg = Registration(
        receipt_number=documents.next_number(session, station, "registration",
                                             registered_on.year),
        holder_id=holder.id, station_id=station.id, arrival_date=arrival_date,
        registered_on=registered_on, residence_address=residence_address,
        residence_division_code=code, deadline=plan.deadline.deadline, on_time=on_time,
        provisional=plan.deadline.provisional, floating_reason=plan.classification.reason,
        residence_id=residence.id, reported_by_id=getattr(actor, "id", None),
        reporter_org_id=reporter_org_id(actor))
    session.add(reg)
    session.flush()
    api.record_audit(session, action="registration.create", entity=Registration.__tablename__,
                     entity_id=reg.id, actor=actor, new={
                         "receipt_number": reg.receipt_number, "holder_id": holder.id,
                         "station": station.code, "arrival_date": arrival_date,
                         "registered_on": registered_on, "residence_address": residence_address,
                         "residence_division_code": code, "deadline": reg.deadline,
                         "on_time": on_time, "provisional": reg.provisional,
                         "closed_residence_ids": [r.id for r in current]})
    return reg


def report_third_party(session: Session, *, reporter_kind: ReporterKind, reporter_name: str,
                       holder_id_number: str, contract_date: dt.date, reported_on: dt.date,
                       premises_address: str | None = None,
                       premises_division_code: str | None = None,
                       actor: Any) -> ThirdPartyReport:
    """Record an employer's, landlord's or agency's report (第十条第二款), due within 5 working
    days of the contract. Routed to the station of the premises' township; without premises
    it stays with the county PSB (station None). Does not authorise and does not commit.
    """
    if reporter_kind not in REPORTER_KINDS:
        raise api.RuleError("reporter_kind", "reporter_kind",
                            f"报送单位类别：应为{'、'.join(REPORTER_KINDS.values())}之一（{B10}）", B10)
    check_order(contract_date, reported_on, field="contract_date", label="合同签订日期",
                later_label="报送日期", code="contract_after_report")
    id_number = reported_id_number(holder_id_number, reported_on)
    station = None
    code = premises_division_code.strip() if premises_division_code else None
    if code:
        township = premises_township(code, api.profile().divisions)
        station = stations.station_by_code(session, f"station-{township.code9}")
    on_time, deadline = api.rules.is_on_time(contract_date, reported_on, WORKING_DAYS,
                                             api.official_calendar(session))
    holder_id = session.scalar(select(api.Holder.id).where(api.Holder.id_number == id_number))

    report = ThirdPartyReport(
        reporter_kind=reporter_kind, reporter_name=reporter_name, holder_id_number=id_number,
        holder_id=holder_id, contract_date=contract_date, reported_on=reported_on,
        premises_address=premises_address, premises_division_code=code,
        station_id=station.id if station is not None else None, deadline=deadline.deadline,
        on_time=on_time, provisional=deadline.provisional,
        reported_by_id=getattr(actor, "id", None))
    session.add(report)
    session.flush()
    api.record_audit(session, action="third_party_report.create",
                     entity=ThirdPartyReport.__tablename__, entity_id=report.id, actor=actor,
                     new={"reporter_kind": reporter_kind, "reporter_name": reporter_name,
                          "holder_id_number": id_number, "holder_id": holder_id,
                          "contract_date": contract_date, "reported_on": reported_on,
                          "premises_address": premises_address, "premises_division_code": code,
                          "station": station.code if station is not None else None,
                          "deadline": report.deadline, "on_time": on_time,
                          "provisional": report.provisional})
    return report


# ------------------------------------------------------------------------ overdue list

OverdueKind = Literal["late_registration", "never_registered"]


@dataclass(frozen=True)
class OverdueItem:
    """One line of a station's overdue list (第十条).

    ``late_registration``: registered after its deadline; ``done_on`` is the registration
    date and ``source`` the receipt number. ``never_registered``: reported by a third party,
    the report's deadline has passed and no registration followed; ``done_on`` is None and
    ``source`` names the reporter. ``days_late`` counts calendar days after ``due`` (up to
    ``done_on``, or to ``as_of`` while still open).
    """

    kind: OverdueKind
    station_id: int | None
    holder_id: int | None
    name: str | None
    id_number: str
    due: dt.date
    done_on: dt.date | None
    source: str
    days_late: int


def overdue(session: Session, station_id: int | None, as_of: dt.date,
            limit: int = 500) -> list[OverdueItem]:
    """The overdue list of a station (``station_id`` None: county-wide) as it stood on
    ``as_of``: facts recorded after ``as_of`` are not seen.

    Two set-based queries. People never registered come first, longest overdue first (they
    still need to be followed up); then late registrations, latest first. A report without
    premises (county PSB's queue) appears only county-wide. At most ``limit`` items.
    """
    never = _never_registered(session, station_id, as_of, limit)
    late = _late_registrations(session, station_id, as_of, limit - len(never)) \
        if len(never) < limit else []
    return never + late


def _never_registered(session: Session, station_id: int | None, as_of: dt.date,
                      limit: int) -> list[OverdueItem]:
    tpr = ThirdPartyReport
    person, registrant = aliased(api.Holder), aliased(api.Holder)
    # A registration on or after the contract date, by ID number (the reporter knew no holder).
    followed_up = exists().where(
        registrant.id_number == tpr.holder_id_number, Registration.holder_id == registrant.id,
        Registration.registered_on >= tpr.contract_date, Registration.registered_on <= as_of)
    stmt = (select(tpr.station_id, person.id, person.name, tpr.holder_id_number, tpr.deadline,
                   tpr.reporter_kind, tpr.reporter_name)
            .outerjoin(person, person.id_number == tpr.holder_id_number)
            .where(tpr.deadline < as_of, tpr.reported_on <= as_of, ~followed_up)
            .order_by(tpr.deadline, tpr.id).limit(limit))
    if station_id is not None:
        stmt = stmt.where(tpr.station_id == station_id)
    return [OverdueItem("never_registered", st, hid, name, idn, due, None,
                        f"{REPORTER_KINDS.get(kind, kind)}：{reporter}", (as_of - due).days)
            for st, hid, name, idn, due, kind, reporter in session.execute(stmt)]


def _late_registrations(session: Session, station_id: int | None, as_of: dt.date,
                        limit: int) -> list[OverdueItem]:
    reg, holder = Registration, api.Holder
    stmt = (select(reg.station_id, holder.id, holder.name, holder.id_number, reg.deadline,
                   reg.registered_on, reg.receipt_number)
            .join(holder, holder.id == reg.holder_id)
            .where(reg.on_time == false(), reg.registered_on <= as_of)
            .order_by(reg.registered_on.desc(), reg.id.desc()).limit(limit))
    if station_id is not None:
        stmt = stmt.where(reg.station_id == station_id)
    return [OverdueItem("late_registration", st, hid, name, idn, due, done, receipt,
                        (done - due).days)
            for st, hid, name, idn, due, done, receipt in session.execute(stmt)]


# ------------------------------------------------------------------------------ reading

def may_read(user: Any, reg: Registration, *, own_station_only: bool) -> bool:
    """Whether ``user`` may see a registration: police roles (a station clerk only its own
    station's when ``own_station_only``, as for the printed receipt); an assistant only one
    it reported (itself, or its assisting-party org)."""
    if user.role in ("county_admin", "police_officer"):
        return True
    if user.role == "station_clerk":
        return not own_station_only or user.org_id == reg.station_id
    if user.role == "assistant":
        return reg.reported_by_id == user.id or (
            user.org_id is not None and reg.reporter_org_id == user.org_id)
    return False
