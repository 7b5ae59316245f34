"""``juzhu plugin new NAME``: a new county-specific service (《办法》第十八条（十二）) as a
ready-to-install plugin package, built like the department plugins under ``plugins/``.

The package template is the folder ``core/plugin_template/`` (shipped as package data). Each
``*.tmpl`` file is rendered with :class:`string.Template` (``$name``, ``$package``, ...); in a
path, ``{name}`` and ``{package}`` are replaced, so the tree below mirrors the output.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from string import Template
from typing import Callable

import click
from flask import Flask

NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
TEMPLATE_DIR = Path(__file__).with_name("plugin_template")
DEFAULT_DEPARTMENT = "dept-civil-affairs"
# Orgs that own a public service (第二十条); a police station or an assisting party does not.
OWNER_KINDS = ("department", "county_psb")
TITLE_MAX = 30


class KitError(Exception):
    """A refusal of ``juzhu plugin new``, in Chinese; the command exits 2 with it."""


def taken_names() -> set[str]:
    """Plugin names in use: every installed plugin and the kernel's default plugins (pluggy
    refuses a second plugin of the same name at startup)."""
    from core.plugins import DEFAULT_PLUGINS, installed_entry_points

    return set(installed_entry_points()) | {m.rsplit(".", 1)[1] for m in DEFAULT_PLUGINS}


def check_name(name: str) -> None:
    if not NAME_RE.match(name):
        raise KitError(f"插件名 {name!r} 不合规：应以小写字母开头，只含小写字母、数字和下划线"
                       "（它将成为权益代码 art18.12.<插件名> 和 Python 包名的一部分）")
    if name in taken_names():
        raise KitError(f"插件名 {name!r} 已被占用（已安装的插件或内核默认插件），请另取一个名称")


def check_title(title: str) -> str:
    title = title.strip()
    if not title:
        raise KitError("--title：中文标题不能为空")
    if len(title) > TITLE_MAX:
        raise KitError(f"--title：中文标题“{title}”过长（不超过 {TITLE_MAX} 个字）")
    # A newline or control character would break the generated README and menus.
    if any(unicodedata.category(ch)[0] == "C" or unicodedata.category(ch) in ("Zl", "Zp")
           for ch in title):
        raise KitError("--title：中文标题不能含换行或控制字符")
    return title


def check_department(app: Flask, code: str) -> None:
    orgs = app.extensions["juzhu"].profile.orgs
    owners = [o for o in orgs if o.kind in OWNER_KINDS]
    if not any(o.code == code for o in owners):
        known = "、".join(f"{o.code}（{o.name}）" for o in owners)
        raise KitError(f"--department：单位代码 {code!r} 不是本县的主管部门；可选：{known}")


def render(target: Path, *, name: str, department: str, title: str) -> Path:
    """Write the package ``<target>/juzhu-<name>/``; returns its folder. Refuses an existing
    folder rather than mixing old and new files."""
    root = target / f"juzhu-{name}"
    if root.exists():
        raise KitError(f"目录 {root} 已存在：不覆盖已有文件，请换一个 --dir 或先移走该目录")
    package = f"juzhu_{name}"
    values = {
        "name": name,
        "package": package,
        "code": f"art18.12.{name}",
        "department": department,
        # JSON strings are valid Python literals too, double-quoted like the rest of the code.
        "department_py": json.dumps(department, ensure_ascii=False),
        "title": title,
        "title_py": json.dumps(title, ensure_ascii=False),
        # A JSON string is a valid TOML basic string (same escapes).
        "description_toml": json.dumps(f"juzhu 插件：{title}（《办法》第十八条（十二）art18.12.{name}）",
                                       ensure_ascii=False),
    }
    files = sorted(p for p in TEMPLATE_DIR.rglob("*.tmpl") if p.is_file())
    if not files:  # a broken installation must not produce an empty package silently
        raise KitError(f"找不到插件模板（{TEMPLATE_DIR}）：请重新安装 juzhu")
    for src in files:
        rel = src.relative_to(TEMPLATE_DIR).as_posix().removesuffix(".tmpl")
        rel = rel.replace("{package}", package).replace("{name}", name)
        out = root / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        text = Template(src.read_text(encoding="utf-8")).substitute(values)
        out.write_text(text, encoding="utf-8")
    return root


def add_commands(cli: click.Group, app: Flask, fail: Callable[[str], None]) -> None:
    @cli.group(help="插件开发工具")
    def plugin() -> None:
        pass

    @plugin.command("new", help="生成一个县级公共服务插件（《办法》第十八条（十二），权益代码 "
                                "art18.12.NAME）：安装包、检查、参数、管理页面、API 与测试")
    @click.argument("name")
    @click.option("--dir", "directory", default=".", show_default=True,
                  type=click.Path(file_okay=False, path_type=Path),
                  help="在此目录下生成 juzhu-NAME/")
    @click.option("--department", default=DEFAULT_DEPARTMENT, show_default=True,
                  help="主管部门的单位代码，例如 dept-health")
    @click.option("--title", default=None, help="中文标题（默认为 NAME）")
    def new(name: str, directory: Path, department: str, title: str | None) -> None:
        try:
            check_name(name)
            clean_title = check_title(title if title is not None else name)
            check_department(app, department)
            root = render(directory, name=name, department=department, title=clean_title)
        except KitError as err:
            fail(str(err))
            return
        click.echo(f"已生成插件 {name}（{clean_title}，主管部门 {department}）：{root}")
        click.echo("下一步：")
        click.echo(f"  pip install -e {root}")
        click.echo(f"  juzhu init    # 已安装的插件默认全部启用；若设置了 JUZHU_PLUGINS，请把 {name} 加入其中")
        click.echo(f"  python -m pytest {root / 'tests'}")
        click.echo(f"  然后修改 {root / f'juzhu_{name}'}/parameters.py 中的年龄条件来源，以及 rules.py 中的条件")
