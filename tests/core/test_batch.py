"""Batch evaluation (DESIGN §4, §5): ``juzhu entitlements evaluate`` answers every holder in one
set-based query; the permit part of it agrees with the per-holder engine for every permit
history (none, several, suspended, revoked, issued after the day); CSV and JSON carry the same
rows; a bad code or date is one Chinese line naming the option; a terminal gets a progress bar."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import pty
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from core import api as kernel
from core.batch import evaluate_all, loop_rows, sql_rows
from core.cli import build_cli
from core.db import db
from core.models import Card, OrgUnit, Permit
from core.parameters import current_store
from core.rules import add_years, id_check_char

D = dt.date
SOURCE = "《测试规定》第一条"
MIN_AGE = kernel.Parameter("batch_test.min_age", "最低年龄", "岁", "dept-health", "int",
                           (kernel.parameter_value(D(2016, 1, 1), 18, SOURCE),), minimum=0)


# a threshold whose first value starts later than some days asked about
LATE = kernel.Parameter("batch_test.late_age", "新设年龄标准", "岁", "dept-health", "int",
                        (kernel.parameter_value(D(2026, 7, 1), 18, SOURCE),), minimum=0)


def late_check(facts: kernel.CheckFacts) -> kernel.Decision:
    ok = facts.holder.birth_date <= add_years(facts.as_of, -facts.param("batch_test.late_age"))
    return kernel.Decision.from_reasons([kernel.Reason("age", ok, "年龄", "测试")])


def late_sql(ctx: kernel.BatchContext) -> Any:
    return select(kernel.Holder.id).where(
        kernel.Holder.birth_date <= add_years(ctx.as_of, -ctx.param("batch_test.late_age")))


def adult_check(facts: kernel.CheckFacts) -> kernel.Decision:
    ok = facts.holder.birth_date <= add_years(facts.as_of, -facts.param("batch_test.min_age"))
    return kernel.Decision.from_reasons([kernel.Reason("age", ok, "年龄", "测试")])


def adult_sql(ctx: kernel.BatchContext) -> Any:
    return select(kernel.Holder.id).where(
        kernel.Holder.birth_date <= add_years(ctx.as_of, -ctx.param("batch_test.min_age")))


def test_plugin() -> tuple[str, Any]:
    module = types.ModuleType("batch_test")
    ents = [kernel.Entitlement("art18.12.adult", "（十二）", "成年人服务", "dept-health", adult_check,
                               adult_sql),
            # the same rule without a SQL form: batch falls back to the engine's loop
            kernel.Entitlement("art18.12.adult_loop", "（十二）", "成年人服务（逐人）", "dept-health",
                               adult_check),
            kernel.Entitlement("art18.12.late", "（十二）", "新设服务", "dept-health", late_check,
                               late_sql)]

    def register_parameters() -> Any:
        return [MIN_AGE, LATE]

    def register_entitlements() -> Any:
        return ents

    module.register_parameters = kernel.hookimpl(register_parameters)  # type: ignore[attr-defined]
    module.register_entitlements = kernel.hookimpl(register_entitlements)  # type: ignore[attr-defined]
    return "batch_test", module


test_plugin.__test__ = False  # type: ignore[attr-defined]


@pytest.fixture
def site(make_app: Any) -> Any:
    app = make_app(plugins=[test_plugin()])
    with app.app_context():
        yield app


SEQ = iter(range(100, 999))


def holder(birth: D) -> Any:
    first17 = f"530302{birth:%Y%m%d}{next(SEQ)}"
    if int(first17[-1]) % 2:  # odd 17th digit: male
        sex = "male"
    else:
        sex = "female"
    h = kernel.create_holder(db.session, kernel.HolderFacts(
        "王芳", sex, "汉族", birth, first17 + id_check_char(first17), "云南省曲靖市麒麟区",
        "530302", None), as_of=D(2026, 1, 1))
    db.session.flush()
    return h


def permit(h: Any, issued: D, *, until: D | None = None, revoked: D | None = None) -> None:
    station = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "station-530323001"))
    psb = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "county-psb"))
    p = Permit(number=f"N{h.id}-{issued:%Y%m%d}", holder_id=h.id, authority_id=psb.id,
               station_id=station.id, issued_on=issued,
               valid_until=until or kernel.rules.valid_until_for(issued),
               continuous_residence_since=issued, revoked_on=revoked)
    db.session.add(p)
    db.session.flush()
    db.session.add(Card(permit_id=p.id, serial=10_000 + p.id, station_id=station.id,
                        issued_on=issued, status="live", status_on=issued))
    db.session.flush()


@pytest.fixture
def population(site: Any) -> dict[str, int]:
    """One holder per permit history, adults and minors."""
    people = {
        "none": holder(D(1980, 1, 1)),
        "valid": holder(D(1980, 1, 1)),
        "minor": holder(D(2010, 6, 30)),
        "turns18": holder(D(2008, 6, 30)),  # 18 on 2026-06-30 exactly
        "suspended": holder(D(1980, 1, 1)),
        "revoked": holder(D(1980, 1, 1)),
        "revoked_later": holder(D(1980, 1, 1)),
        "future": holder(D(1980, 1, 1)),
        "renewed": holder(D(1980, 1, 1)),
    }
    permit(people["valid"], D(2026, 1, 15))
    permit(people["minor"], D(2026, 1, 15))
    permit(people["turns18"], D(2026, 1, 15))
    permit(people["suspended"], D(2025, 1, 15), until=D(2026, 1, 15))
    permit(people["revoked"], D(2026, 1, 15), revoked=D(2026, 3, 1))
    permit(people["revoked_later"], D(2026, 1, 15), revoked=D(2026, 12, 1))
    permit(people["future"], D(2026, 9, 1))
    # an old revoked permit and a newer valid one: the newer one decides
    permit(people["renewed"], D(2024, 1, 15), revoked=D(2025, 1, 1))
    permit(people["renewed"], D(2025, 6, 1), until=D(2027, 6, 1))
    db.session.commit()
    return {k: v.id for k, v in people.items()}


@pytest.mark.parametrize("as_of, expected", [
    (D(2026, 6, 29), {"none": "no_permit", "valid": "", "minor": "conditions",
                      "turns18": "conditions", "suspended": "suspended", "revoked": "revoked",
                      "revoked_later": "", "future": "no_permit", "renewed": ""}),
    (D(2026, 6, 30), {"none": "no_permit", "valid": "", "minor": "conditions", "turns18": "",
                      "suspended": "suspended", "revoked": "revoked", "revoked_later": "",
                      "future": "no_permit", "renewed": ""}),
    (D(2026, 12, 1), {"none": "no_permit", "valid": "", "minor": "conditions", "turns18": "",
                      "suspended": "suspended", "revoked": "revoked",
                      "revoked_later": "revoked", "future": "", "renewed": ""}),
    (D(2027, 1, 16), {"none": "no_permit", "valid": "suspended", "minor": "suspended",
                      "turns18": "suspended", "suspended": "suspended", "revoked": "revoked",
                      "revoked_later": "revoked", "future": "", "renewed": ""}),
])
def test_sql_and_per_holder_answers_agree_for_every_permit_history(
        population: dict[str, int], batch_agrees: Any, as_of: D, expected: dict[str, str]) -> None:
    rows = {r.holder_id: r for r in batch_agrees("art18.12.adult", as_of)}
    got = {name: rows[hid].reason for name, hid in population.items()}
    assert got == expected
    assert all(r.eligible == (r.reason == "") for r in rows.values())
    assert rows[population["none"]].permit_number is None


def test_without_a_sql_form_the_batch_loops_through_the_engine(site: Any,
                                                               population: dict[str, int]) -> None:
    store = current_store(db.session)
    _, looped = site.extensions["juzhu"].entitlements["art18.12.adult_loop"]
    _, with_sql = site.extensions["juzhu"].entitlements["art18.12.adult"]
    mode, rows = evaluate_all(db.session, looped, D(2026, 6, 30), store)
    assert mode == "loop"
    sql_mode, sql_rows_ = evaluate_all(db.session, with_sql, D(2026, 6, 30), store)
    assert sql_mode == "sql"
    assert [r.reason for r in rows()] == [r.reason for r in sql_rows_()]
    # the loop keeps memory flat by dropping loaded holders between chunks
    assert list(loop_rows(db.session, looped, D(2026, 6, 30), store)) == \
        list(sql_rows(db.session, with_sql, D(2026, 6, 30), store))


def test_cli_csv_and_json_carry_the_same_rows(site: Any, population: dict[str, int]) -> None:
    cli = build_cli(site)
    out_csv = CliRunner().invoke(cli, ["entitlements", "evaluate", "--entitlement",
                                       "art18.12.adult", "--as-of", "2026-06-30"])
    assert out_csv.exit_code == 0, out_csv.output
    rows = list(csv.DictReader(io.StringIO(out_csv.stdout)))
    assert list(rows[0]) == ["holder_id", "code", "as_of", "status", "eligible", "permit_number",
                             "permit_status", "reason"]
    assert len(rows) == len(population)
    by_id = {int(r["holder_id"]): r for r in rows}
    assert by_id[population["turns18"]]["eligible"] == "true"
    assert by_id[population["minor"]]["reason"] == "conditions"
    assert by_id[population["none"]]["permit_status"] == ""
    # the SQL path writes the statement's rows as they come; the per-holder path builds
    # each line in Python: the same text, byte for byte
    out_loop = CliRunner().invoke(cli, ["entitlements", "evaluate", "--entitlement",
                                        "art18.12.adult", "--as-of", "2026-06-30", "--loop"])
    assert out_loop.exit_code == 0 and out_loop.stdout == out_csv.stdout
    out_json = CliRunner().invoke(cli, ["entitlements", "evaluate", "--entitlement",
                                        "art18.12.adult", "--as-of", "2026-06-30",
                                        "--format", "json"])
    assert out_json.exit_code == 0
    doc = json.loads(out_json.stdout)  # stdout is JSON only
    assert doc["code"] == "art18.12.adult" and doc["mode"] == "sql" and doc["count"] == len(rows)
    assert [(r["holder_id"], r["eligible"], r["reason"]) for r in doc["rows"]] == \
        [(int(r["holder_id"]), r["eligible"] == "true", r["reason"]) for r in rows]
    assert doc["rows"][0]["permit_status"] in (None, "valid", "suspended", "revoked")


def test_cli_csv_with_no_holder_is_the_header_alone(site: Any) -> None:
    """The SQL path writes a chunk's lines at once; with no chunk at all the header still
    goes out, the same as the per-holder path's."""
    cli = build_cli(site)
    args = ["entitlements", "evaluate", "--entitlement", "art18.12.adult", "--as-of", "2026-06-30"]
    sql, loop = (CliRunner().invoke(cli, args + extra) for extra in ([], ["--loop"]))
    assert sql.exit_code == loop.exit_code == 0, sql.output
    assert sql.stdout == loop.stdout == \
        "holder_id,code,as_of,status,eligible,permit_number,permit_status,reason\n"


@pytest.mark.parametrize("args, words", [
    (["--entitlement", "art18.99"], "--entitlement：权益代码 art18.99 不存在"),
    (["--entitlement", "art18.12.adult", "--as-of", "2026-02-30"], "--as-of"),
])
def test_cli_bad_code_or_date_is_one_chinese_line(site: Any, args: list[str], words: str) -> None:
    result = CliRunner().invoke(build_cli(site), ["entitlements", "evaluate", *args])
    assert result.exit_code == 2 and words in result.stderr and result.stdout == ""


def test_the_real_entitlements_evaluate_over_the_demo(tmp_path: Path) -> None:
    """The console script over a demo database: every built-in item answers for every holder,
    and a terminal on stderr gets a progress bar while stdout stays CSV."""
    juzhu = Path(sys.executable).with_name("juzhu")
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUZHU_")}
    env.update(JUZHU_INSTANCE=str(tmp_path), JUZHU_DATABASE_URL=f"sqlite:///{tmp_path / 'd.sqlite'}",
               JUZHU_SECRET_KEY="s", JUZHU_AUDIT_KEY="a", JUZHU_QR_KEY="q",
               JUZHU_PASSWORD_SALT="p")
    subprocess.run([str(juzhu), "init", "--demo"], env=env, check=True, capture_output=True,
                   timeout=120)
    info = json.loads(subprocess.run([str(juzhu), "plugins", "--json"], env=env, check=True,
                                     capture_output=True, timeout=60).stdout)
    codes = [c for p in info for c in p["entitlements"]]
    assert {f"art18.{i}" for i in range(9, 12)} <= set(codes)
    master, slave = pty.openpty()
    proc = subprocess.run([str(juzhu), "entitlements", "evaluate", "--entitlement", "art18.9"],
                          env=env, stdout=subprocess.PIPE, stderr=slave, timeout=120, check=True)
    os.close(slave)
    bar = os.read(master, 4096).decode()
    os.close(master)
    lines = proc.stdout.decode().splitlines()
    assert lines[0].startswith("holder_id,code,as_of,status")
    assert len(lines) > 5 and "art18.9" in bar and "%" in bar


def test_a_day_before_any_value_of_a_threshold_is_ineligible_not_an_error(
        site: Any, population: dict[str, int], batch_agrees: Any, users: Any) -> None:
    """Asked about a day before the standard existed, the item is not available that day and
    says which standard was missing; the batch gives the same answer."""
    with site.app_context():  # `users` pushed the plain app's context after ours
        rows = {r.holder_id: r for r in batch_agrees("art18.12.late", D(2026, 6, 30))}
        assert rows[population["valid"]].reason == "conditions"
        assert rows[population["suspended"]].reason == "suspended"
        assert {r.holder_id: r for r in batch_agrees("art18.12.late", D(2026, 7, 1))}[
            population["valid"]].reason == ""
    _, token = users("county_admin")
    resp = site.test_client().get(
        f"/api/v1/holders/{population['valid']}/entitlements?as_of=2026-06-30",
        headers={"Authorization": f"Bearer {token}"})
    item = next(i for i in resp.json["items"] if i["code"] == "art18.12.late")
    assert item["status"] == "ineligible"
    assert item["reasons"][1]["code"] == "parameter_not_in_force"
    assert "新设年龄标准：2026年6月30日尚无取值（最早自2026年7月1日起）" in item["reasons"][1]["text"]
