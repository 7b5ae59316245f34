"""SQLite runs in WAL mode (core.db.configure_engine): a long read never makes a clerk's
commit wait or fail, and a backup taken while commits sit in the log still holds them."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any, Iterator

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select, text

from core.cli import build_cli
from core.clock import today
from core.db import db
from core.models import OrgUnit
from core.seed import init


@pytest.fixture
def app(make_app: Any, tmp_path: Path) -> Iterator[Any]:
    """An app on a SQLite file of its own, seeded with the county profile, whatever engine
    the suite runs on (WAL is SQLite's)."""
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'wal.sqlite'}")
    init(app, demo=False, as_of=today())
    with app.app_context():
        yield app


def test_the_file_database_runs_in_wal_mode(app: Any) -> None:
    assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_a_long_read_does_not_hold_up_a_commit(app: Any) -> None:
    """A reader part-way through a scan (an export, ``juzhu entitlements evaluate``) keeps
    its snapshot; a commit made meanwhile on another connection goes through at once. In
    the rollback-journal mode the commit would wait out the 5 s busy timeout and fail with
    "database is locked"."""
    units = db.session.scalar(select(func.count()).select_from(OrgUnit))
    assert units >= 2
    reader = db.engine.raw_connection()
    try:
        scan = reader.cursor()
        scan.execute("SELECT id FROM org_unit ORDER BY id")
        assert scan.fetchone() is not None  # the statement is still running

        writer = sqlite3.connect(db.engine.url.database, timeout=0.1)  # no waiting
        writer.execute("UPDATE org_unit SET name = name || '（改）' WHERE id = "
                       "(SELECT min(id) FROM org_unit)")
        writer.commit()
        writer.close()

        assert len(scan.fetchall()) == units - 1  # the reader goes on undisturbed
    finally:
        reader.close()
    assert db.session.scalar(select(func.count()).select_from(OrgUnit).where(
        OrgUnit.name.endswith("（改）"))) == 1


def test_a_backup_holds_commits_not_yet_checkpointed(app: Any, tmp_path: Path) -> None:
    """The last commits live in the -wal file until a checkpoint; ``juzhu backup`` reads
    the database through it, so they are in the copy."""
    live = Path(db.engine.url.database)
    unit = db.session.scalar(select(OrgUnit).order_by(OrgUnit.id))
    unit.name = "备份前最后一次提交"
    db.session.commit()
    assert Path(f"{live}-wal").stat().st_size > 0  # the commit is in the log, open connection

    made = CliRunner().invoke(build_cli(app), ["backup", str(tmp_path / "copy.sqlite")])
    assert made.exit_code == 0, made.output
    copy = sqlite3.connect(tmp_path / "copy.sqlite")
    assert copy.execute("SELECT name FROM org_unit WHERE id = ?", (unit.id,)).fetchone() == (
        "备份前最后一次提交",)
    assert not Path(f"{tmp_path / 'copy.sqlite'}-wal").exists()
