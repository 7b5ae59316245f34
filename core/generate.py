"""``juzhu demo generate --holders N``: bulk synthetic data for benchmarks and load tests.

The kernel makes the holders and their residences (``core.defaults.generate``); every plugin
adds its part through the ``generate_demo`` hook, reading the generated holders in chunks from
a :class:`Population` and writing rows with :meth:`Population.bulk_insert` (executemany on
SQLite, COPY on PostgreSQL). Rows are written with explicit ids, bypassing the service
functions (a million service calls would take hours) but keeping their invariants; the run
is one transaction and one audit event (``demo.generate``), never one per row.

Generating appends after the highest holder id, so it can run again on the same database:
ID numbers never collide, because each birth date's sequence codes continue above the highest
one already used (:class:`IdNumbers`).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, Mapping, NamedTuple, Sequence

from sqlalchemy import Table, func, select, text
from sqlalchemy.orm import Session

from core.db import bulk_write
from core.engine import permit_reason, status_reason, with_permit
from core.entitlements import Decision, Reason
from core.models import Holder, Permit, Residence
from core.parameters import ParameterStore, current_store
from core.profile import Profile
from core.rules import age_on, id_check_char, permit_status

CHUNK = 5000  # holders per chunk read by a plugin, rows per executemany batch
BASIS = "juzhu demo generate（合成演示数据）"


class IdNumbers:
    """GB 11643 numbers unique by construction: per birth date, sequence codes (the 15th–17th
    digits; the 17th odd for men) continue above every code already used on that date in any
    region, so a new number can equal no earlier one whatever its region code."""

    def __init__(self, used: Mapping[dt.date, int]) -> None:
        self._next = {day: seq // 2 + 1 for day, seq in used.items()}

    @classmethod
    def from_database(cls, session: Session) -> "IdNumbers":
        seq = func.max(func.substr(Holder.id_number, 15, 3))
        rows = session.execute(select(Holder.birth_date, seq).group_by(Holder.birth_date))
        return cls({day: int(top) for day, top in rows if top and top.isdigit()})

    def new(self, region: str, birth: dt.date, sex: str) -> tuple[str, dt.date]:
        """A fresh number for ``region``/``sex`` born on ``birth``; when that day's 500 codes
        are spent the birth date moves a day earlier. Returns (number, birth date used)."""
        while True:
            n = self._next.get(birth, 0)
            if n < 500:
                self._next[birth] = n + 1
                first17 = f"{region}{birth:%Y%m%d}{n * 2 + (1 if sex == 'male' else 0):03d}"
                return first17 + id_check_char(first17), birth
            birth -= dt.timedelta(days=1)


class GeneratedHolder(NamedTuple):
    """One generated holder as plugins read it (the kernel's facts, not the ORM object; a
    tuple, because a million of them are made per plugin)."""

    id: int
    name: str
    sex: str
    birth_date: dt.date
    id_number: str
    hukou_division_code: str
    phone: str | None
    residence_id: int
    residence_address: str
    residence_division_code: str
    arrived_on: dt.date


class PermitDates(NamedTuple):
    """A holder's latest permit: what a department needs to decide a row as of a day."""

    id: int
    number: str
    station_id: int
    issued_on: dt.date
    valid_until: dt.date
    continuous_residence_since: dt.date
    revoked_on: dt.date | None

    def valid_on(self, day: dt.date) -> bool:
        """The permit's status on ``day`` from its current dates (《办法》第十四条)."""
        return self.issued_on <= day and permit_status(self.valid_until, day,
                                                       self.revoked_on) == "valid"

    def reason_on(self, day: dt.date) -> Reason:
        """The engine's permit reason on ``day`` (core.engine.permit_reason, 第十四条、第十八条),
        judged like the engine with the permit's current dates, when this is the permit in
        force that day (issued on or before it: checked by :meth:`Population.with_permit`)."""
        return status_reason(self.number, permit_status(self.valid_until, day, self.revoked_on),
                             self.valid_until)


@dataclass
class Population:
    """What a ``generate_demo`` implementation gets: the generated holders and the tools to
    add rows for them quickly.

    ``first_id`` … ``first_id + count - 1`` are the new holders' ids; ``as_of`` the day the
    data is built around (nothing is dated after it); ``random`` the run's seeded generator
    (use :meth:`rng` for a plugin's own stream, so that one plugin's draws do not shift
    another's); ``profile`` the county; ``progress`` is called with the number of holders a
    plugin has finished, chunk by chunk.
    """

    session: Session
    profile: Profile
    as_of: dt.date
    seed: int
    first_id: int
    count: int
    progress: Callable[[int], None] = lambda n: None
    random: random.Random = field(init=False)
    ids: IdNumbers = field(init=False)
    rows: dict[str, int] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.random = self.rng("kernel")
        self.ids = IdNumbers.from_database(self.session)
        self._explicit_ids: set[str] = set()
        self._ages: dict[dt.date, int] = {}
        self._parameters: ParameterStore | None = None

    # -- reading ------------------------------------------------------------------------
    @property
    def holder_ids(self) -> range:
        return range(self.first_id, self.first_id + self.count)

    def age(self, birth: dt.date) -> int:
        """Age in full years (周岁) on ``as_of`` of someone born on ``birth`` (cached: a
        million holders share some 30,000 birth dates)."""
        age = self._ages.get(birth)
        if age is None:
            age = self._ages[birth] = age_on(birth, self.as_of)
        return age

    def rng(self, name: str) -> random.Random:
        """A generator seeded by the run's seed and ``name`` (e.g. the plugin's name)."""
        return random.Random(f"{self.seed}:{name}")

    def holders(self, size: int = CHUNK) -> Iterator[list[GeneratedHolder]]:
        """The generated holders with their current residence, in id order, ``size`` at a time.
        Each chunk is read whole before it is handed out, so the caller may write between
        chunks (SQLite allows no write under an open read of the same tables).

        Current, because the police move a few holders within the county (《办法》第十六条):
        the move closes the kernel's residence and opens another, and the plugins that run
        after the police read each holder once, where they now live (``arrived_on`` is then
        the day the holder came to that residence)."""
        for start in range(self.first_id, self.first_id + self.count, size):
            stop = min(start + size, self.first_id + self.count)
            yield self._read(Holder.id >= start, Holder.id < stop)

    def holders_among(self, ids: Sequence[int]) -> list[GeneratedHolder]:
        """The generated holders of ``ids`` (ascending), read as :meth:`holders` reads them:
        for a plugin that draws its share by holder id first and reads only the few drawn
        (a pass over every holder costs about a second per 100 000)."""
        return self._read(Holder.id.in_(ids)) if ids else []

    def _read(self, *where: Any) -> list[GeneratedHolder]:
        h, r = Holder, Residence
        rows = self.session.execute(
            select(h.id, h.name, h.sex, h.birth_date, h.id_number, h.hukou_division_code,
                   h.phone, r.id, r.address, r.division_code, r.from_date)
            .join(r, r.holder_id == h.id)
            .where(*where, r.to_date.is_(None)).order_by(h.id)).all()
        return [GeneratedHolder._make(row) for row in rows]

    def parameter(self, name: str, day: dt.date) -> Any:
        """The value of dated parameter ``name`` in force on ``day``, as the engine reads it
        (the declared values and the department's rows, loaded once per run: a stored
        decision names the same value the service would have used). ParameterError when
        none was in force that day."""
        if self._parameters is None:
            self._parameters = current_store(self.session)
        return self._parameters.value_on(name, day).value

    def with_permit(self, permit: PermitDates | None, day: dt.date, own: Decision) -> Decision:
        """The engine's answer on ``day`` (``api.decide``) for a holder whose latest permit is
        ``permit`` (from :meth:`permits_of`; None: none ever issued), from the department's
        own decision ``own`` of that day: the permit's reason first, eligible when the permit
        is valid and ``own`` passes. ``day`` may not be before the permit's issue: the engine
        would then judge an earlier permit, or none, which :meth:`permits_of` does not read."""
        if permit is None:
            return with_permit(permit_reason(None), own)
        if day < permit.issued_on:
            raise ValueError(f"{day} is before permit {permit.number} was issued "
                             f"({permit.issued_on}): the engine would judge an earlier one")
        return with_permit(permit.reason_on(day), own)

    def permits_of(self, holders: Sequence[GeneratedHolder]) -> dict[int, PermitDates]:
        """The latest permit of each of ``holders`` (in id order) that has one (by issue date,
        then id)."""
        if not holders:
            return {}
        p = Permit
        first, last = holders[0].id, holders[-1].id
        where = [p.holder_id >= first, p.holder_id <= last]
        if len(holders) * 4 < last - first + 1:  # a sparse sample: only its own permits
            where.append(p.holder_id.in_([h.id for h in holders]))
        rows = self.session.execute(
            select(p.holder_id, p.id, p.number, p.station_id, p.issued_on, p.valid_until,
                   p.continuous_residence_since, p.revoked_on)
            .where(*where).order_by(p.holder_id, p.issued_on, p.id)).all()
        return {row[0]: PermitDates._make(row[1:]) for row in rows}

    # -- writing ------------------------------------------------------------------------
    def new_id_number(self, region: str, birth: dt.date, sex: str) -> tuple[str, dt.date]:
        """A valid GB 11643 number no holder has and no other generated person got; the birth
        date may move a few days earlier when a day's codes run out (it is returned)."""
        return self.ids.new(region, birth, sex)

    def next_id(self, table: Any) -> int:
        """The first free integer id of ``table`` (a model or Table): rows written with
        explicit ids from here on (the PostgreSQL sequence is moved past them at the end)."""
        t = _table(table)
        return (self.session.scalar(select(func.max(t.c.id))) or 0) + 1

    def bulk_insert(self, table: Any, rows: Iterable[Mapping[str, Any] | Sequence[Any]],
                    columns: Sequence[str] | None = None) -> int:
        """Insert ``rows`` into ``table`` (a model or Table) in the run's transaction, fast:
        ``executemany`` in batches on SQLite, ``COPY … FROM STDIN`` on PostgreSQL. Rows are
        mappings, or sequences in the order of ``columns``. Values are converted by the
        columns' SQLAlchemy types (dates, booleans, JSON, decimals). Returns the row count."""
        t = _table(table)

        def explicit(cols: list[str]) -> None:  # ids given: the sequence moves in finish()
            if "id" in cols:
                self._explicit_ids.add(t.name)

        n = bulk_write(self.session, t, rows, columns, on_columns=explicit)
        self.rows[t.name] = self.rows.get(t.name, 0) + n
        return n

    def finish(self) -> None:
        """Move PostgreSQL's id sequences past the explicit ids written (SQLite needs nothing:
        its rowids continue from the highest one)."""
        if self.session.get_bind().dialect.name != "postgresql":
            return
        for name in sorted(self._explicit_ids):
            self.session.execute(text(
                f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), "
                f"(SELECT max(id) FROM \"{name}\"))"))


def _table(table: Any) -> Table:
    return table if isinstance(table, Table) else table.__table__


@dataclass(frozen=True)
class Result:
    first_id: int
    count: int
    seed: int
    as_of: dt.date
    rows: dict[str, int]


def generate(session: Session, hooks: Any, profile: Profile, *, holders: int, seed: int,
             as_of: dt.date, progress: Callable[[int], None] | None = None) -> Result:
    """Generate ``holders`` holders and every plugin's rows for them, audited once as
    ``demo.generate``, in the caller's transaction (the caller commits)."""
    from core import audit

    first = (session.scalar(select(func.max(Holder.id))) or 0) + 1
    population = Population(session, profile, as_of, seed, first, holders,
                            progress=progress or (lambda n: None))
    if session.get_bind().dialect.name == "sqlite":
        # a large page cache: the unique indexes (ID numbers, serials) take random inserts
        session.execute(text("PRAGMA cache_size = -262144"))
    hooks.generate_demo(session=session, population=population)
    population.finish()
    audit.record(session, action="demo.generate", entity="holder", entity_id=None, new={
        "holders": holders, "seed": seed, "as_of": as_of, "first_holder_id": first,
        "last_holder_id": first + holders - 1, "rows": dict(sorted(population.rows.items()))})
    return Result(first, holders, seed, as_of, dict(population.rows))
