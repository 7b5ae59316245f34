"""The `juzhu` console script (DESIGN §5): init, plugins, user create, audit verify.

In-process tests use click's CliRunner on `core.cli.build_cli(app)`; the end-to-end ones run
the installed console script in a subprocess, configured only through the environment.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import func, inspect, select, update

from core.cli import BATCH_COMMANDS, build_cli, command_of
from core.db import db
from core.defaults.demo import DEMO_HOLDERS, DEMO_USERS
from core.models import ApiToken, AuditEvent, Holder, OrgUnit, User

JUZHU = Path(sys.executable).with_name("juzhu")
# Keys for databases these tests make themselves (the fixture database has its own).
FRESH_KEYS = {"JUZHU_SECRET_KEY": "cli-secret", "JUZHU_AUDIT_KEY": "cli-audit-key",
              "JUZHU_QR_KEY": "cli-qr-key", "JUZHU_PASSWORD_SALT": "cli-salt"}
BUILTIN_PLUGINS = {  # name: department
    "public_security": "county-psb", "education": "dept-education", "housing": "dept-housing",
    "health": "dept-health", "human_resources": "dept-hrss", "justice": "dept-justice",
    "civil_affairs": "dept-civil-affairs",
}
CJK = re.compile(r"[\u4e00-\u9fff]")


def keys_of(app: Any) -> dict[str, str]:
    """The keys an app runs with, so a subprocess seals and verifies with the same ones."""
    cfg = app.config
    return {"JUZHU_SECRET_KEY": cfg["SECRET_KEY"],
            "JUZHU_AUDIT_KEY": cfg["JUZHU_AUDIT_KEYS"][cfg["JUZHU_AUDIT_KEY_ID"]],
            "JUZHU_QR_KEY": cfg["JUZHU_QR_KEYS"][cfg["JUZHU_QR_KEY_ID"]],
            "JUZHU_PASSWORD_SALT": cfg["SECURITY_PASSWORD_SALT"]}


def juzhu(*args: str, db_url: str, instance: Path, keys: dict[str, str] = FRESH_KEYS,
          **env: str) -> subprocess.CompletedProcess[str]:
    """Run the installed console script with nothing but the given JUZHU_* settings."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("JUZHU_")}
    environ.update(keys, JUZHU_INSTANCE=str(instance), JUZHU_DATABASE_URL=db_url, **env)
    return subprocess.run([str(JUZHU), *args], env=environ, capture_output=True, text=True,
                          timeout=120, check=False)


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def empty_app(make_app: Any, tmp_path: Path) -> Any:
    """An app on an empty SQLite file, its context pushed."""
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'empty.sqlite'}")
    with app.app_context():
        yield app


# -- juzhu init -------------------------------------------------------------------------------

def test_init_creates_schema_and_county_profile(empty_app: Any) -> None:
    assert inspect(db.engine).get_table_names() == []
    cli = build_cli(empty_app)
    runner = CliRunner()

    result = runner.invoke(cli, ["init"])
    assert result.exit_code == 0, result.output
    assert "单位变更 17 个" in result.stdout

    tables = set(inspect(db.engine).get_table_names())
    assert {"org_unit", "holder", "permit", "card", "audit_event", "audit_head", "user",
            "role", "api_token", "alembic_version"} <= tables
    orgs = {o.code: o for o in db.session.scalars(select(OrgUnit))}
    assert len(orgs) == 17
    assert orgs["county-psb"].kind == "county_psb"
    station = orgs["station-530323001"]
    assert (station.name, station.kind, station.division_code) == \
        ("丹凤派出所", "police_station", "530323001")
    assert orgs["dept-education"].kind == "department"
    assert sum(o.kind == "police_station" for o in orgs.values()) == 10
    assert sum(o.kind == "department" for o in orgs.values()) == 6
    events = count(AuditEvent)
    assert events == 17  # each org unit's creation is audited
    db.session.rollback()

    again = runner.invoke(cli, ["init"])
    assert again.exit_code == 0, again.output
    assert "单位变更 0 个" in again.stdout
    assert count(OrgUnit) == 17 and count(AuditEvent) == events
    assert count(User) == 0  # no demo data unless asked


def test_init_demo_adds_demo_data_once(empty_app: Any) -> None:
    cli = build_cli(empty_app)
    runner = CliRunner()
    assert runner.invoke(cli, ["init"]).exit_code == 0
    assert count(User) == 0
    db.session.rollback()

    first = runner.invoke(cli, ["init", "--demo"])
    assert first.exit_code == 0, first.output
    assert "已加入演示数据" in first.stdout
    names = set(db.session.scalars(select(User.username)))
    assert names == {u[0] for u in DEMO_USERS}
    holders = count(Holder)  # the kernel's, and whatever the plugins' demo data adds
    assert holders >= len(DEMO_HOLDERS)
    events = count(AuditEvent)
    db.session.rollback()

    second = runner.invoke(cli, ["init", "--demo"])
    assert second.exit_code == 0, second.output
    assert "已加入演示数据" not in second.stdout and "单位变更 0 个" in second.stdout
    assert count(User) == len(DEMO_USERS)
    assert count(Holder) == holders
    assert count(AuditEvent) == events


# -- juzhu plugins --------------------------------------------------------------------------

def test_plugins_json_lists_the_builtin_plugins(tmp_path: Path) -> None:
    r = juzhu("plugins", "--json", db_url=f"sqlite:///{tmp_path / 'p.sqlite'}",
              instance=tmp_path)
    assert r.returncode == 0, r.stderr
    plugins = json.loads(r.stdout)  # stdout is JSON and nothing else
    assert {p["name"]: p["department"] for p in plugins} == BUILTIN_PLUGINS
    for p in plugins:
        assert p["version"] == version("juzhu")
        assert p["hooks"] and all(isinstance(h, str) and h for h in p["hooks"]), p
        assert isinstance(p["entitlements"], list)
    police = next(p for p in plugins if p["name"] == "public_security")
    assert police["entitlements"] == ["art18.9", "art18.10", "art18.11", "art19"]  # article order


def test_plugins_json_follows_juzhu_plugins(tmp_path: Path) -> None:
    r = juzhu("plugins", "--json", db_url=f"sqlite:///{tmp_path / 'p.sqlite'}",
              instance=tmp_path, JUZHU_PLUGINS="education")
    assert r.returncode == 0, r.stderr
    assert [p["name"] for p in json.loads(r.stdout)] == ["education"]


def test_unknown_plugin_is_one_line_on_stderr(tmp_path: Path) -> None:
    r = juzhu("plugins", db_url=f"sqlite:///{tmp_path / 'p.sqlite'}", instance=tmp_path,
              JUZHU_PLUGINS="nosuch")
    assert r.returncode != 0
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert "nosuch" in lines[0] and lines[0].startswith("错误：")
    assert "Traceback" not in r.stderr


# -- juzhu user create ----------------------------------------------------------------------

def test_user_create_token_works_and_only_its_hash_is_stored(app: Any, client: Any,
                                                             db_url: str,
                                                             tmp_path: Path) -> None:
    r = juzhu("user", "create", "danfeng_window", "--role", "station_clerk",
              "--org", "station-530323001", "--token",
              db_url=db_url, instance=tmp_path, keys=keys_of(app))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.strip().splitlines()
    assert "已创建用户 danfeng_window" in lines[0]
    token = lines[-1]
    assert re.fullmatch(r"[A-Za-z0-9_-]{40,}", token), token

    url = "/api/v1/calendar/working-days?from=2026-09-30&n=5"
    ok = client.get(url, headers={"Authorization": f"Bearer {token}"})
    assert ok.status_code == 200, ok.json
    assert ok.json == {"deadline": "2026-10-13", "provisional": False}
    assert client.get(url, headers={"Authorization": f"Bearer {token}x"}).status_code == 401

    user = db.session.scalar(select(User).where(User.username == "danfeng_window"))
    assert (user.role, user.org.code) == ("station_clerk", "station-530323001")
    rows = db.session.execute(select(ApiToken.__table__)).mappings().all()
    mine = [row for row in rows if row["user_id"] == user.id]
    assert len(mine) == 1
    assert mine[0]["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    for row in rows:
        assert all(token not in str(value) for value in row.values())
    assert not any(token in json.dumps(e.new, ensure_ascii=False)
                   for e in db.session.scalars(select(AuditEvent)))


@pytest.mark.parametrize("args,named", [
    (["--role", "station_clerk"], "--org"),
    (["--role", "dept_clerk", "--org", "station-530323001"], "丹凤派出所"),
    (["--role", "station_clerk", "--org", "station-999999999"], "station-999999999"),
    (["--role", "auditor", "--org", "county-psb"], "--org"),
    (["--role", "chief"], "chief"),
], ids=["station-without-org", "dept-at-station", "unknown-org", "auditor-with-org",
        "unknown-role"])
def test_user_create_refuses_a_wrong_role_or_org(app: Any, args: list[str],
                                                 named: str) -> None:
    accounts, events = count(User), count(AuditEvent)
    result = CliRunner().invoke(build_cli(app), ["user", "create", "clerk9", *args, "--token"])
    assert result.exit_code != 0
    assert result.stdout == ""  # no token printed
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1, message
    assert message.startswith("错误：") and CJK.search(message[3:]) and named in message
    assert count(User) == accounts and count(AuditEvent) == events
    assert db.session.scalar(select(User).where(User.username == "clerk9")) is None


# -- juzhu audit verify ---------------------------------------------------------------------

def test_audit_verify_passes_on_fresh_init_and_names_a_tampered_event(tmp_path: Path) -> None:
    path = tmp_path / "fresh.sqlite"
    url = f"sqlite:///{path}"
    init = juzhu("init", db_url=url, instance=tmp_path)
    assert init.returncode == 0, init.stderr
    assert "单位变更 17 个" in init.stdout

    ok = juzhu("audit", "verify", db_url=url, instance=tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert "审计链完好：17 条事件" in ok.stdout and ok.stderr == ""

    with sqlite3.connect(path) as conn:
        (new,) = conn.execute("SELECT new FROM audit_event WHERE seq = 5").fetchone()
        forged = {**json.loads(new), "name": "伪造的派出所"}
        conn.execute("UPDATE audit_event SET new = ? WHERE seq = 5",
                     (json.dumps(forged, ensure_ascii=False),))

    bad = juzhu("audit", "verify", db_url=url, instance=tmp_path)
    assert bad.returncode == 1
    lines = bad.stderr.strip().splitlines()
    assert len(lines) == 1, bad.stderr
    assert "第 5 条" in lines[0] and "封印不符" in lines[0]
    assert "Traceback" not in bad.stderr and "审计链完好" not in bad.stdout


def test_audit_verify_in_process_on_the_test_database(app: Any) -> None:
    cli = build_cli(app)
    ok = CliRunner().invoke(cli, ["audit", "verify"])
    assert ok.exit_code == 0, ok.output
    assert "审计链完好" in ok.stdout

    seq = db.session.scalar(select(func.max(AuditEvent.seq)))
    db.session.execute(update(AuditEvent.__table__).where(AuditEvent.__table__.c.seq == seq)
                       .values(new={"code": "county-psb", "name": "伪造"}))
    db.session.commit()
    bad = CliRunner().invoke(cli, ["audit", "verify"])
    assert bad.exit_code == 1
    assert f"第 {seq} 条" in bad.stderr


# -- an unreachable database ------------------------------------------------------------------

@pytest.mark.parametrize("url", ["postgresql+psycopg://nobody@127.0.0.1:1/none",
                                 "postgresql+psycopg://nobody:s3cret@127.0.0.1:1/none"])
def test_unreachable_database_is_one_clear_line(tmp_path: Path, url: str) -> None:
    r = juzhu("init", db_url=url, instance=tmp_path)
    assert r.returncode != 0
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("错误：") and "127.0.0.1:1/none" in lines[0]
    assert "Traceback" not in r.stderr
    assert "s3cret" not in r.stderr  # no credentials in the message


@pytest.mark.parametrize("argv, command", [
    (["entitlements", "evaluate", "--entitlement", "art18.4"], "entitlements"),
    (["--help"], None), ([], None), (["import", "--help"], "import"), (["serve"], "serve")])
def test_command_of_names_the_top_level_command(argv: list[str], command: str | None) -> None:
    assert command_of(argv) == command


def test_batch_commands_run_on_an_app_without_pages(make_app: Any) -> None:
    """The console's batch commands get an app without the API's routes and the admin
    (a faster start-up): everything they use is there, and no page is."""
    assert BATCH_COMMANDS == {"entitlements", "import", "sweep"}
    app = make_app(web=False)
    rules = {r.endpoint for r in app.url_map.iter_rules()}
    assert not any(e.startswith(("admin", "public_security_")) for e in rules)
    assert not any(r.rule.startswith("/api/") for r in app.url_map.iter_rules())
    assert app.extensions["juzhu"].admin is None
    assert "art18.4" in app.extensions["juzhu"].entitlements
    with app.app_context():
        out = CliRunner().invoke(build_cli(app), ["entitlements", "evaluate", "--entitlement",
                                                  "art18.4"])
        assert out.exit_code == 0, out.output
        assert out.stdout.splitlines()[0].startswith("holder_id,code,as_of")
        assert len(out.stdout.splitlines()) == 1 + db.session.scalar(
            select(func.count()).select_from(Holder))
        swept = CliRunner().invoke(build_cli(app), ["sweep"])
        assert swept.exit_code == 0, swept.output
