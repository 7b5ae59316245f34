"""The police's commands on the ``juzhu`` console script: ``juzhu sweep [--as-of DATE]`` and
``juzhu import registrations FILE [--report PATH] [--as-of DATE] [--station CODE]``."""

from __future__ import annotations

import datetime as dt
import re
import sys
import time
from typing import Any, NoReturn

import click

from core import api

from . import importer
from . import stations
from . import sweep as sweeping


def _as_of(value: str | None) -> dt.date:
    """``--as-of`` as a date (strict YYYY-MM-DD); today in Asia/Shanghai when omitted."""
    if value is None:
        return api.today()
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError
        return dt.date.fromisoformat(value)
    except ValueError:
        click.echo(f"错误：--as-of 应为 YYYY-MM-DD 格式的有效日期，收到 {value!r}", err=True)
        sys.exit(2)


def register(cli: Any) -> None:
    """Add the police's commands to the root click group (run inside an app context)."""

    @cli.command("sweep", help="记录按日期已发生的居住证使用功能中止（《办法》第十四条）")
    @click.option("--as-of", "as_of", default=None, metavar="YYYY-MM-DD",
                  help="截至日期，默认今天（北京时间）")
    def sweep_command(as_of: str | None) -> None:
        day = _as_of(as_of)
        count = sweeping.sweep(api.db.session, day)
        api.db.session.commit()
        click.echo(f"已记录 {count} 个居住证的使用功能中止（截至 {day.isoformat()}）")

    @cli.group("import", help="批量导入")
    def import_group() -> None:
        pass

    @import_group.command(
        "registrations",
        help="从 CSV（UTF-8）或 XLSX 批量导入暂住登记（《办法》第十条）：每行一人，列为持证人基本信息"
             "（第四条）与暂住登记的字段。逐行按 API 的规则校验，合格的行入库，不合格的行连同错误"
             "写入报告文件。退出码：0 全部导入，1 有行未通过，2 文件无法导入。")
    @click.argument("file", metavar="FILE")
    @click.option("--report", "report", default=None, metavar="PATH",
                  help="错误报告（CSV），默认与 FILE 同名、后缀 .errors.csv")
    @click.option("--as-of", "as_of", default=None, metavar="YYYY-MM-DD",
                  help="导入日期：登记日期的默认值和上限，默认今天（北京时间）")
    @click.option("--station", "station_code", default=None, metavar="CODE",
                  help="只导入该派出所辖区的登记，例如 station-530323001")
    def import_registrations(file: str, report: str | None, as_of: str | None,
                             station_code: str | None) -> None:
        day = _as_of(as_of)
        session = api.db.session
        station = None
        if station_code is not None:
            station = stations.station_by_code(session, station_code)
            if station is None:
                _unusable(f"--station：{station_code} 不是本县的派出所（《办法》第十条）")
        try:
            table, close = importer.open_table(file)
        except importer.ImportInputError as err:
            _unusable(str(err))
        started = time.perf_counter()
        try:
            with click.progressbar(length=table.total or 0, label="导入暂住登记",
                                   file=sys.stderr, hidden=not sys.stderr.isatty()) as bar:
                result = importer.import_registrations(
                    session, table.rows, actor=None, as_of=day, station=station,
                    source=file, progress=bar.update, processes=importer.processes_for(table))
        except importer.ImportInputError as err:
            session.rollback()
            _unusable(str(err))
        finally:
            close()
        seconds = time.perf_counter() - started
        rows = result.imported + len(result.rejected)
        took = f"（读入 {rows} 行，用时 {seconds:.1f} 秒，每秒 {rows / max(seconds, 1e-9):.0f} 行）"
        if not result.rejected:
            click.echo(f"已导入 {result.imported} 条暂住登记，全部通过校验{took}")
            return
        path = report or importer.default_report_path(file)
        with open(path, "w", encoding="utf-8-sig", newline="") as out:
            importer.write_report(out, table, result.rejected)
        click.echo(f"已导入 {result.imported} 条暂住登记；{len(result.rejected)} 行未通过校验，"
                   f"未导入，错误见 {path}{took}")
        sys.exit(1)


def _unusable(message: str) -> NoReturn:
    click.echo(f"错误：{message}", err=True)
    sys.exit(2)
