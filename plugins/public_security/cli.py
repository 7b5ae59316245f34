"""The police's commands on the ``juzhu`` console script: ``juzhu sweep [--as-of DATE]``."""

from __future__ import annotations

import datetime as dt
import re
import sys
from typing import Any

import click

from core import api

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
