"""The meta-test (datasette style): every hook is typed, documented in its docstring and in
docs/plugin_hooks.md, and exercised by at least one test."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from core import hookspecs

ROOT = Path(__file__).resolve().parents[2]
HOOKS = sorted(name for name, fn in vars(hookspecs).items()
               if callable(fn) and hasattr(fn, "juzhu_spec"))
DOCS = (ROOT / "docs" / "plugin_hooks.md").read_text(encoding="utf-8")
THIS = Path(__file__).resolve()
TEST_TEXT = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").rglob("test_*.py")
                      if p.resolve() != THIS)


def test_there_are_hooks() -> None:
    assert {"register_entitlements", "register_admin_views", "register_api", "register_cli",
            "register_dashboard_panels", "seed_demo", "register_migrations", "permit_issued",
            "permit_endorsed", "permit_suspended", "permit_replaced",
            "address_changed"} <= set(HOOKS)


@pytest.mark.parametrize("name", HOOKS)
def test_hookspec_is_typed_and_documented(name: str) -> None:
    fn = getattr(hookspecs, name)
    doc = " ".join((inspect.getdoc(fn) or "").split())
    assert "Parameters" in doc and "Returns" in doc, name
    # the docstring says whether the hook is firstresult, and says it rightly
    assert "firstresult" in doc, name
    assert ("Not ``firstresult``" in doc) == (not fn.juzhu_spec["firstresult"]), name
    sig = inspect.signature(fn)
    assert sig.return_annotation is not inspect.Signature.empty, name
    for param in sig.parameters.values():
        assert param.annotation is not inspect.Parameter.empty, (name, param.name)
        assert f" {param.name}:" in doc, (name, param.name)


@pytest.mark.parametrize("name", HOOKS)
def test_hook_has_a_docs_entry(name: str) -> None:
    assert f"## {name}" in DOCS


@pytest.mark.parametrize("name", HOOKS)
def test_hook_has_a_test(name: str) -> None:
    assert name in TEST_TEXT, f"no test mentions hook {name}"


@pytest.mark.parametrize("name", HOOKS)
def test_facade_calls_hook_with_keywords(name: str) -> None:
    from core import hooks

    source = inspect.getsource(hooks.Hooks)
    assert f'"{name}"' in source or f"hook.{name}" in source, name
