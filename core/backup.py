"""``juzhu backup PATH`` and ``juzhu restore PATH [--yes]``: whole-database backups.

SQLite: an online copy with sqlite3's backup API (consistent while the server runs: the copy
is taken under one read transaction), written to a temporary file beside PATH, stamped with a
``juzhu_backup`` marker table, checked (``PRAGMA quick_check``) and then renamed onto PATH, so
PATH is never a half-written file. Restore accepts only such a file (SQLite header, marker
table, ``alembic_version``, ``audit_event``, ``audit_head``), copies it to a temporary file
beside the database, drops the marker and replaces the database with ``os.replace``.

PostgreSQL: ``pg_dump --format=custom`` of the configured database; restore with
``pg_restore --clean --if-exists --no-owner --single-transaction`` into it. The password is
never on the command line: it goes to the child process as ``PGPASSWORD``. A dump counts as a
juzhu backup when ``pg_restore --list`` shows the tables ``alembic_version``, ``audit_event``
and ``audit_head``.

Audit: a backup appends ``system.backup`` to the source database after the copy succeeded
(so the backup never claims a copy that failed, and the copy itself does not contain its own
event); a restore appends ``system.restore`` to the restored database. After a restore the
audit chain is verified; a break makes the command exit 1. Stop ``juzhu serve`` before a
restore: running processes keep the replaced SQLite file open, and their PostgreSQL
connections would block the restore's DROP statements.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.request import pathname2url

from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.engine import URL, make_url

from core import audit
from core.db import db

MARKER = "juzhu_backup"
FORMAT = 1
SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"
REQUIRED_TABLES = ("alembic_version", "audit_event", "audit_head")
RULE = "备份规则：只接受 juzhu backup 生成的文件"


class BackupError(Exception):
    """A refusal or failure, in Chinese, naming the field (PATH, --yes, the database)."""


@dataclass
class Result:
    path: Path
    kind: str  # "sqlite" | "postgresql"
    size: int
    sha256: str
    problems: list[str] = field(default_factory=list)
    events: int = 0
    notes: list[str] = field(default_factory=list)


# -- helpers ----------------------------------------------------------------------------------

def _url(app: Flask) -> URL:
    return make_url(app.config["SQLALCHEMY_DATABASE_URI"])


def _kind(url: URL) -> str:
    backend = url.get_backend_name()
    if backend in ("sqlite", "postgresql"):
        return backend
    raise BackupError(f"JUZHU_DATABASE_URL：不支持的数据库 {backend}（仅支持 SQLite 与 PostgreSQL）")


def safe_url(url: URL) -> str:
    """The database as messages may show it: no password."""
    return url.render_as_string(hide_password=True)


def _sqlite_file(url: URL) -> Path:
    if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
        raise BackupError(f"JUZHU_DATABASE_URL：{safe_url(url)} 不是 SQLite 数据库文件，无法备份或恢复")
    return Path(url.database).resolve()


def _read_only(path: Path) -> str:
    """A read-only SQLite URI for `path` (quoted: a file name may hold '?' or '#')."""
    return f"file:{pathname2url(str(path))}?mode=ro"


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _temp_beside(path: Path, what: str) -> Path:
    return path.with_name(f".{path.name}.{what}-{os.getpid()}.tmp")


def _heads(app: Flask) -> list[str]:
    from core.migrate import current_heads

    return sorted(current_heads(app))


def _code_heads(app: Flask) -> list[str]:
    from alembic.script import ScriptDirectory

    from core.migrate import alembic_config

    return sorted(ScriptDirectory.from_config(alembic_config(app)).get_heads())


def _record(app: Flask, action: str, new: dict[str, Any]) -> None:
    with app.app_context():
        audit.record(db.session, action=action, entity="database",
                     new={**new, "os_user": _os_user()})
        db.session.commit()
        db.session.remove()


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in this environment
        return str(os.getuid())


def _release(app: Flask) -> None:
    """Close this process's connections so the file can be replaced / tables dropped."""
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


# -- backup -----------------------------------------------------------------------------------

def backup(app: Flask, path: Path, *, force: bool = False) -> Result:
    url = _url(app)
    kind = _kind(url)
    path = Path(path).resolve()
    if path.exists() and not force:
        raise BackupError(f"PATH：{path} 已存在（备份规则：不覆盖已有文件；确需覆盖请加 --force）")
    if path.is_dir():
        raise BackupError(f"PATH：{path} 是目录，请给出备份文件名")
    if not path.parent.is_dir():
        raise BackupError(f"PATH：目录 {path.parent} 不存在")
    heads = _heads(app)
    if not heads:
        raise BackupError(f"JUZHU_DATABASE_URL：数据库 {safe_url(url)} 尚未初始化（先运行 juzhu init），无可备份的数据")
    county = app.extensions["juzhu"].profile.county_code
    tmp = _temp_beside(path, "backup")
    try:
        if kind == "sqlite":
            _sqlite_backup(_sqlite_file(url), tmp, county=county, heads=heads)
        else:
            _pg_dump(url, tmp)
        _fsync(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    result = Result(path=path, kind=kind, size=path.stat().st_size, sha256=_digest(path))
    _record(app, "system.backup", {"database": safe_url(url), "path": str(path), "kind": kind,
                                   "bytes": result.size, "sha256": result.sha256,
                                   "heads": heads})
    return result


def _sqlite_backup(source: Path, target: Path, *, county: str, heads: list[str]) -> None:
    if not source.exists():
        raise BackupError(f"JUZHU_DATABASE_URL：数据库文件 {source} 不存在")
    src = sqlite3.connect(_read_only(source), uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)  # all pages in one step: one consistent snapshot
        # A backup is one self-contained file, whatever the live database's journal mode
        # (core.db.configure_engine: WAL); the restored database takes WAL up again.
        dst.execute("PRAGMA journal_mode=DELETE")
        dst.execute(f"CREATE TABLE {MARKER} (format INTEGER NOT NULL, created_at TEXT NOT NULL,"
                    " source TEXT NOT NULL, county TEXT NOT NULL, heads TEXT NOT NULL)")
        dst.execute(f"INSERT INTO {MARKER} VALUES (?, ?, ?, ?, ?)",
                    (FORMAT, dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                     str(source), county, json.dumps(heads)))
        dst.commit()
        (check,) = dst.execute("PRAGMA quick_check").fetchone()
        if check != "ok":
            raise BackupError(f"PATH：备份文件校验失败（{check}）")
    finally:
        dst.close()
        src.close()


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """(connection URI without password, environment for the child)."""
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name}：找不到 PostgreSQL 客户端程序 {name}（安装 postgresql-client，"
                          "其版本不低于服务器版本，并确保它在 PATH 中）")
    return found


def _run(argv: list[str], env: dict[str, str], what: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        lines = [ln for ln in done.stderr.strip().splitlines() if ln.strip()]
        reason = "；".join(lines[:3]) or f"退出码 {done.returncode}"
        raise BackupError(f"{what} 失败：{reason}")
    return done


def _pg_dump(url: URL, target: Path) -> None:
    dsn, env = _libpq(url)
    _run([_tool("pg_dump"), "--format=custom", f"--file={target}", f"--dbname={dsn}"], env,
         "pg_dump")


# -- restore ----------------------------------------------------------------------------------

@dataclass
class BackupInfo:
    kind: str
    description: str  # Chinese, one line


def inspect_backup(path: Path) -> BackupInfo:
    """What PATH holds, or a BackupError saying why it is not a juzhu backup."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"PATH：备份文件 {path} 不存在（{RULE}）")
    with path.open("rb") as f:
        head = f.read(16)
    if head == SQLITE_MAGIC:
        return _inspect_sqlite(path)
    if head.startswith(PG_MAGIC):
        return _inspect_pg(path)
    raise BackupError(f"PATH：{path} 不是 juzhu 备份（既非 SQLite 数据库文件，也非 pg_dump 自定义格式；{RULE}）")


def _inspect_sqlite(path: Path) -> BackupInfo:
    conn = sqlite3.connect(_read_only(path), uri=True)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        missing = [t for t in (MARKER, *REQUIRED_TABLES) if t not in tables]
        if missing:
            raise BackupError(f"PATH：{path} 不是 juzhu 备份（缺少表 {', '.join(missing)}；{RULE}）")
        row = conn.execute(f"SELECT format, created_at, source, county FROM {MARKER}").fetchone()
        if row is None or row[0] != FORMAT:
            raise BackupError(f"PATH：{path} 的备份标记不可识别（{RULE}）")
        (check,) = conn.execute("PRAGMA quick_check").fetchone()
        if check != "ok":
            raise BackupError(f"PATH：备份文件已损坏（{check}）")
        events = conn.execute("SELECT count(*) FROM audit_event").fetchone()[0]
    except sqlite3.DatabaseError as err:
        raise BackupError(f"PATH：{path} 无法读取（{err}；{RULE}）") from err
    finally:
        conn.close()
    return BackupInfo("sqlite", f"{row[1]} 备份自 {row[2]}（县 {row[3]}，{events} 条审计事件）")


def _inspect_pg(path: Path) -> BackupInfo:
    done = _run([_tool("pg_restore"), "--list", str(path)], dict(os.environ), "pg_restore --list")
    tables = set()
    for line in done.stdout.splitlines():  # "215; 1259 16390 TABLE public audit_event owner"
        parts = line.split()
        if len(parts) >= 6 and parts[3] == "TABLE":
            tables.add(parts[5])
    missing = [t for t in REQUIRED_TABLES if t not in tables]
    if missing:
        raise BackupError(f"PATH：{path} 不是 juzhu 备份（转储中缺少表 {', '.join(missing)}；{RULE}）")
    when = next((ln.partition("Archive created at")[2].strip() for ln in done.stdout.splitlines()
                 if ln.startswith(";") and "Archive created at" in ln), "时间未知")
    return BackupInfo("postgresql", f"PostgreSQL 转储，创建于 {when}")


def describe_target(app: Flask) -> str:
    """What a restore would overwrite, in Chinese."""
    from core.models import AuditEvent, Holder, Permit, User

    url = _url(app)
    if _kind(url) == "sqlite" and not _sqlite_file(url).exists():
        return f"数据库文件 {_sqlite_file(url)}（尚不存在，将新建）"
    try:
        with app.app_context():
            counts = [db.session.scalar(select(func.count()).select_from(m))
                      for m in (Holder, Permit, User, AuditEvent)]
            db.session.remove()
    except Exception:  # an empty or foreign database: say so, do not guess
        return f"数据库 {safe_url(url)}（其中的全部数据）"
    return (f"数据库 {safe_url(url)}：现有持证人 {counts[0]} 人、居住证 {counts[1]} 张、"
            f"用户 {counts[2]} 个、审计事件 {counts[3]} 条")


def restore(app: Flask, path: Path, *, yes: bool) -> Result:
    url = _url(app)
    kind = _kind(url)
    path = Path(path).resolve()
    info = inspect_backup(path)
    if info.kind != kind:
        raise BackupError(f"PATH：{path} 是 {'SQLite' if info.kind == 'sqlite' else 'PostgreSQL'} "
                          f"备份，不能恢复到 {safe_url(url)}（{RULE}，且须与所配置的数据库同类）")
    if not yes:
        raise BackupError(f"--yes：恢复将用备份 {path}（{info.description}）整体覆盖"
                          f"{describe_target(app)}；确认无误请加 --yes（恢复规则：覆盖现有数据须明确确认）")
    digest = _digest(path)
    _release(app)
    if kind == "sqlite":
        _sqlite_restore(path, _sqlite_file(url))
    else:
        dsn, env = _libpq(url)
        _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
              f"--dbname={dsn}", str(path)], env, "pg_restore")
    result = Result(path=path, kind=kind, size=path.stat().st_size, sha256=digest)
    heads, expected = _heads(app), _code_heads(app)
    if heads != expected:
        result.notes.append(f"备份的数据库结构版本 {', '.join(heads) or '无'} 与本程序 "
                            f"{', '.join(expected)} 不同：请运行 juzhu init 升级")
    _record(app, "system.restore", {"database": safe_url(url), "path": str(path), "kind": kind,
                                    "bytes": result.size, "sha256": digest, "heads": heads})
    from core.models import AuditEvent

    with app.app_context():
        result.problems = [str(p) for p in audit.verify(db.session,
                                                        app.config["JUZHU_AUDIT_KEYS"])]
        result.events = db.session.scalar(select(func.count()).select_from(AuditEvent)) or 0
        db.session.remove()
    return result


def _sqlite_restore(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temp_beside(target, "restore")
    try:
        src = sqlite3.connect(_read_only(source), uri=True)
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)
            dst.execute(f"DROP TABLE {MARKER}")
            dst.commit()
            (check,) = dst.execute("PRAGMA quick_check").fetchone()
            if check != "ok":
                raise BackupError(f"PATH：恢复副本校验失败（{check}）")
        finally:
            dst.close()
            src.close()
        _fsync(tmp)
        if target.exists():
            _checkpoint(target)
        os.replace(tmp, target)
        # A journal of the old file must never be applied to the new one.
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
    finally:
        tmp.unlink(missing_ok=True)


def _checkpoint(target: Path) -> None:
    """Fold a WAL of the current database into it before replacing the file."""
    conn = sqlite3.connect(target)
    try:
        if conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


# -- commands ---------------------------------------------------------------------------------

def add_commands(cli: Any, app: Flask, fail: Any) -> None:
    import click

    @cli.command("backup", help="备份整个数据库到 PATH（SQLite 在线备份；PostgreSQL 用 pg_dump 自定义格式）")
    @click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--force", is_flag=True, help="PATH 已存在时覆盖")
    def backup_cmd(path: Path, force: bool) -> None:
        try:
            result = backup(app, path, force=force)
        except BackupError as err:
            fail(str(err))
        click.echo(f"已备份到 {result.path}（{result.size} 字节，SHA-256 {result.sha256}）")

    @cli.command("restore", help="用 PATH 的备份整体替换所配置的数据库，并校验审计链；须加 --yes 确认")
    @click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--yes", is_flag=True, help="确认覆盖现有数据库")
    def restore_cmd(path: Path, yes: bool) -> None:
        try:
            result = restore(app, path, yes=yes)
        except BackupError as err:
            fail(str(err))
        click.echo(f"已从 {result.path} 恢复数据库（SHA-256 {result.sha256}）")
        for note in result.notes:
            click.echo(f"注意：{note}", err=True)
        if result.problems:
            for problem in result.problems:
                click.echo(problem, err=True)
            click.echo(f"审计链校验失败：{len(result.problems)} 处问题（见上）", err=True)
            raise SystemExit(1)
        click.echo(f"审计链完好：{result.events} 条事件，封印全部正确")
