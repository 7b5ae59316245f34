"""Bulk import of 暂住登记 (《办法》第十条): ``juzhu import registrations FILE`` and, later, the
admin's upload; both call :func:`import_registrations`, which needs no Flask request.

**Rows.** Each row is a person who arrives: the fields of ``POST /holders`` (第四条: name,
sex, ethnicity, birth date, ID number, hukou address and division, phone) followed by those
of ``POST /registrations`` without ``holder_id`` (arrival date, residence address and
division, registration date). A county's lists come from stations, landlords and employers
who know ID numbers, never the platform's holder ids; so a row makes the holder and registers
it, exactly as the two API calls in a row would. The row model is built from the two API
request models (:func:`row_model`), and every rule after it is the API's own function
(``validate_holder``, :func:`registration.check_not_future`,
:func:`registration.check_registration`, :func:`registration.authorize_registration`), so
"the same rules as the API" holds by construction. A person already on record (the ID number
is in the database) is refused with the API's 409 text: moving a known holder is a
registration through the API, which closes the old residence.

**Order.** Rows are taken as if sent to the API one after the other: a later row with the
ID number of an earlier accepted row is refused (the second ``POST /holders`` would be a
409), an earlier refused row does not block a later correct one.

**Transactions.** Good rows are committed in chunks (``chunk_size``, 5000 by default), each
chunk one transaction with its audit event, so a million rows never sit in one transaction
and a failure loses at most the chunk in hand; bad rows are never written.

**Audit: one event per chunk** (``registration.import``), not one per registration. The
event records the source, the file rows it covers, the counts, the holder ids, the receipt
number range of each station and year, and a SHA-256 digest of every imported registration
with its holder's 第四条 facts (:func:`chunk_digest`). Sealed in the chain, it proves what
was registered as well as per-row events would: :func:`verify_import_event` recomputes the
digest from the rows, so a registration altered, added inside a range or removed after the
import shows. Per-row events would write a second row per registration (half the import's
time on the audit table) and bring no fact the digest does not already fix.

**Speed.** No ORM object and no flush per row: one pydantic validation and the pure rule
functions per row (classification, deadline and station memoised per file: the rules are
pure), one query per chunk for ID numbers already in the database, one row lock per
station and year for the receipt numbers, the chunk's ids taken at once (``api.sequence_ids``)
and the driver's bulk path (``api.bulk_write``: executemany, COPY) for holders, residences and
registrations. On PostgreSQL a chunk is written on a second thread while the next is checked
(:class:`_Writer`). A row checked is a plain value from then on (:class:`_Good`), so the
writer never touches the checking session's objects. On PostgreSQL that writer is the
slowest stage (it waits for the server's COPY; py-spy, 2026-12-05), so what can be done
elsewhere is: each row's digest line is made where the row is screened, and each chunk's
ids are taken by the importing thread while the chunk before is written.
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
import hashlib
import io
import json
import os
import sys
import threading
from collections import deque
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

from pydantic import BaseModel, ValidationError, create_model
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from core import api

from . import documents
from . import registration as service
from .models import Registration
from .routes.registrations import RegistrationIn

B4 = "《办法》第四条"
B10 = "《办法》第十条"
CHUNK_SIZE = 5000
ACTION = "registration.import"
ROW_TITLE, ERROR_TITLE = "行号", "错误"
#: 性别 as a file may write it, beside the API's own values (GB/T 2261.1 names).
SEX_WORDS = {"男": "male", "女": "female", "男性": "male", "女性": "female"}


class ImportInputError(ValueError):
    """The file cannot be imported at all (missing, unreadable, unknown columns); one Chinese
    line for the user."""


class ImportAborted(ImportInputError):
    """The database refused a chunk the checks had passed (a row written meanwhile by
    someone else, a receipt number taken): the import stopped there. ``result`` holds what
    was imported before (committed, with its audit events); nothing after was written. The
    message names the file rows of the refused chunk and never a personal datum (the
    database's own detail may quote an ID number)."""

    def __init__(self, message: str, result: ImportResult) -> None:
        super().__init__(message)
        self.result = result


@dataclass
class ImportResult:
    """``rejected``: (file row number, the row as read, Chinese messages naming field and
    article) for every row not written (or, in a preview, that would not be)."""

    imported: int = 0
    rejected: list[tuple[int, dict[str, Any], list[str]]] = field(default_factory=list)
    chunks: int = 0
    #: Rows that passed every check (imported, or would be in a preview).
    valid: int = 0
    #: A preview's first good rows, (file row number, the row as read).
    sample: list[tuple[int, dict[str, Any]]] = field(default_factory=list)


# ------------------------------------------------------------------------------ the row

_ROW_MODEL: type[BaseModel] | None = None


def row_model() -> type[BaseModel]:
    """The pydantic model of one row: ``POST /holders``'s fields, then ``POST
    /registrations``'s without ``holder_id`` (same types, limits, titles and articles)."""
    global _ROW_MODEL
    if _ROW_MODEL is None:
        fields: dict[str, Any] = {}
        for model in (api.HolderIn, RegistrationIn):
            for name, info in model.model_fields.items():
                if name != "holder_id":
                    fields[name] = (info.annotation, info)
        _ROW_MODEL = create_model("RegistrationImportRow", __base__=api.In, **fields)
    return _ROW_MODEL


def columns() -> dict[str, str]:
    """Field name → Chinese title; a header may use either."""
    return {name: info.title or name for name, info in row_model().model_fields.items()}


# ------------------------------------------------------------------------------ reading

@dataclass
class Table:
    """A file's header as written, the field name of each column, its rows numbered as a
    spreadsheet shows them (the header is row 1) and, when known, how many there are."""

    header: list[str]
    fields: list[str]
    rows: Iterator[tuple[int, dict[str, Any]]]
    total: int | None = None


def _fields_of(header: list[str]) -> list[str]:
    names = columns()
    by_title = {title: name for name, title in names.items()}
    fields, unknown = [], []
    for cell in header:
        name = (cell or "").strip()
        name = name if name in names else by_title.get(name, "")
        if not name:
            unknown.append(cell or "（空）")
        fields.append(name)
    if unknown:
        raise ImportInputError(f"不认识的列：{'、'.join(map(str, unknown))}；可用的列：" +
                               "、".join(f"{n}（{t}）" for n, t in names.items()))
    dupes = sorted({f for f in fields if fields.count(f) > 1})
    if dupes:
        raise ImportInputError(f"列重复：{'、'.join(dupes)}")
    required = [n for n, info in row_model().model_fields.items() if info.is_required()]
    missing = [n for n in required if n not in fields]
    if missing:
        raise ImportInputError("缺少必填的列：" + "、".join(f"{n}（{names[n]}）" for n in missing))
    return fields


def read_csv(stream: io.TextIOBase | Iterable[str], total: int | None = None) -> Table:
    """A UTF-8 CSV (with or without BOM) with a header row of field names or titles."""
    reader = csv.reader(stream)
    try:
        header = next(reader)
    except StopIteration:
        raise ImportInputError("文件是空的：第一行应为列名") from None
    except UnicodeDecodeError:
        raise ImportInputError("文件不是 UTF-8 编码的 CSV") from None
    if header:
        header[0] = header[0].lstrip("\ufeff")
    fields = _fields_of(header)
    width = len(fields)

    def rows() -> Iterator[tuple[int, dict[str, Any]]]:
        number = 1
        try:
            for cells in reader:
                number += 1
                if not any(cells):
                    continue
                cells = cells + [""] * (width - len(cells))
                yield number, dict(zip(fields, cells[:width]))
        except UnicodeDecodeError:
            raise ImportInputError(f"第 {number} 行附近不是 UTF-8 编码的文本") from None
    return Table(header, fields, rows(), total)


def _cell(value: Any) -> Any:
    """An XLSX cell as the text a CSV would hold (dates as YYYY-MM-DD, codes as digits)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_xlsx(source: Any) -> Table:
    """The first sheet of an XLSX workbook (openpyxl, read-only: rows stream)."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # zipfile.BadZipFile, KeyError, InvalidFileException…
        raise ImportInputError(f"无法读取 XLSX 文件：{exc}") from None
    sheet = book.worksheets[0]
    it = sheet.iter_rows(values_only=True)
    try:
        header = [_cell(v) for v in next(it)]
    except StopIteration:
        raise ImportInputError("工作表是空的：第一行应为列名") from None
    while header and header[-1] == "":
        header.pop()
    fields = _fields_of(header)
    width = len(fields)

    def rows() -> Iterator[tuple[int, dict[str, Any]]]:
        for number, values in enumerate(it, start=2):
            cells = [_cell(v) for v in values[:width]]
            if not any(cells):
                continue
            cells += [""] * (width - len(cells))
            yield number, dict(zip(fields, cells))
        book.close()
    total = sheet.max_row - 1 if sheet.max_row else None
    return Table(header, fields, rows(), total)


def open_table(path: str) -> tuple[Table, Callable[[], None]]:
    """The table in ``path`` (``.csv`` or ``.xlsx``) and a function closing the file."""
    if not os.path.isfile(path):
        raise ImportInputError(f"文件不存在：{path}")
    ext = os.path.splitext(path)[1].lower()
    if ext == ".xlsx":
        table = read_xlsx(path)
        return table, lambda: None
    if ext != ".csv":
        raise ImportInputError(f"只能导入 .csv 或 .xlsx 文件：{path}")
    with open(path, "rb") as raw:
        total = sum(chunk.count(b"\n") for chunk in iter(lambda: raw.read(1 << 20), b""))
    stream = open(path, encoding="utf-8-sig", newline="")
    try:
        table = read_csv(stream, total=max(total - 1, 0))
    except ImportInputError:
        stream.close()
        raise
    return table, stream.close


# ---------------------------------------------------------------------------- validating

@dataclass(frozen=True)
class _Station:
    """A station as the checks and the writer need it, detached from any session (neither
    the writer thread nor a checking process may touch the caller's ORM objects)."""

    id: int
    code: str
    division_code: str | None
    name: str


class _FileFacts(service.RegistrationFacts):
    """One file's facts, memoised (the rules are pure), with every station read before the
    first row is checked, as plain values: a checking process forked from this one must
    never use the database (a connection carried across ``fork`` is not its own)."""

    def __init__(self, session: Session) -> None:
        super().__init__(session, memo=True)
        self.profile = api.profile()
        self.by_code = {o.code: _Station(o.id, o.code, o.division_code, o.name)
                        for o in session.scalars(select(api.OrgUnit).where(
                            api.OrgUnit.kind == "police_station"))}

    def station(self, code: str) -> Any:
        """As :func:`stations.station_for_division`: the station of the code's township."""
        if code not in self._stations:
            found = self.profile.station_code_for(code)
            self._stations[code] = self.by_code.get(found) if found else None
        return self._stations[code]


@dataclass(frozen=True)
class _Org:
    code: str


@dataclass(frozen=True)
class _Actor:
    """The importing user's fields that the rows and the audit event record, read once."""

    id: int | None
    username: str
    role: str | None
    org_id: int | None
    org: _Org | None

    @classmethod
    def of(cls, user: Any) -> _Actor | None:
        if user is None:
            return None
        org = getattr(user, "org", None)
        return cls(getattr(user, "id", None), user.username, getattr(user, "role", None),
                   getattr(user, "org_id", None), _Org(org.code) if org is not None else None)


@dataclass
class _Good:
    """A row that passed every check, as plain values: the holder's canonical facts and what
    ``check_registration`` decided."""

    holder: Any  # api.HolderFacts, validated and canonical
    arrival_date: dt.date
    registered_on: dt.date
    residence_address: str
    code: str  # the residence division code
    station: _Station
    deadline: dt.date
    provisional: bool
    on_time: bool
    reason: str  # 第二条: why the person counts as floating
    # The row's digest line without its receipt number (:func:`_digest_tail`): made where
    # the row is screened, so the writer, the import's slowest stage, only adds the receipt.
    digest_tail: str
    # Set when the row is admitted (the file row number; the row as read, for the report).
    number: int = 0
    row: Mapping[str, Any] = field(default_factory=dict)

    def packed(self) -> tuple[Any, ...]:
        """The screened values as a tuple, to cross a pipe: unpickling a dataclass costs
        ten times a tuple's (measured: 32 µs against 3 µs a row, more than the checks)."""
        return (tuple(vars(self.holder).values()), self.arrival_date, self.registered_on,
                self.residence_address, self.code, self.station, self.deadline,
                self.provisional, self.on_time, self.reason, self.digest_tail)

    @classmethod
    def unpacked(cls, values: tuple[Any, ...]) -> _Good:
        holder, *rest = values
        return cls(api.HolderFacts(*holder), *rest)


#: What :meth:`_Checker.screen` gives: the errors of a row refused before the duplicate
#: check, or its ID number with the row's outcome after it (a _Good, or the errors).
Screened = list[str] | tuple[str, _Good | list[str]]


class _Checker:
    """One file's checks: the API's rule functions, with the facts they read loaded once.

    A row is checked in two steps, in the API's order: :meth:`screen`, every rule that reads
    only the row and the file's facts (pydantic, 第四条, 第十条, 第二条), which a checking
    process can run; then :meth:`admit`, in file order in the importing process: "not the
    same person as an earlier row" (it depends on the rows before), the ``--station``
    restriction and the actor's right. :meth:`check` is both at once."""

    def __init__(self, session: Session, *, actor: Any, as_of: dt.date, station: Any) -> None:
        self.model = row_model()
        self.facts = _FileFacts(session)
        self.actor, self.as_of, self.station = actor, as_of, station
        self.seen: dict[str, int] = {}  # ID number → row accepted earlier in the file

    def check(self, number: int, row: Mapping[str, Any]) -> _Good | list[str]:
        return self.admit(number, row, self.screen(row))

    def screen(self, row: Mapping[str, Any]) -> Screened:
        data = {k: v for k, v in row.items() if v is not None and v != ""}
        sex = data.get("sex")
        if sex in SEX_WORDS:  # a clerk's spreadsheet says 男/女; the API's value is male/female
            data["sex"] = SEX_WORDS[sex]
        try:
            m: Any = self.model.model_validate(data)
        except ValidationError as exc:
            return [msg for msgs in api.validation_messages(self.model, exc).values()
                    for msg in msgs]
        try:
            registered_on = m.registered_on or self.as_of
            service.check_not_future(registered_on, self.as_of, field="registered_on",
                                     label="登记日期")
            holder = api.validate_holder(api.HolderFacts(
                m.name, m.sex, m.ethnicity, m.birth_date, m.id_number, m.hukou_address,
                m.hukou_division_code, m.phone), self.as_of)
        except api.RuleError as err:
            return [err.message]
        try:
            plan = service.check_registration(
                self.facts, hukou_division_code=holder.hukou_division_code,
                arrival_date=m.arrival_date, residence_division_code=m.residence_division_code,
                registered_on=registered_on, current_from=None)
        except api.RuleError as err:
            return holder.id_number, [err.message]
        deadline = plan.deadline
        return holder.id_number, _Good(
            holder, m.arrival_date, registered_on, m.residence_address, plan.code,
            plan.station, deadline.deadline, deadline.provisional, plan.on_time,
            plan.classification.reason, _digest_tail(
                tuple(getattr(holder, k) for k in DIGEST_HOLDER), plan.station.code,
                m.arrival_date, registered_on, m.residence_address, plan.code,
                deadline.deadline, plan.on_time, deadline.provisional))

    def admit(self, number: int, row: Mapping[str, Any], screened: Screened
              ) -> _Good | list[str]:
        if isinstance(screened, list):
            return screened
        id_number, outcome = screened
        earlier = self.seen.get(id_number)
        if earlier is not None:
            return [f"公民身份号码：与第 {earlier} 行相同，本次导入已登记此人，不能重复录入（{B4}）"]
        if isinstance(outcome, list):
            return outcome
        station = outcome.station
        if self.station is not None and station.id != self.station.id:
            return [f"居住地区划代码：居住地不在{self.station.name}辖区，应由{station.name}"
                    f"办理（{B10}）"]
        if self.actor is not None:
            try:
                service.authorize_registration(self.actor, station)
            except api.ApiError as err:
                return [err.message]
        self.seen[id_number] = number
        outcome.number, outcome.row = number, row
        return outcome

    def forget(self, good: _Good) -> None:
        """A row refused after all (its person is already on record)."""
        self.seen.pop(good.holder.id_number, None)


# ------------------------------------------------------------------------------ writing

#: json.dumps(…, ensure_ascii=False) without building an encoder per line.
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode
#: The holder's facts a digest line carries, in its order.
DIGEST_HOLDER = ("id_number", "name", "sex", "ethnicity", "birth_date", "hukou_address",
                 "hukou_division_code", "phone")
#: The registration's, after the station code.
DIGEST_REGISTRATION = ("arrival_date", "registered_on", "residence_address",
                       "residence_division_code", "deadline", "on_time", "provisional")


def _digest_line(receipt: str, holder: Sequence[Any], station_code: str, arrival: dt.date,
                 registered: dt.date, address: str, code: str, deadline: dt.date,
                 on_time: Any, provisional: Any) -> str:
    """One registration as the JSON array the chunk digest hashes: the receipt, the
    holder's facts in :data:`DIGEST_HOLDER` order (dates as text), the station code, then
    the registration's in :data:`DIGEST_REGISTRATION` order."""
    return _with_receipt(receipt, _digest_tail(holder, station_code, arrival, registered,
                                               address, code, deadline, on_time, provisional))


def _digest_tail(holder: Sequence[Any], station_code: str, arrival: dt.date,
                 registered: dt.date, address: str, code: str, deadline: dt.date,
                 on_time: Any, provisional: Any) -> str:
    """:func:`_digest_line` without the receipt: the JSON array of everything after it."""
    id_number, name, sex, ethnicity, birth, hukou_address, hukou_code, phone = holder
    return _ENCODE([id_number, name, sex, ethnicity, str(birth), hukou_address, hukou_code,
                    phone, station_code, str(arrival), str(registered), address, code,
                    str(deadline), bool(on_time), bool(provisional)])


def _with_receipt(receipt: str, tail: str) -> str:
    """The digest line from its tail: the receipt put first in the array, as
    ``_ENCODE([receipt, *items])`` writes it (items separated by ", ")."""
    return "[" + _ENCODE(receipt) + ", " + tail[1:]


def chunk_digest(lines: Iterable[tuple[str, str]]) -> str:
    """SHA-256 over the digest lines of a chunk's registrations in receipt-number order."""
    h = hashlib.sha256()
    for _receipt, line in sorted(lines):
        h.update(line.encode())
        h.update(b"\n")
    return h.hexdigest()


def _write_chunk(session: Session, goods: list[_Good], *, actor: _Actor | None, source: str,
                 rejected: int, ids: tuple[list[int], list[int]] | None = None) -> None:
    """Holders, residences, registrations and the chunk's audit event; the caller commits.
    ``ids``: the holders' and residences' ids, when taken beforehand (:func:`_take_ids`)."""
    # Receipt numbers first: the row locks they take also make this the writing transaction
    # (SQLite: the one writer) before SQLite's ids are taken below (PostgreSQL's come with
    # the chunk, taken from the sequences by the importing thread: _Writer.submit).
    groups: dict[tuple[int, int], list[int]] = {}
    for i, g in enumerate(goods):
        groups.setdefault((g.station.id, g.registered_on.year), []).append(i)
    receipts: list[str] = [""] * len(goods)
    ranges = []
    for (_sid, year), idx in sorted(groups.items()):
        station = goods[idx[0]].station
        numbers = documents.reserve_numbers(session, station, "registration", year, len(idx))
        for i, n in zip(idx, numbers):
            receipts[i] = n
        ranges.append([station.code, numbers[0], numbers[-1]])

    # The driver's own bulk path (executemany on SQLite, COPY on PostgreSQL) with the ids
    # taken beforehand: no ORM object, no per-row statement, no RETURNING; rows as tuples
    # in the order of the column names given.
    holders, residences = api.Holder.__table__, api.Residence.__table__
    holder_ids, residence_ids = ids if ids is not None else _take_ids(session, len(goods))
    api.bulk_write(session, holders, [
        (hid, h.name, h.sex, h.ethnicity, h.birth_date, h.id_number, h.hukou_address,
         h.hukou_division_code, h.phone)
        for hid, h in zip(holder_ids, (g.holder for g in goods))], HOLDER_COLUMNS)
    api.bulk_write(session, residences, [
        (rid, hid, g.residence_address, g.code, g.arrival_date)
        for rid, hid, g in zip(residence_ids, holder_ids, goods)], RESIDENCE_COLUMNS)
    reported_by = actor.id if actor is not None else None
    reporter_org = service.reporter_org_id(actor)
    api.bulk_write(session, Registration.__table__, [
        (receipts[i], holder_ids[i], g.station.id, g.arrival_date, g.registered_on,
         g.residence_address, g.code, g.deadline, g.on_time, g.provisional, g.reason,
         residence_ids[i], reported_by, reporter_org)
        for i, g in enumerate(goods)], REGISTRATION_COLUMNS)
    lines = [(receipt, _with_receipt(receipt, g.digest_tail))
             for receipt, g in zip(receipts, goods)]
    api.record_audit(session, action=ACTION, entity=Registration.__tablename__, actor=actor,
                     new={"source": source, "rows": [goods[0].number, goods[-1].number],
                          "imported": len(goods), "rejected": rejected,
                          "holder_ids": [min(holder_ids), max(holder_ids)],
                          "receipts": ranges, "digest": chunk_digest(lines)})


def _take_ids(session: Session, n: int) -> tuple[list[int], list[int]]:
    """Ids for ``n`` holders and their residences (``api.sequence_ids``)."""
    return (api.sequence_ids(session, api.Holder.__table__, n),
            api.sequence_ids(session, api.Residence.__table__, n))


HOLDER_COLUMNS = ("id", "name", "sex", "ethnicity", "birth_date", "id_number", "hukou_address",
                  "hukou_division_code", "phone")
RESIDENCE_COLUMNS = ("id", "holder_id", "address", "division_code", "from_date")
REGISTRATION_COLUMNS = ("receipt_number", "holder_id", "station_id", "arrival_date",
                        "registered_on", "residence_address", "residence_division_code",
                        "deadline", "on_time", "provisional", "floating_reason", "residence_id",
                        "reported_by_id", "reporter_org_id")


_SWITCH_LOCK = threading.Lock()
_switch_users = 0
_switch_before = 0.0


def _fast_switch(on: bool) -> None:
    """A 0.5 ms GIL hand-over while any threaded import writes (it is the process's setting,
    so two imports at once in a server share it): the first to start sets it, the last to
    finish puts back what was there before."""
    global _switch_users, _switch_before
    with _SWITCH_LOCK:
        if on:
            if _switch_users == 0:
                _switch_before = sys.getswitchinterval()
                sys.setswitchinterval(min(_switch_before, 0.0005))
            _switch_users += 1
        else:
            _switch_users -= 1
            if _switch_users == 0:
                sys.setswitchinterval(_switch_before)


class _Writer:
    """Writes each chunk in its own transaction (one audit event each).

    On PostgreSQL on a second thread, while the caller's thread checks the next chunk: the
    server's work (COPY, indexes, foreign keys) then overlaps the checks' Python instead of
    following it (measured: about 10 % more rows a second). On SQLite in the caller's thread:
    SQLite's work runs inside this process and a second thread only fights the checks for
    the GIL (measured: about 5 % fewer rows a second threaded). At most one chunk is in
    flight, and :meth:`wait` raises the writer's error in the caller's thread, so a failure
    stops the import after the chunks already committed, as a sequential import would. The
    writer has its own session on the caller's engine and an app context (the audit key); it
    touches only the plain values of :class:`_Good`."""

    def __init__(self, session: Session, *, actor: Any, source: str) -> None:
        from concurrent.futures import ThreadPoolExecutor

        from flask import current_app

        self.app = current_app._get_current_object()  # type: ignore[attr-defined]
        self.bind = session.get_bind()
        self.checking = session  # the caller's: only to take ids (submit)
        self.actor, self.source = _Actor.of(actor), source
        self.pool = (ThreadPoolExecutor(max_workers=1, thread_name_prefix="juzhu-import")
                     if self.bind.dialect.name == "postgresql" else None)
        if self.pool is not None:
            # The writer waits on the server hundreds of times a chunk and must get the GIL
            # back from the checking thread each time: at the default 5 ms hand-over it
            # spent more time waiting for the GIL than for the server (0.5 ms measured
            # 10–20 % more rows a second). Restored by close().
            _fast_switch(True)
        self.pending: Any = None
        self.written = self.chunks = 0
        self.rows = (0, 0)  # the file rows of the chunk written last (or being written)

    def submit(self, goods: list[_Good], rejected: int) -> None:
        if self.pool is None:
            self.written += self._write(goods, rejected)
            self.chunks += 1
            return
        # The chunk's ids are taken here, on the checking session, while the chunk before is
        # still being written: the writer's thread is the import's slowest stage (it waits
        # for the server's COPY), and taking 5 000 ids from each of two sequences cost it
        # about 30 ms a chunk (py-spy, 2026-12-05). Sequences are not transactional, so
        # this needs no transaction of the writer's; a chunk that fails only leaves ids
        # unused, as any failed insert does. (SQLite's ids are the table's max + 1 and
        # must be taken by the writer, under its write lock.)
        ids = _take_ids(self.checking, len(goods))
        self.wait()
        self.pending = self.pool.submit(self._write, goods, rejected, ids)

    def _write(self, goods: list[_Good], rejected: int,
               ids: tuple[list[int], list[int]] | None = None) -> int:
        self.rows = (goods[0].number, goods[-1].number)
        with self.app.app_context(), Session(bind=self.bind) as session:
            try:
                _write_chunk(session, goods, actor=self.actor, source=self.source,
                             rejected=rejected, ids=ids)
                session.commit()
            except BaseException:
                session.rollback()
                raise
        return len(goods)

    def wait(self) -> None:
        if self.pending is not None:
            pending, self.pending = self.pending, None
            self.written += pending.result()
            self.chunks += 1

    def close(self) -> None:
        try:
            self.wait()
        finally:
            if self.pool is not None:
                self.pool.shutdown(wait=True, cancel_futures=True)
                _fast_switch(False)


# ------------------------------------------------------------------- checking processes

#: The checker of a checking process (set in the child by :func:`_adopt`, never in this one).
_SCREENER: _Checker | None = None


def _adopt(checker: _Checker) -> None:
    """In a checking process, as it starts: the checker it screens with (inherited through
    ``fork``, never pickled)."""
    global _SCREENER
    _SCREENER = checker


def _screen_rows(rows: list[Mapping[str, Any]]) -> list[Any]:
    """In a checking process: :meth:`_Checker.screen` for each row of a chunk, a good
    row's outcome packed (:func:`_unpack`)."""
    assert _SCREENER is not None
    out: list[Any] = []
    for row in rows:
        one = _SCREENER.screen(row)
        if type(one) is tuple and type(one[1]) is _Good:
            one = (one[0], one[1].packed())
        out.append(one)
    return out


def _unpack(screened: list[Any]) -> list[Screened]:
    """What :func:`_screen_rows` sent, as :meth:`_Checker.screen` gives it."""
    return [(one[0], _Good.unpacked(one[1])) if type(one) is tuple and type(one[1]) is tuple
            else one for one in screened]


def _screening_pool(checker: _Checker, processes: int) -> Any:
    """``processes`` forked processes that screen chunks while this one admits and writes.

    Why processes: checking and writing are both Python and hold the GIL, so a thread
    cannot overlap them (on SQLite the database's own work is in-process too); a process
    on the second core can. Why ``fork``: the child starts in milliseconds with the app,
    the row model and the file's facts already in memory (a spawned one would import the
    whole app again, seconds). The facts are all read beforehand (:class:`_FileFacts`), so
    a child never touches the database connections it inherits, and it ends with
    ``os._exit`` (multiprocessing's own), which closes none of them.

    Why an executor and not ``multiprocessing.Pool``: a checking process that dies (the
    kernel's out-of-memory killer, a crash) makes every pending result raise
    ``BrokenProcessPool``, which :func:`_run` reports as an aborted import; a ``Pool``
    quietly replaces the process and its lost chunk's result never comes, so the import
    would wait for ever. The processes are all forked here, before any thread is started
    (the executor's own, the writer's): a fork copies only the forking thread, and a lock
    another thread held at that moment would stay locked in the child."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("fork"),
                               initializer=_adopt, initargs=(checker,))
    try:
        # With fork the executor makes all its processes at the first submit.
        pool.submit(int).result()
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    return pool


def processes_for(table: Table) -> int:
    """Checking processes for the console's import of ``table``: one per core beyond this
    one's (at most 3: past that the writing in this process is the bottleneck), none for a
    file of one chunk or on a system without ``fork``."""
    import multiprocessing

    if table.total is not None and table.total <= CHUNK_SIZE:
        return 0
    if "fork" not in multiprocessing.get_all_start_methods():
        return 0
    # The cores this process may run on (Linux); elsewhere, the machine's.
    cores = (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
             else os.cpu_count() or 1)
    return max(0, min(cores - 1, 3))


def _checked(session: Session, checker: _Checker, chunk: list[tuple[int, Mapping[str, Any]]],
             result: ImportResult, screened: list[Screened] | None = None) -> list[_Good]:
    """The chunk's rows that pass every rule, including "not already on record" (one query
    per chunk); the others go to ``result.rejected``. ``screened``: the chunk's rows
    already screened by a checking process."""
    goods: list[_Good] = []
    if screened is None:
        screened = [checker.screen(row) for _number, row in chunk]
    for (number, row), one in zip(chunk, screened):
        outcome = checker.admit(number, row, one)
        if isinstance(outcome, _Good):
            goods.append(outcome)
        else:
            result.rejected.append((number, dict(row), outcome))
    if not goods:
        return goods
    known = api.lookup_many(session, api.Holder.id_number, api.Holder.id,
                            [g.holder.id_number for g in goods])
    if not known:
        return goods
    kept = []
    for g in goods:
        if g.holder.id_number in known:
            checker.forget(g)
            result.rejected.append((g.number, dict(g.row),
                                    [api.DuplicateIdNumber(known[g.holder.id_number]).message]))
        else:
            kept.append(g)
    return kept


def _run(session: Session, rows: Iterable[tuple[int, Mapping[str, Any]]], *, actor: Any,
         as_of: dt.date, station: Any, source: str, progress: Callable[[int], None] | None,
         chunk_size: int, write: bool, sample: int = 0, processes: int = 0) -> ImportResult:
    result = ImportResult()
    if write:
        # The writer's own connection must see what the caller's session holds and must
        # not wait on its locks (SQLite): commit it first, as the first chunk used to.
        session.commit()
    checker = _Checker(session, actor=actor, as_of=as_of, station=station)
    # The process's objects so far (the app, its metadata, the checker's facts) are out of
    # the garbage collector's reach while the rows are checked: its full collections would
    # otherwise scan them again and again (7 % of an import's time measured). Unfrozen at
    # the end, so a long-running server keeps collecting them as before. Frozen before any
    # checking process is forked, which then shares those pages instead of copying them.
    gc.freeze()
    # Forked before the writer starts its thread: a fork copies only the forking thread.
    pool = _screening_pool(checker, processes) if processes > 0 else None
    writer = _Writer(session, actor=actor, source=source) if write else None
    # Chunks sent to the checking processes, oldest first: at most one more than there are
    # processes, so each has its next chunk queued while this process admits and writes.
    sent: deque[tuple[list[tuple[int, Mapping[str, Any]]], Any]] = deque()

    def flush(chunk: list[tuple[int, Mapping[str, Any]]],
              screened: list[Screened] | None = None) -> None:
        before = len(result.rejected)
        goods = _checked(session, checker, chunk, result, screened)
        result.valid += len(goods)
        if len(result.sample) < sample:
            result.sample.extend((g.number, dict(g.row)) for g in goods[:sample - len(result.sample)])
        if writer is not None and goods:
            writer.submit(goods, len(result.rejected) - before)
        if progress is not None:
            progress(len(chunk))

    def send(chunk: list[tuple[int, Mapping[str, Any]]]) -> None:
        if pool is None:
            flush(chunk)
            return
        sent.append((chunk, pool.submit(_screen_rows, [row for _n, row in chunk])))
        while len(sent) > processes:
            oldest, screening = sent.popleft()
            flush(oldest, _unpack(screening.result()))

    try:
        try:
            chunk: list[tuple[int, Mapping[str, Any]]] = []
            for item in rows:
                chunk.append(item)
                if len(chunk) >= chunk_size:
                    send(chunk)
                    chunk = []
            if chunk:
                send(chunk)
            while sent:
                oldest, screening = sent.popleft()
                flush(oldest, _unpack(screening.result()))
        finally:
            if pool is not None:
                # The chunks not yet started are dropped; one being checked finishes first.
                pool.shutdown(wait=True, cancel_futures=True)
            if writer is not None:
                try:
                    writer.close()
                finally:
                    result.imported, result.chunks = writer.written, writer.chunks
            session.rollback()  # the checks only read; end their transaction
            gc.unfreeze()
    except SQLAlchemyError as exc:
        assert writer is not None
        first, last = writer.rows
        why = ("与库中已有的记录冲突（同一公民身份号码或登记凭证编号已存在）"
               if isinstance(exc, IntegrityError) else "数据库错误")
        raise ImportAborted(
            f"导入中断：第 {first}–{last} 行这一批写入时{why}，这一批及其后的行均未导入；"
            f"此前已导入 {result.imported} 条（已记入审计日志）。请核对后只导入未导入的行"
            f"（{B10}）", result) from exc
    except ImportAborted:
        raise
    except BrokenProcessPool as exc:  # a checking process died (_screening_pool)
        raise ImportAborted(f"导入中断：校验数据的子进程意外退出（如内存不足被系统终止），"
                            f"尚未写入的行均未导入；此前已导入 {result.imported} 条（已记入"
                            f"审计日志）。请核对后只导入未导入的行（{B10}）", result) from exc
    except ImportInputError as exc:  # the file went bad part-way (a later row unreadable)
        if writer is None or not result.imported:
            raise
        raise ImportAborted(f"{exc}；导入就此中断，此前已导入 {result.imported} 条（已记入审计"
                            f"日志），其后的行均未导入（{B10}）", result) from exc
    result.rejected.sort(key=lambda r: r[0])
    return result


def import_registrations(session: Session, rows: Iterable[tuple[int, Mapping[str, Any]]], *,
                         actor: Any, as_of: dt.date, station: Any = None, source: str = "",
                         progress: Callable[[int], None] | None = None,
                         chunk_size: int = CHUNK_SIZE, processes: int = 0) -> ImportResult:
    """Validate every row with the API's rules and register the good ones.

    ``rows``: (file row number, {field name: text}) as :func:`read_csv` / :func:`read_xlsx`
    give them. ``actor``: the user importing (None for the console: recorded as system);
    a station clerk may import only residences of its township, as through the API.
    ``station``: an OrgUnit to restrict the import to (rows of other townships are refused).
    ``progress(n)`` is called after each chunk with the rows it read. Commits once per chunk.
    ``processes``: checking processes to fork (:func:`_screening_pool`; the console's large
    files): 0 checks in this process, as a web request must (a worker of a server is no
    process to fork). The outcome is the same either way, row for row.
    """
    return _run(session, rows, actor=actor, as_of=as_of, station=station, source=source,
                progress=progress, chunk_size=chunk_size, write=True, processes=processes)


def preview_registrations(session: Session, rows: Iterable[tuple[int, Mapping[str, Any]]], *,
                          actor: Any, as_of: dt.date, station: Any = None, sample: int = 20,
                          chunk_size: int = CHUNK_SIZE, processes: int = 0) -> ImportResult:
    """What :func:`import_registrations` would do with the same rows, writing nothing:
    ``valid`` rows would be imported, ``rejected`` would not, ``sample`` holds the first
    ``sample`` good rows as read. The same checks in the same order, so a preview and the
    import that follows agree unless the database changed in between (the import checks
    again)."""
    return _run(session, rows, actor=actor, as_of=as_of, station=station, source="",
                progress=None, chunk_size=chunk_size, write=False, sample=sample,
                processes=processes)


# ------------------------------------------------------------------------------ proving

def verify_import_event(session: Session, new: Mapping[str, Any]) -> bool:
    """Whether the registrations an import event covers are still those it sealed: the
    digest recomputed from the rows of its receipt ranges equals the recorded one."""
    reg, holder, org = Registration, api.Holder, api.OrgUnit
    lines = []
    for station_code, first, last in new["receipts"]:
        stmt = (select(reg, holder, org.code).join(holder, holder.id == reg.holder_id)
                .join(org, org.id == reg.station_id)
                .where(reg.receipt_number >= first, reg.receipt_number <= last,
                       org.code == station_code))
        for r, h, code in session.execute(stmt):
            lines.append((r.receipt_number, _digest_line(
                r.receipt_number, [getattr(h, k) for k in DIGEST_HOLDER], code,
                *(getattr(r, k) for k in DIGEST_REGISTRATION))))
    return len(lines) == new["imported"] and chunk_digest(lines) == new["digest"]


# ------------------------------------------------------------------------------ report

def default_report_path(path: str) -> str:
    """``FILE`` stem + ``.errors.csv`` beside it."""
    return os.path.splitext(path)[0] + ".errors.csv"


def write_report(out: Any, table: Table, rejected: list[tuple[int, dict[str, Any], list[str]]]
                 ) -> None:
    """The refused rows with their original columns, then 行号 and 错误, every cell
    formula-escaped as the admin's CSV export does (``out``: a text stream)."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([api.csv_cell(h) for h in table.header] + [ROW_TITLE, ERROR_TITLE])
    for number, row, errors in rejected:
        writer.writerow([api.csv_cell(row.get(f, "")) for f in table.fields]
                        + [number, api.csv_cell("；".join(errors))])
