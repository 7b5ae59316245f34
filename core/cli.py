"""The `juzhu` console script (DESIGN §5). Plugins add commands with `register_cli`."""

from __future__ import annotations

import json
import sys
from typing import Any, Sequence

import click
from flask import Flask
from sqlalchemy.exc import OperationalError, ProgrammingError

from core.errors import ConfigError


def _fail(message: str, code: int = 2) -> None:
    click.echo(f"错误：{message}", err=True)
    sys.exit(code)


def _db_error(app: Flask, exc: Exception) -> None:
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    safe = url.split("@")[-1] if "@" in url else url
    reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
    _fail(f"无法使用数据库 {safe}：{reason}（检查 JUZHU_DATABASE_URL 与数据库服务；新库先运行 juzhu init）")


def build_cli(app: Flask) -> click.Group:
    """A fresh command group for `app`, with the plugins' commands."""

    @click.group(help="师宗县居住证平台（juzhu）命令行")
    def cli() -> None:
        pass

    @cli.command(help="创建或升级数据库结构并写入县域配置；--demo 首次运行时加入演示数据")
    @click.option("--demo", is_flag=True, help="加入演示账号和演示人员")
    @click.option("--print-logins", is_flag=True, help="打印演示账号")
    def init(demo: bool, print_logins: bool) -> None:
        from core.clock import today
        from core.seed import init as do_init

        result = do_init(app, demo=demo, as_of=today())
        profile = app.extensions["juzhu"].profile
        click.echo(f"数据库已就绪：{profile.county_name}，单位变更 {result['orgs_changed']} 个"
                   + ("，已加入演示数据" if result["demo_seeded"] else ""))
        if demo and print_logins:
            from core.defaults.demo import DEMO_PASSWORD, DEMO_USERS

            click.echo(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
            for username, role, org, title in DEMO_USERS:
                click.echo(f"  {username:<10} {role:<15} {org or '':<20} {title}")

    @cli.command(help="启动服务（waitress，生产级 WSGI 服务器）")
    @click.option("--host", default="127.0.0.1", show_default=True)
    @click.option("--port", default=5000, show_default=True, type=int)
    @click.option("--threads", default=8, show_default=True, type=int)
    def serve(host: str, port: int, threads: int) -> None:
        import waitress

        from core.migrate import current_heads

        if not current_heads(app):
            _fail("数据库尚未初始化：先运行 juzhu init")
        click.echo(f"juzhu 服务地址 http://{host}:{port}/ （Ctrl+C 停止）")
        waitress.serve(app, host=host, port=port, threads=threads, ident="juzhu")

    @cli.group(help="用户管理")
    def user() -> None:
        pass

    @user.command("create", help="创建用户；--token 时最后一行打印新的 API 令牌")
    @click.argument("name")
    @click.option("--role", required=True, help="county_admin, station_clerk, police_officer, "
                  "dept_clerk, assistant, auditor")
    @click.option("--org", "org_code", default=None, help="所属单位代码")
    @click.option("--password", default=None, help="登录密码（省略则只能用令牌访问 API）")
    @click.option("--token", is_flag=True, help="同时生成 API 令牌")
    def user_create(name: str, role: str, org_code: str | None, password: str | None,
                    token: bool) -> None:
        from core.auth import AccountError, create_user, issue_token
        from core.db import db

        try:
            account = create_user(db.session, name, role, org_code, password=password)
            plain = issue_token(db.session, account) if token else None
            db.session.commit()
        except AccountError as err:
            db.session.rollback()
            _fail(str(err))
        click.echo(f"已创建用户 {name}（{role}{'，' + org_code if org_code else ''}）")
        if plain:
            click.echo(plain)

    @cli.command(help="已安装的插件；--json 时只输出 JSON")
    @click.option("--json", "as_json", is_flag=True)
    def plugins(as_json: bool) -> None:
        from core.plugin_info import describe

        info = describe(app)
        if as_json:
            click.echo(json.dumps(info, ensure_ascii=False, indent=2))
            return
        for p in info:
            click.echo(f"{p['name']} {p['version'] or ''}  {p['title']}（{p['department']}）")
            click.echo(f"    钩子：{', '.join(p['hooks'])}")
            if p["entitlements"]:
                click.echo(f"    权益：{', '.join(p['entitlements'])}")
            if p["parameters"]:
                click.echo(f"    参数：{', '.join(p['parameters'])}")

    @cli.group(help="审计日志")
    def audit() -> None:
        pass

    @audit.command("verify", help="校验审计链与封印；发现断裂时以非零状态退出")
    def audit_verify() -> None:
        from core.audit import verify
        from core.db import db

        problems = list(verify(db.session, app.config["JUZHU_AUDIT_KEYS"]))
        for problem in problems:
            click.echo(str(problem), err=True)
        if problems:
            sys.exit(1)
        from core.models import AuditEvent
        from sqlalchemy import func, select

        count = db.session.scalar(select(func.count()).select_from(AuditEvent))
        click.echo(f"审计链完好：{count} 条事件，封印全部正确")

    from core import backup, generate_cli, plugin_kit
    from core.batch_cli import add_commands

    add_commands(cli, app, _fail)
    backup.add_commands(cli, app, _fail)  # juzhu backup / juzhu restore
    plugin_kit.add_commands(cli, app, _fail)  # juzhu plugin new
    generate_cli.add_commands(cli, app, _fail)  # juzhu demo generate
    app.extensions["juzhu"].hooks.cli_commands(cli)
    return cli


#: Commands that read and write data and serve no page: their app is built without the HTTP
#: API's routes and the admin site (create_app(web=False)), which halves the start-up a
#: batch run pays (a million-holder evaluation is a few seconds).
BATCH_COMMANDS = frozenset({"entitlements", "import", "sweep"})


def command_of(argv: Sequence[str]) -> str | None:
    """The top-level command ``argv`` names (its first word that is not an option)."""
    return next((arg for arg in argv if not arg.startswith("-")), None)


def main(argv: list[str] | None = None) -> Any:
    from core.app import create_app

    words = sys.argv[1:] if argv is None else argv
    try:
        app = create_app(web=command_of(words) not in BATCH_COMMANDS)
    except ConfigError as err:
        _fail(str(err))
    cli = build_cli(app)
    with app.app_context():
        try:
            return cli.main(args=argv, prog_name="juzhu", standalone_mode=True)
        except (OperationalError, ProgrammingError) as exc:
            _db_error(app, exc)
