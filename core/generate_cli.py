"""``juzhu demo generate --holders N [--seed S] [--as-of DATE]``: bulk synthetic data
(core/generate.py). One transaction: on any error nothing is written. A progress bar goes to
stderr only when stderr is a terminal; stdout gets one summary line per table."""

from __future__ import annotations

import datetime as dt
import sys
import time
from typing import Callable

import click
from flask import Flask


def add_commands(cli: click.Group, app: Flask, fail: Callable[[str], None]) -> None:
    @cli.group(help="演示与测试数据")
    def demo() -> None:
        pass

    @demo.command("generate", help="批量生成合成的持证人及各部门数据（用于基准测试；"
                                   "追加在已有数据之后，身份号码不重复）")
    @click.option("--holders", "count", required=True, type=int, metavar="N",
                  help="生成的持证人数")
    @click.option("--seed", default=2026, show_default=True, type=int, help="随机数种子")
    @click.option("--as-of", "as_of", default=None, metavar="YYYY-MM-DD",
                  help="数据截至日期，默认今天")
    def generate(count: int, seed: int, as_of: str | None) -> None:
        from core.clock import today
        from core.db import db
        from core.generate import generate as run
        from core.migrate import current_heads

        if count < 1:
            fail(f"--holders：应为不小于 1 的整数，收到 {count}")
        now = today()
        try:
            day = dt.date.fromisoformat(as_of) if as_of else now
        except ValueError:
            fail(f"--as-of：日期 {as_of!r} 格式应为 YYYY-MM-DD")
        if day > now:
            fail(f"--as-of：{day.isoformat()} 晚于今天 {now.isoformat()}，合成数据不能预先登记"
                 "（《办法》第十条）")
        if not current_heads(app):
            fail("数据库尚未初始化：先运行 juzhu init")
        state = app.extensions["juzhu"]
        if state.profile.county_code not in _seeded_counties():
            fail("数据库尚未写入县域配置（派出所、县公安局）：先运行 juzhu init")
        stages = state.hooks.generate_demo_plugins()
        started = time.monotonic()
        with click.progressbar(length=count * len(stages), label=f"生成 {count} 名持证人",
                               file=sys.stderr, hidden=not sys.stderr.isatty()) as bar:
            try:
                result = run(db.session, state.hooks, state.profile, holders=count, seed=seed,
                             as_of=day, progress=bar.update)
                db.session.commit()
            except BaseException:
                db.session.rollback()
                raise
        seconds = time.monotonic() - started
        click.echo(f"已生成 {count} 名持证人（编号 {result.first_id}–"
                   f"{result.first_id + count - 1}，种子 {seed}，截至 {day.isoformat()}），"
                   f"用时 {seconds:.1f} 秒")
        for table, n in sorted(result.rows.items()):
            click.echo(f"  {table:<40} {n}")


def _seeded_counties() -> set[str]:
    from sqlalchemy import select

    from core.db import db
    from core.models import OrgUnit

    return set(db.session.scalars(select(OrgUnit.county_code).where(
        OrgUnit.kind == "police_station")))
