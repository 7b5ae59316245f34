"""`juzhu plugin new NAME`: a generated plugin installs, is discovered through its entry
point, decides its entitlement, and passes its own tests.

The generated package is installed with pip into a folder of this test (never into the venv:
other tests discover every installed plugin) and used by subprocesses through PYTHONPATH.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from core.cli import build_cli
from core.plugin_kit import TEMPLATE_DIR

ROOT = Path(__file__).resolve().parents[2]
JUZHU = Path(sys.executable).with_name("juzhu")
KEYS = {"JUZHU_SECRET_KEY": "kit-secret", "JUZHU_AUDIT_KEY": "kit-audit-key",
        "JUZHU_QR_KEY": "kit-qr-key", "JUZHU_PASSWORD_SALT": "kit-salt"}
NAME = "bus_pass"
CODE = f"art18.12.{NAME}"


def plugin_new(app: Any, *args: str) -> Any:
    with app.app_context():
        return CliRunner().invoke(build_cli(app), ["plugin", "new", *args])


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without this run's JUZHU_* settings, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUZHU_")}
    env.pop("PYTHONPATH", None)
    env.update(extra)
    return env


def run(*cmd: str, env: dict[str, str], cwd: Path, timeout: int = 120) -> Any:
    result = subprocess.run(list(cmd), env=env, cwd=cwd, capture_output=True, text=True,
                            timeout=timeout, check=False)
    assert result.returncode == 0, f"{cmd}\n{result.stdout}\n{result.stderr}"
    return result


def test_generated_plugin_installs_runs_and_passes_its_tests(make_app: Any,
                                                             tmp_path: Path) -> None:
    app = make_app()
    result = plugin_new(app, NAME, "--dir", str(tmp_path), "--department", "dept-health",
                        "--title", "公交优惠")
    assert result.exit_code == 0, result.output
    pkg = tmp_path / f"juzhu-{NAME}"
    package = pkg / f"juzhu_{NAME}"
    assert str(pkg) in result.output
    assert {p.relative_to(pkg).as_posix() for p in pkg.rglob("*") if p.is_file()} == {
        "pyproject.toml", "README.md", f"tests/test_{NAME}.py",
        *(f"juzhu_{NAME}/{m}.py" for m in ("__init__", "rules", "parameters", "entitlements",
                                           "routes", "admin")),
        f"juzhu_{NAME}/templates/{NAME}/about.html"}

    # A plugin imports only core.api from the kernel (DESIGN §1).
    for module in package.glob("*.py"):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("core"):
                assert node.module == "core" and [a.name for a in node.names] == ["api"], module
            if isinstance(node, ast.Import):
                assert not any(a.name.startswith("core") for a in node.names), module
    init = (package / "__init__.py").read_text(encoding="utf-8")
    assert 'DEPARTMENT = "dept-health"' in init and 'TITLE = "公交优惠"' in init
    assert 'ARTICLES = "《办法》第十八条（十二）"' in init
    assert f'{NAME} = "juzhu_{NAME}"' in (pkg / "pyproject.toml").read_text(encoding="utf-8")
    readme = (pkg / "README.md").read_text(encoding="utf-8")
    assert "pip install -e ." in readme and "JUZHU_PLUGINS" in readme

    # Install with the test venv's pip into a folder of our own.
    site = tmp_path / "site"
    env = clean_env()
    run(sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
        "--no-index", "--target", str(site), str(pkg), env=env, cwd=tmp_path)
    assert (site / f"juzhu_{NAME}" / "templates" / NAME / "about.html").is_file()

    # The console script, configured only through the environment, finds it by entry point.
    instance = tmp_path / "instance"
    env = clean_env(PYTHONPATH=str(site), **KEYS, JUZHU_INSTANCE=str(instance),
                    JUZHU_DATABASE_URL=f"sqlite:///{tmp_path / 'kit.sqlite'}",
                    JUZHU_PLUGINS=f"public_security,{NAME}")
    run(str(JUZHU), "init", "--demo", env=env, cwd=tmp_path)
    listed = {p["name"]: p for p in json.loads(
        run(str(JUZHU), "plugins", "--json", env=env, cwd=tmp_path).stdout)}
    assert set(listed) == {"public_security", NAME}
    mine = listed[NAME]
    assert mine["version"] == "0.1.0" and mine["distribution"] == f"juzhu-{NAME}"
    assert mine["department"] == "dept-health" and mine["title"] == "公交优惠"
    assert mine["entitlements"] == [CODE]
    assert mine["parameters"] == [f"{NAME}.min_age"]
    assert {"register_parameters", "register_entitlements", "register_admin_views",
            "register_api", "register_migrations"} == set(mine["hooks"])

    # Every holder is decided, by the SQL form; the demo adults with a valid permit pass.
    out = json.loads(run(str(JUZHU), "entitlements", "evaluate", "--entitlement", CODE,
                         "--format", "json", env=env, cwd=tmp_path).stdout)
    assert out["code"] == CODE and out["mode"] == "sql"
    assert {r["code"] for r in out["rows"]} == {CODE} and len(out["rows"]) >= 10
    assert any(r["eligible"] for r in out["rows"])
    assert all(r["permit_status"] == "valid" for r in out["rows"] if r["eligible"])

    # The generated package's own tests pass against this juzhu.
    tests = run(sys.executable, "-m", "pytest", str(pkg / "tests"), "-p", "no:cacheprovider",
                env=clean_env(PYTHONPATH=str(site)), cwd=tmp_path, timeout=300)
    last = tests.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"\d+ passed(, \d+ warnings?)? in [\d.]+s.*", last), tests.stdout


@pytest.mark.parametrize("name", ["BusPass", "1bus", "bus-pass", "bus pass", "_bus", "公交"])
def test_bad_name_is_refused_in_chinese(make_app: Any, tmp_path: Path, name: str) -> None:
    result = plugin_new(make_app(), name, "--dir", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert name in result.stderr and "插件名" in result.stderr and "不合规" in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("name", ["education", "public_security", "demo"])
def test_existing_plugin_name_is_refused(make_app: Any, tmp_path: Path, name: str) -> None:
    # "demo" is a kernel default plugin: a second plugin of that name could not register.
    result = plugin_new(make_app(), name, "--dir", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert name in result.stderr and "已被占用" in result.stderr
    assert not (tmp_path / "out").exists()


def test_existing_folder_is_not_overwritten(make_app: Any, tmp_path: Path) -> None:
    app = make_app()
    mine = tmp_path / f"juzhu-{NAME}" / "README.md"
    mine.parent.mkdir()
    mine.write_text("我的文件", encoding="utf-8")
    result = plugin_new(app, NAME, "--dir", str(tmp_path))
    assert result.exit_code == 2
    assert "已存在" in result.stderr and f"juzhu-{NAME}" in result.stderr
    assert mine.read_text(encoding="utf-8") == "我的文件"
    assert [p.name for p in mine.parent.iterdir()] == ["README.md"]


def test_department_must_be_an_owning_org(make_app: Any, tmp_path: Path) -> None:
    app = make_app()
    for code in ("station-530323001", "dept-nosuch"):
        result = plugin_new(app, NAME, "--dir", str(tmp_path / "out"), "--department", code)
        assert result.exit_code == 2 and code in result.stderr and "dept-health" in result.stderr
    assert not (tmp_path / "out").exists()


def test_defaults_and_a_title_needing_escapes(make_app: Any, tmp_path: Path) -> None:
    """Without options: dept-civil-affairs and the name as title. A title with quotes and a
    backslash still renders valid Python and TOML."""
    app = make_app()
    assert plugin_new(app, "ferry", "--dir", str(tmp_path)).exit_code == 0
    init = (tmp_path / "juzhu-ferry" / "juzhu_ferry" / "__init__.py").read_text(encoding="utf-8")
    assert 'DEPARTMENT = "dept-civil-affairs"' in init and 'TITLE = "ferry"' in init

    title = '渡口"免费\'乘船\\'
    assert plugin_new(app, "boat", "--dir", str(tmp_path), "--title", title).exit_code == 0
    pkg = tmp_path / "juzhu-boat"
    namespace: dict[str, Any] = {}
    source = (pkg / "juzhu_boat" / "__init__.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    for node in tree.body:  # the constants only: executing the hooks needs no app
        if isinstance(node, ast.Assign):
            exec(compile(ast.Module([node], []), "init", "exec"), namespace)
    assert namespace["TITLE"] == title
    import tomllib

    meta = tomllib.loads((pkg / "pyproject.toml").read_text(encoding="utf-8"))
    assert title in meta["project"]["description"]
    assert meta["project"]["entry-points"]["juzhu.plugins"] == {"boat": "juzhu_boat"}
    for module in (pkg / "juzhu_boat").glob("*.py"):
        ast.parse(module.read_text(encoding="utf-8"))  # every module is valid Python


@pytest.mark.parametrize("title", ["  ", "公交\n优惠", "公" * 31])
def test_bad_title_is_refused(make_app: Any, tmp_path: Path, title: str) -> None:
    result = plugin_new(make_app(), NAME, "--dir", str(tmp_path / "out"), "--title", title)
    assert result.exit_code == 2 and "--title" in result.stderr and "标题" in result.stderr
    assert not (tmp_path / "out").exists()


def test_template_files_ship_as_package_data() -> None:
    """setup.cfg's package_data for `core` covers every template file (the folder is no
    package, so a missing depth would leave files out of a wheel)."""
    import configparser

    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg", encoding="utf-8")
    patterns = [p.strip() for p in cfg["options.package_data"]["core"].splitlines() if p.strip()]
    files = [p.relative_to(TEMPLATE_DIR.parent).as_posix() for p in TEMPLATE_DIR.rglob("*")
             if p.is_file() and "__pycache__" not in p.parts]
    assert files and all(f.endswith(".tmpl") for f in files)
    for f in files:
        # setuptools' glob: "*" does not cross "/"; fnmatch's does, so compare depth too
        assert any(fnmatch(f, pat) and f.count("/") == pat.count("/") for pat in patterns), f
