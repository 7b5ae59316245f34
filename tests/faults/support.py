"""What the PostgreSQL fault tests share: a database of their own, facts made beforehand,
worker processes (``_issuer.py``, ``_sweeper.py``) and the invariants that must hold after
any run.

Each test module gets its OWN database ``juzhu_faults_<pid>`` on the local server (never the
suite's ``test``/``test_gwN``), made by the module-scoped ``pg`` fixture and dropped at the
end. When the server is unreachable the module fails if ``JUZHU_TEST_DATABASE_URL`` is set (a
PostgreSQL run must prove this) and is skipped otherwise.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import pytest
from sqlalchemy import func, select

from core.app import create_app
from core.audit import verify
from core.db import db
from core.holders import HolderFacts, create_holder
from core.models import AuditEvent, AuditHead, Card, OrgUnit, Permit, Residence
from core.rules import id_check_char
from core.seed import init
from plugins.public_security import numbers
from plugins.public_security.models import Registration, SerialUse

from ._issuer import config

SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/"
ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"  # for CREATE / DROP DATABASE
ISSUER = Path(__file__).with_name("_issuer.py")
SWEEPER = Path(__file__).with_name("_sweeper.py")
ROOT = Path(__file__).resolve().parents[2]
ACCEPTED_ON = dt.date(2026, 12, 1)
REGISTERED_ON = dt.date(2026, 1, 10)  # eligible from 2026-07-10 (第十一条: 满半年)
DANFENG, DANFENG_CODE = "station-530323001", "530323001001"
XIONGBI, XIONGBI_CODE = "station-530323102", "530323102001"
PROCESSES, EACH = 4, 25
START = 5303230010001  # 丹凤派出所's range for part 1
KILL_START = 5303231020001  # 雄壁镇派出所's range for part 2
WAIT = 90  # seconds: an upper bound for a worker, never an assertion about speed


# -- the database of its own -------------------------------------------------------------

def _server_reachable() -> str | None:
    import psycopg

    try:
        psycopg.connect(ADMIN_DSN, connect_timeout=3).close()
    except Exception as exc:  # any failure to connect: reported as the reason
        return f"{type(exc).__name__}: {exc}"
    return None


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
        conn.execute(sql)


@dataclass
class Env:
    app: Any
    url: str
    name: str
    folder: Path
    clerks: dict[str, int]  # station code -> the id of a clerk of that station


@pytest.fixture(scope="module")
def pg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Env]:
    problem = _server_reachable()
    if problem is not None:
        if os.environ.get("JUZHU_TEST_DATABASE_URL"):
            pytest.fail(f"PostgreSQL 127.0.0.1:5432 不可达，PostgreSQL 测试不能跳过：{problem}")
        pytest.skip(f"PostgreSQL 127.0.0.1:5432 不可达：{problem}")
    name = f"juzhu_faults_{os.getpid()}"
    folder = tmp_path_factory.mktemp("faults")
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{name}"')
    url = SERVER + name
    app = None
    try:
        app = create_app(config(url, str(folder), "juzhu_faults_test"), enabled="", disabled="")
        init(app, demo=False, as_of=ACCEPTED_ON)
        with app.app_context():
            from core.auth import create_user

            clerks = {code: create_user(db.session, f"clerk-{code[-3:]}", "station_clerk",
                                        code).id for code in (DANFENG, XIONGBI)}
            db.session.commit()
        yield Env(app, url, name, folder, clerks)
    finally:
        if app is not None:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# -- facts made beforehand (the ps-factory style of the police's tests) -------------------

NAME_CHARS = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚"


def make_id(region: str, birth: dt.date, seq: int, sex: str) -> str:
    seq = seq * 2 + (1 if sex == "male" else 0)
    first17 = f"{region}{birth:%Y%m%d}{seq % 1000:03d}"
    return first17 + id_check_char(first17)


def make_holders(station_code: str, division_code: str, seqs: range) -> list[int]:
    """Floating holders (hukou in 麒麟区), each registered at ``station_code`` on
    REGISTERED_ON; committed. Returns their ids."""
    station = db.session.scalar(select(OrgUnit).where(OrgUnit.code == station_code))
    ids = []
    for seq in seqs:
        name = "张" + NAME_CHARS[seq % 20] + NAME_CHARS[(seq // 20) % 20]
        holder = create_holder(db.session, HolderFacts(
            name, "male", "汉族", dt.date(1990, 3, 7), make_id("530302", dt.date(1990, 3, 7),
                                                              seq, "male"),
            "云南省曲靖市麒麟区南宁街道", "530302001000", "13912345678"), as_of=ACCEPTED_ON)
        residence = Residence(holder_id=holder.id, address="某社区1号",
                              division_code=division_code, from_date=dt.date(2026, 1, 5))
        db.session.add(residence)
        db.session.flush()
        db.session.add(Registration(
            receipt_number=f"DJFAULT{seq}", holder_id=holder.id, station_id=station.id,
            arrival_date=dt.date(2026, 1, 5), registered_on=REGISTERED_ON,
            residence_address=residence.address, residence_division_code=division_code,
            deadline=REGISTERED_ON, on_time=True, provisional=False, floating_reason="测试",
            residence_id=residence.id))
        ids.append(holder.id)
    db.session.commit()
    return ids


def allocate(station_code: str, start: int, end: int) -> int:
    """A range through the register (audited, as the county admin would); its id."""
    rng = numbers.allocate_range(db.session, station=station_code, start=start, end=end,
                                 on=dt.date(2026, 1, 1), actor=None)
    db.session.commit()
    return rng.id


# -- worker processes ---------------------------------------------------------------------

class Worker:
    """One ``_issuer.py`` process; its output goes to files (no pipe can fill and block it)."""

    def __init__(self, env: Env, tag: str, mode: str, station: str | None,
                 holder_ids: list[int], script: Path = ISSUER, **extra: Any) -> None:
        self.folder = env.folder / tag
        self.folder.mkdir()
        spec = {"url": env.url, "instance": str(env.folder), "clerk_id": env.clerks.get(station or ""),
                "holder_ids": holder_ids, "accepted_on": ACCEPTED_ON.isoformat(),
                "app_name": f"juzhu_faults_{tag}", **extra}
        (self.folder / "spec.json").write_text(json.dumps(spec))
        self.out = open(self.folder / "stdout", "w")
        self.err = open(self.folder / "stderr", "w")
        self.proc = subprocess.Popen([sys.executable, str(script), mode,
                                      str(self.folder / "spec.json")],
                                     cwd=ROOT, stdout=self.out, stderr=self.err)

    def stderr(self) -> str:
        return (self.folder / "stderr").read_text()[-3000:]

    def finish(self) -> list[dict[str, Any]]:
        try:
            code = self.proc.wait(WAIT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            pytest.fail(f"worker {self.folder.name} hung:\n{self.stderr()}")
        self.out.close()
        self.err.close()
        assert code == 0, f"worker {self.folder.name} exited {code}:\n{self.stderr()}"
        return json.loads((self.folder / "stdout").read_text().strip().splitlines()[-1])

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.out.close()
        self.err.close()


def wait_for(what: str, done: Any, workers: list[Worker]) -> None:
    """Poll until ``done()``; fail at once with its stderr if a worker died meanwhile."""
    deadline = time.monotonic() + WAIT
    while not done():
        for w in workers:
            if w.proc.poll() is not None:
                pytest.fail(f"worker {w.folder.name} exited {w.proc.returncode} before {what}:"
                            f"\n{w.stderr()}")
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


# -- what must hold after any run ---------------------------------------------------------

def count(model: Any, *where: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def assert_consistent(app: Any) -> dict[str, int]:
    """County-wide invariants; returns the figures."""
    db.session.expire_all()
    permits = db.session.execute(select(Permit.id, Permit.number)).all()
    cards = db.session.execute(select(Card.permit_id, Card.serial)).all()
    uses = db.session.execute(select(SerialUse.serial, SerialUse.card_id, Card.serial)
                              .outerjoin(Card, Card.id == SerialUse.card_id)).all()
    numbers_ = Counter(p.number for p in permits)
    serials = Counter(c.serial for c in cards)
    assert [n for n, k in numbers_.items() if k > 1] == []  # no permit number twice
    assert [s for s, k in serials.items() if k > 1] == []  # no card serial twice
    # no half permit: each has its one card, whose serial is the permit number (第七条)
    by_permit = Counter(c.permit_id for c in cards)
    assert {p.id: by_permit[p.id] for p in permits} == {p.id: 1 for p in permits}
    assert {int(p.number) for p in permits} == set(serials)
    # every consumed number is on its card
    assert [u.serial for u in uses if u.card_id is None or u.serial != u[2]] == []
    assert {u.serial for u in uses} == set(serials)
    # the chain verifies, nothing lost at its tail
    assert list(verify(db.session, app.config["JUZHU_AUDIT_KEYS"])) == []
    head_seq = db.session.scalar(select(AuditHead.seq))
    events = count(AuditEvent)
    assert head_seq == events
    # exactly one issuance event set per permit: its application and its issue
    issue = Counter((e.entity_id, e.new["number"]) for e in db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "permit.issue")))
    assert issue == Counter((str(p.id), p.number) for p in permits)
    applied = Counter(e.new["permit_number"] for e in db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "application.create"))
        if e.new["permit_number"] is not None)
    assert applied == Counter(p.number for p in permits)
    return {"permits": len(permits), "duplicate_numbers": sum(k - 1 for k in numbers_.values()),
            "duplicate_serials": sum(k - 1 for k in serials.values()), "audit_events": events}
