"""``juzhu import registrations FILE`` and :func:`importer.import_registrations` (《办法》第十条,
第四条, 第二条): the API's rules row by row, good rows committed in chunks with their audit
event, bad rows reported with their Chinese errors."""

from __future__ import annotations

import csv
import datetime as dt
import io
from itertools import count
from pathlib import Path
from typing import Any

import openpyxl
from click.testing import CliRunner
from flask import current_app
import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from core import audit
from core.cli import build_cli
from core.db import db
from core.models import AuditEvent, Holder, Residence
from plugins.public_security import importer
from plugins.public_security.models import Registration

from .conftest import DANFENG, DANFENG_CODE, XIONGBI_CODE, make_id

AS_OF = dt.date(2026, 12, 1)
FIELDS = ["name", "sex", "ethnicity", "birth_date", "id_number", "hukou_address",
          "hukou_division_code", "phone", "arrival_date", "residence_address",
          "residence_division_code", "registered_on"]
_seq = count(1)


def person(**kw: Any) -> dict[str, str]:
    """A valid row: hukou in 麒麟区 (outside the county), living in 丹凤街道."""
    birth = dt.date(1990, 3, 7)
    row = {"name": "李娜", "sex": "female", "ethnicity": "汉族", "birth_date": birth.isoformat(),
           "id_number": make_id("530302", birth, next(_seq), "female"),
           "hukou_address": "云南省曲靖市麒麟区南宁街道", "hukou_division_code": "530302001000",
           "phone": "13912345678", "arrival_date": "2026-09-30",
           "residence_address": "丹凤街道翠云社区3号", "residence_division_code": DANFENG_CODE,
           "registered_on": "2026-10-13"}
    row.update(kw)
    return row


def write_csv(path: Path, rows: list[dict[str, str]], header: list[str] | None = None,
              bom: bool = False) -> Path:
    header = header or FIELDS
    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        for row in rows:
            writer.writerow([row.get(f, "") for f in FIELDS])
    return path


def run(app: Any, *args: str) -> Any:
    return CliRunner().invoke(build_cli(app), ["import", "registrations", *args])


def report_rows(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for spreadsheet programs
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def count_of(model: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def bad_check_digit() -> dict[str, str]:
    row = person()
    last = row["id_number"][-1]
    row["id_number"] = row["id_number"][:-1] + ("0" if last != "0" else "1")
    return row


# ------------------------------------------------------------------ good and bad rows

def test_good_rows_are_committed_and_each_kind_of_bad_row_is_reported(
        app: Any, ps: Any, tmp_path: Path) -> None:
    known = ps.holder()
    local_birth = dt.date(1988, 5, 1)
    twin = person(name="王五")
    rows = [
        person(name="赵一"),                                             # row 2: good
        bad_check_digit(),                                              # 3
        person(hukou_division_code="530323001001",                     # 4: not floating
               id_number=make_id("530323", local_birth, 7, "female"),
               birth_date=local_birth.isoformat(), hukou_address="师宗县丹凤街道"),
        person(arrival_date="2026-10-20", registered_on="2026-10-13"),  # 5
        person(registered_on="2026-12-02", arrival_date="2026-11-30"),  # 6: after as_of
        twin,                                                           # 7: good
        dict(twin, name="王五二"),                                       # 8: same ID as row 7
        person(id_number=known.id_number, name=known.name, sex=known.sex,  # 9: in the database
               birth_date=known.birth_date.isoformat()),
        person(name="孙二", residence_division_code=XIONGBI_CODE),       # 10: good, 雄壁
    ]
    path = write_csv(tmp_path / "登记.csv", rows)
    before = count_of(Registration)

    result = run(app, str(path), "--as-of", AS_OF.isoformat())

    assert result.exit_code == 1, result.output
    report = tmp_path / "登记.errors.csv"
    assert "已导入 3 条" in result.output and "6 行未通过" in result.output
    assert str(report) in result.output
    errors = {int(r["行号"]): r["错误"] for r in report_rows(report)}
    assert sorted(errors) == [3, 4, 5, 6, 8, 9]
    assert errors[3] == "公民身份号码校验位错误（GB 11643-1999）"
    assert "不属于流动人口" in errors[4] and "第二条" in errors[4]
    assert "到达日期" in errors[5] and "第十条" in errors[5]
    assert "登记日期" in errors[6] and "不能预先登记" in errors[6]
    assert "第 7 行" in errors[8] and "第四条" in errors[8]
    assert f"持证人编号 {known.id}）" in errors[9] and "第四条" in errors[9]

    db.session.expire_all()
    assert count_of(Registration) == before + 3
    names = set(db.session.scalars(select(Holder.name).join(
        Registration, Registration.holder_id == Holder.id)))
    assert {"赵一", "王五", "孙二"} <= names and "王五二" not in names
    xiongbi = db.session.scalar(select(Registration).join(Holder).where(Holder.name == "孙二"))
    assert xiongbi.station.code == "station-530323102"


def test_preview_writes_nothing_and_agrees_with_the_import(app: Any, ps: Any) -> None:
    """The admin's preview: the same verdict per row as the import that follows, and not a
    row (nor an audit event) written by it."""
    known = ps.holder()
    twin = person(name="王五")
    rows = list(enumerate([person(name="赵一"), bad_check_digit(), twin, dict(twin, name="王五二"),
                           person(id_number=known.id_number, name=known.name, sex=known.sex,
                                  birth_date=known.birth_date.isoformat()),
                           person(name="孙二")], start=2))
    counts = (count_of(Holder), count_of(Registration), count_of(AuditEvent))

    preview = importer.preview_registrations(db.session, rows, actor=None, as_of=AS_OF,
                                             sample=2, chunk_size=2)

    assert counts == (count_of(Holder), count_of(Registration), count_of(AuditEvent))
    assert preview.imported == 0 and preview.valid == 3
    assert [n for n, _row in preview.sample] == [2, 4]
    assert [r[0] for r in preview.rejected] == [3, 5, 6]
    done = importer.import_registrations(db.session, rows, actor=None, as_of=AS_OF, chunk_size=2)
    assert done.imported == done.valid == 3
    assert [(n, e) for n, _r, e in done.rejected] == [(n, e) for n, _r, e in preview.rejected]


def test_each_error_names_its_field_and_article(app: Any, ps: Any) -> None:
    """The messages are the API's: the same RuleError texts and pydantic 422 texts."""
    rows = [(2, bad_check_digit()), (3, person(sex="未知")), (4, person(arrival_date="2026/9/30")),
            (5, {k: v for k, v in person().items() if k != "name"})]
    result = importer.import_registrations(db.session, rows, actor=None, as_of=AS_OF)
    assert result.imported == 0
    by_row = {n: errs for n, _row, errs in result.rejected}
    assert by_row[2] == ["公民身份号码校验位错误（GB 11643-1999）"]
    assert by_row[3] == ["性别：取值无效，可选 'male' or 'female'（《办法》第四条）"]
    assert by_row[4] == ["到达日期：日期格式应为 YYYY-MM-DD（《办法》第十条）"]
    assert by_row[5] == ["姓名：必须填写（《办法》第四条）"]


def test_check_digit_message_is_the_api_s(app: Any, api: Any, admin: Any) -> None:
    row = bad_check_digit()
    res = api("POST", "/holders", admin[1], {k: row[k] for k in FIELDS[:8]})
    assert res.status_code == 422
    result = importer.import_registrations(db.session, [(2, row)], actor=None, as_of=AS_OF)
    assert result.rejected[0][2] == [m for ms in res.json["fields"].values() for m in ms]


# ------------------------------------------------------------------ same as the API

def test_an_imported_row_gives_the_rows_the_api_gives(app: Any, api: Any, admin: Any) -> None:
    """POST /holders + POST /registrations for one person, the import for a second person
    with the same facts but the ID number: identical holder, residence and registration."""
    cases = [dict(arrival_date="2026-09-30", registered_on="2026-10-13"),  # on time
             dict(arrival_date="2026-09-30", registered_on="2026-10-14"),  # late
             dict(arrival_date="2026-11-20", registered_on="")]            # registered today
    for case in cases:
        via_api, via_import = person(**case), person(**case)
        res = api("POST", "/holders", admin[1], {k: via_api[k] for k in FIELDS[:8]})
        assert res.status_code == 201, res.json
        body = {"holder_id": res.json["id"], "arrival_date": via_api["arrival_date"],
                "residence_address": via_api["residence_address"],
                "residence_division_code": via_api["residence_division_code"]}
        if case["registered_on"]:
            body["registered_on"] = case["registered_on"]
        res = api("POST", "/registrations", admin[1], body)
        assert res.status_code == 201, res.json
        from core.clock import today
        result = importer.import_registrations(db.session, [(2, via_import)], actor=admin[0],
                                               as_of=today())
        assert result.imported == 1 and not result.rejected

        db.session.expire_all()
        a = db.session.get(Registration, res.json["id"])
        b = db.session.scalar(select(Registration).join(Holder).where(
            Holder.id_number == via_import["id_number"]))
        skip = {"id", "receipt_number", "holder_id", "residence_id", "created_at"}
        cols = [c.key for c in Registration.__table__.columns if c.key not in skip]
        assert {c: getattr(a, c) for c in cols} == {c: getattr(b, c) for c in cols}
        assert int(b.receipt_number[-6:]) == int(a.receipt_number[-6:]) + 1  # one sequence
        hcols = [c.key for c in Holder.__table__.columns
                 if c.key not in {"id", "id_number", "created_at"}]
        assert {c: getattr(a.holder, c) for c in hcols} == {c: getattr(b.holder, c) for c in hcols}
        ra, rb = db.session.get(Residence, a.residence_id), db.session.get(Residence, b.residence_id)
        assert (ra.address, ra.division_code, ra.from_date, ra.to_date) == \
            (rb.address, rb.division_code, rb.from_date, rb.to_date)
        assert rb.holder_id == b.holder_id


def test_checking_processes_give_the_same_outcome_row_for_row(app: Any, ps: Any,
                                                              clerk: Any) -> None:
    """The console checks big files in forked processes (importer._screening_pool): every
    row gets the verdict and the message it gets when checked in-process, including those
    that depend on the rows before it (a twin) or on the importer (a clerk's township), and
    the same rows are written."""
    known = ps.holder()
    twin = person(name="王五")
    rows = list(enumerate([
        person(name="赵一"), bad_check_digit(), twin, person(name="钱二", sex="女"),
        dict(twin, name="王五二"), person(arrival_date="2026-10-20", registered_on="2026-10-13"),
        person(id_number=known.id_number, name=known.name, sex=known.sex,
               birth_date=known.birth_date.isoformat()),
        person(name="孙二", residence_division_code=XIONGBI_CODE), person(phone="12"),
        person(name="李三"), dict(twin, name="王五三")], start=2))
    actor = clerk[0]

    def verdicts(result: Any) -> Any:
        return result.valid, [n for n, _r in result.sample], [(n, e) for n, _r, e in result.rejected]

    alone = importer.preview_registrations(db.session, rows, actor=actor, as_of=AS_OF,
                                           sample=20, chunk_size=2)
    forked = importer.preview_registrations(db.session, rows, actor=actor, as_of=AS_OF,
                                            sample=20, chunk_size=2, processes=2)
    assert verdicts(forked) == verdicts(alone)
    assert alone.valid == 4 and len(alone.rejected) == 7  # the case covers both kinds

    done = importer.import_registrations(db.session, rows, actor=actor, as_of=AS_OF,
                                         chunk_size=3, processes=1)
    assert (done.imported, [(n, e) for n, _r, e in done.rejected]) == (4, verdicts(alone)[2])
    names = db.session.scalars(select(Holder.name).join(
        Registration, Registration.holder_id == Holder.id).where(
        Registration.reported_by_id == actor.id).order_by(Holder.id)).all()
    assert names == ["赵一", "王五", "钱二", "李三"]


def test_only_a_console_file_of_more_than_one_chunk_is_checked_in_processes(
        monkeypatch: Any) -> None:
    table = importer.Table([], [], iter(()), total=importer.CHUNK_SIZE)
    assert importer.processes_for(table) == 0
    table.total = None  # a count not known: the file may be big
    monkeypatch.setattr(importer.os, "sched_getaffinity", lambda _pid: {0, 1})
    assert importer.processes_for(table) == 1
    monkeypatch.setattr(importer.os, "sched_getaffinity", lambda _pid: set(range(16)))
    assert importer.processes_for(table) == 3
    monkeypatch.setattr(importer.os, "sched_getaffinity", lambda _pid: {0})
    assert importer.processes_for(table) == 0


def test_a_station_clerk_imports_only_its_township(app: Any, ps: Any, clerk: Any) -> None:
    rows = [(2, person(name="甲")), (3, person(name="乙", residence_division_code=XIONGBI_CODE))]
    result = importer.import_registrations(db.session, rows, actor=clerk[0], as_of=AS_OF)
    assert result.imported == 1
    [(number, _row, errors)] = result.rejected
    assert number == 3 and "本所辖区" in errors[0] and "第十条" in errors[0]
    reg = db.session.scalar(select(Registration).join(Holder).where(Holder.name == "甲"))
    assert reg.reported_by_id == clerk[0].id


# ------------------------------------------------------------------ audit and chunks

@pytest.mark.parametrize("processes", [0, 1])
def test_audit_chain_verifies_and_each_chunk_is_proved(app: Any, ps: Any,
                                                       processes: int) -> None:
    rows = [(n, person(name=f"人{n}")) for n in range(2, 9)]
    rows.insert(2, (100, bad_check_digit()))
    rows.insert(3, (101, person(arrival_date="2026-12-30")))
    result = importer.import_registrations(db.session, rows, actor=None, as_of=AS_OF,
                                           chunk_size=3, source="t.csv", processes=processes)
    assert result.imported == 7 and [n for n, _r, _e in result.rejected] == [100, 101]
    assert result.chunks == 3  # 9 rows in chunks of 3; the bad ones lose no neighbour

    keys = current_app.config["JUZHU_AUDIT_KEYS"]
    assert list(audit.verify(db.session, keys)) == []
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "registration.import").order_by(AuditEvent.seq)).all()
    assert [e.new["imported"] for e in events] == [2, 2, 3]
    assert [e.new["rejected"] for e in events] == [1, 1, 0]
    assert all(e.new["source"] == "t.csv" for e in events)
    receipts = sorted(db.session.scalars(select(Registration.receipt_number)))
    assert [int(r[-6:]) for r in receipts] == list(range(1, 8))  # no gap across chunks
    assert events[1].new["receipts"] == [[DANFENG, receipts[2], receipts[3]]]
    assert all(importer.verify_import_event(db.session, e.new) for e in events)

    reg = db.session.scalar(select(Registration).where(Registration.receipt_number == receipts[3]))
    reg.residence_address = "改过的地址"
    db.session.flush()
    assert not importer.verify_import_event(db.session, events[1].new)
    assert importer.verify_import_event(db.session, events[0].new)
    db.session.rollback()


@pytest.mark.parametrize("processes", [0, 1])
def test_a_chunk_that_fails_to_write_stops_the_import_after_the_committed_ones(
        app: Any, ps: Any, processes: int) -> None:
    """A write the checks cannot foresee fails (here a receipt number already taken, a
    real unique violation): the error reaches the caller, the chunks before it stay with
    their audit events, nothing of it or after it is written, and the chain verifies. On
    PostgreSQL the chunks are written on a second thread (importer._Writer): the same."""
    from plugins.public_security.documents import PREFIXES
    from plugins.public_security.models import DocumentSequence

    station = ps.station(DANFENG)
    planted = ps.registration(ps.holder(name="占号"))
    last = db.session.scalar(select(DocumentSequence.last).where(
        DocumentSequence.station_id == station.id, DocumentSequence.kind == "registration",
        DocumentSequence.year == 2026)) or 0
    planted.receipt_number = f"{PREFIXES['registration']}{station.division_code[:9]}2026" \
                             f"{last + 3:06d}"  # the first number of the second chunk
    db.session.commit()
    holders, events = count_of(Holder), count_of(AuditEvent)
    rows = [(n, person(name=f"人{n}")) for n in range(2, 8)]

    with pytest.raises(importer.ImportAborted) as aborted:
        importer.import_registrations(db.session, rows, actor=None, as_of=AS_OF, chunk_size=2,
                                      processes=processes)

    assert isinstance(aborted.value.__cause__, IntegrityError)
    assert aborted.value.result.imported == 2
    assert str(aborted.value).startswith("导入中断：第 4–5 行这一批写入时与库中已有的记录冲突")
    assert "此前已导入 2 条" in str(aborted.value) and "第十条" in str(aborted.value)

    db.session.rollback()
    assert count_of(Holder) == holders + 2  # the first chunk only
    assert count_of(AuditEvent) == events + 1
    assert db.session.scalars(select(Holder.name).where(Holder.id > 0).order_by(
        Holder.id.desc()).limit(2)).all() == ["人3", "人2"]
    assert list(audit.verify(db.session, current_app.config["JUZHU_AUDIT_KEYS"])) == []


def test_a_checking_process_that_dies_aborts_the_import_instead_of_hanging(
        app: Any, ps: Any, monkeypatch: Any) -> None:
    """A checking process killed part-way (the out-of-memory killer, a crash) must end the
    import with the rows written so far and a clear message: the chunk it held never comes
    back, and an import that waited for it would hang for ever."""
    import os

    parent = os.getpid()
    screen = importer._Checker.screen

    def dies_on_its_row(self: Any, row: Any) -> Any:
        assert os.getpid() != parent, "rows are screened in the checking process"
        if row["name"] == "崩溃":
            os._exit(9)  # no clean-up, as SIGKILL would leave it
        return screen(self, row)

    monkeypatch.setattr(importer._Checker, "screen", dies_on_its_row)
    holders, events = count_of(Holder), count_of(AuditEvent)
    rows = [(n, person(name=f"人{n}")) for n in range(2, 8)]
    rows[3] = (5, person(name="崩溃"))  # in the second chunk of two

    with pytest.raises(importer.ImportAborted) as aborted:
        importer.import_registrations(db.session, rows, actor=None, as_of=AS_OF, chunk_size=2,
                                      processes=1)

    assert aborted.value.result.imported == 2
    assert str(aborted.value).startswith("导入中断：校验数据的子进程意外退出")
    assert "此前已导入 2 条" in str(aborted.value) and "第十条" in str(aborted.value)
    db.session.rollback()
    assert count_of(Holder) == holders + 2 and count_of(AuditEvent) == events + 1
    assert list(audit.verify(db.session, current_app.config["JUZHU_AUDIT_KEYS"])) == []


# ------------------------------------------------------------------ files and the CLI

def test_sex_may_be_written_in_chinese(app: Any, ps: Any) -> None:
    """A county's lists say 男/女; the row means what the API's male/female means (the ID
    number must still agree, 第四条)."""
    birth = dt.date(1991, 4, 2)
    rows = [(2, person(sex="男", birth_date=birth.isoformat(),
                       id_number=make_id("530302", birth, 41, "male"))),
            (3, person(sex="女")),
            (4, person(sex="男"))]  # a woman's ID number
    result = importer.import_registrations(db.session, rows, actor=None, as_of=AS_OF)
    assert result.imported == 2
    assert [(n, "性别" in e[0] and "第四条" in e[0]) for n, _r, e in result.rejected] == [(4, True)]
    assert sorted(db.session.scalars(select(Holder.sex).where(Holder.birth_date.in_(
        [birth, dt.date(1990, 3, 7)])).where(Holder.name == "李娜"))) == ["female", "male"]


def test_xlsx_with_chinese_titles_dates_and_numbers(app: Any, ps: Any, tmp_path: Path) -> None:
    titles = importer.columns()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([titles[f] for f in FIELDS])
    good = person(name="钱七")
    cells: list[Any] = [good[f] for f in FIELDS]
    cells[3] = dt.datetime(1990, 3, 7)  # a date cell
    cells[6] = 530302001000  # a number cell
    cells[8] = dt.date(2026, 9, 30)
    sheet.append(cells)
    sheet.append([None] * len(FIELDS))  # a blank row is skipped
    sheet.append([bad_check_digit()[f] for f in FIELDS])
    path = tmp_path / "list.xlsx"
    book.save(path)

    result = run(app, str(path), "--as-of", AS_OF.isoformat(), "--report",
                 str(tmp_path / "r.csv"))

    assert result.exit_code == 1, result.output
    db.session.expire_all()
    reg = db.session.scalar(select(Registration).join(Holder).where(Holder.name == "钱七"))
    assert reg.arrival_date == dt.date(2026, 9, 30) and reg.holder.birth_date.year == 1990
    [bad] = report_rows(tmp_path / "r.csv")
    assert bad["行号"] == "4" and "公民身份号码" in bad["错误"]
    assert list(bad)[:2] == [titles["name"], titles["sex"]]  # the file's own headers


def test_csv_with_bom_and_chinese_titles_imports_everything(
        app: Any, ps: Any, tmp_path: Path) -> None:
    titles = importer.columns()
    path = write_csv(tmp_path / "a.csv", [person(), person()],
                     header=[titles[f] for f in FIELDS], bom=True)
    result = run(app, str(path), "--as-of", AS_OF.isoformat())
    assert result.exit_code == 0, result.output
    assert "已导入 2 条" in result.output
    assert not (tmp_path / "a.errors.csv").exists()


def test_report_escapes_formulas(app: Any, ps: Any, tmp_path: Path) -> None:
    evil = bad_check_digit()
    evil["residence_address"] = "=HYPERLINK(\"http://x\",\"点我\")"
    evil["name"] = "@SUM(1)"
    path = write_csv(tmp_path / "e.csv", [evil])
    result = run(app, str(path), "--as-of", AS_OF.isoformat())
    assert result.exit_code == 1
    [row] = report_rows(tmp_path / "e.errors.csv")
    assert row["residence_address"] == "'=HYPERLINK(\"http://x\",\"点我\")"
    assert row["name"] == "'@SUM(1)"


def test_unusable_input_exits_2_with_one_chinese_line(app: Any, ps: Any, tmp_path: Path) -> None:
    before = count_of(Registration)
    missing = run(app, str(tmp_path / "nope.csv"))
    assert missing.exit_code == 2 and "文件不存在" in missing.output

    unknown = write_csv(tmp_path / "u.csv", [person()], header=FIELDS[:-1] + ["备注"])
    res = run(app, str(unknown))
    assert res.exit_code == 2 and "不认识的列：备注" in res.output

    short = tmp_path / "s.csv"
    short.write_text("name,sex\n张三,male\n", encoding="utf-8")
    res = run(app, str(short))
    assert res.exit_code == 2 and "缺少必填的列" in res.output and "arrival_date" in res.output

    good = write_csv(tmp_path / "g.csv", [person()])
    res = run(app, str(good), "--as-of", "2026-13-01")
    assert res.exit_code == 2 and "--as-of" in res.output
    res = run(app, str(good), "--station", "station-999")
    assert res.exit_code == 2 and "不是本县的派出所" in res.output
    other = tmp_path / "x.txt"
    other.write_text("x", encoding="utf-8")
    res = run(app, str(other))
    assert res.exit_code == 2 and ".csv 或 .xlsx" in res.output
    db.session.expire_all()
    assert count_of(Registration) == before


def test_station_option_refuses_other_townships(app: Any, ps: Any, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "st.csv",
                     [person(), person(residence_division_code=XIONGBI_CODE)])
    res = run(app, str(path), "--as-of", AS_OF.isoformat(), "--station", DANFENG)
    assert res.exit_code == 1
    [row] = report_rows(tmp_path / "st.errors.csv")
    assert row["行号"] == "3" and "辖区" in row["错误"] and "第十条" in row["错误"]


def test_the_writer_s_gil_hand_over_is_put_back_when_the_last_import_ends(
        app: Any, ps: Any) -> None:
    """The PostgreSQL writer thread shortens the process's GIL hand-over while it runs; two
    imports at once share it, and the setting before the first is what stays after both."""
    import sys

    before = sys.getswitchinterval()
    importer._fast_switch(True)
    importer._fast_switch(True)  # a second import starts meanwhile
    assert sys.getswitchinterval() == min(before, 0.0005)
    importer._fast_switch(False)  # the first ends: the second still writes
    assert sys.getswitchinterval() == min(before, 0.0005)
    importer._fast_switch(False)
    assert sys.getswitchinterval() == before
    importer.import_registrations(db.session, [(2, person())], actor=None, as_of=AS_OF)
    assert sys.getswitchinterval() == before
