"""The meta-test (datasette style): every hook is typed, documented in its docstring and in
docs/plugins.md — its signature exactly as in core/hookspecs.py, every parameter, the return
value, firstresult, an example — and exercised by at least one test."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from core import hookspecs

ROOT = Path(__file__).resolve().parents[2]
HOOKS = sorted(name for name, fn in vars(hookspecs).items()
               if callable(fn) and hasattr(fn, "juzhu_spec"))
DOCS = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
THIS = Path(__file__).resolve()
TEST_TEXT = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").rglob("test_*.py")
                      if p.resolve() != THIS)
FENCED = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


def signature_line(name: str) -> str:
    """``def name(p: Ann, ...) -> Ret`` as inspect.signature gives it, with the string
    annotations as written in hookspecs.py (the module uses postponed annotations, so each
    one is its source text; inspect would wrap it in a second pair of quotes)."""
    sig = inspect.signature(getattr(hookspecs, name))
    params = ", ".join(f"{p.name}: {p.annotation}" for p in sig.parameters.values())
    return f"def {name}({params}) -> {sig.return_annotation}"


def section(name: str) -> str:
    """The docs' section of a hook: from its ``## name`` heading to the next ``## ``."""
    match = re.search(rf"^## {re.escape(name)}\n(.*?)(?=^## |\Z)", DOCS, re.S | re.M)
    assert match, f"docs/plugins.md has no section '## {name}'"
    return match.group(1)


def test_there_are_hooks() -> None:
    assert {"register_entitlements", "register_parameters", "register_admin_views",
            "register_api", "register_cli", "register_dashboard_panels", "seed_demo",
            "register_migrations", "permit_issued", "permit_endorsed", "permit_suspended",
            "permit_replaced", "address_changed"} <= set(HOOKS)


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
    assert re.search(rf"^## {re.escape(name)}$", DOCS, re.M), name


@pytest.mark.parametrize("name", HOOKS)
def test_docs_signature_matches_hookspec(name: str) -> None:
    """The first ``def name(`` line of the section is the hookspec's signature, exactly."""
    lines = [line.strip() for line in section(name).splitlines()
             if line.strip().startswith(f"def {name}(")]
    assert lines, f"docs/plugins.md § {name}: no signature line"
    assert lines[0].removesuffix(":") == signature_line(name)


@pytest.mark.parametrize("name", HOOKS)
def test_docs_describe_every_parameter_and_the_return(name: str) -> None:
    text = section(name)
    params = list(inspect.signature(getattr(hookspecs, name)).parameters)
    if params:
        assert re.search(r"^Parameters:\s*$", text, re.M), name
        for param in params:
            assert re.search(rf"^- `{param}`: \S", text, re.M), \
                f"docs/plugins.md § {name}: parameter {param} is not described"
    else:
        assert "Parameters: none." in text, name
    described = set(re.findall(r"^- `(\w+)`:", text, re.M))
    assert described <= set(params), f"§ {name} describes parameters the hook lacks"
    assert re.search(r"^Returns: \S", text, re.M), f"docs/plugins.md § {name}: no Returns"


@pytest.mark.parametrize("name", HOOKS)
def test_docs_say_firstresult_rightly(name: str) -> None:
    first = getattr(hookspecs, name).juzhu_spec["firstresult"]
    said = re.findall(r"^firstresult: (yes|no)\b", section(name), re.M)
    assert said == ["yes" if first else "no"], name


@pytest.mark.parametrize("name", HOOKS)
def test_docs_have_an_example(name: str) -> None:
    """A python block with ``@api.hookimpl`` on ``def name(`` that compiles."""
    examples = [block for block in FENCED.findall(section(name))
                if re.search(rf"@api\.hookimpl\s*\ndef {name}\(", block)]
    assert examples, f"docs/plugins.md § {name}: no example with @api.hookimpl"
    compile(examples[0], f"docs/plugins.md § {name}", "exec")


def test_docs_name_everything_core_api_exports() -> None:
    from core import api

    missing = [n for n in api.__all__ if f"`api.{n}`" not in DOCS]
    assert not missing, f"docs/plugins.md does not describe core.api's {missing}"


@pytest.mark.parametrize("name", HOOKS)
def test_hook_has_a_test(name: str) -> None:
    assert name in TEST_TEXT, f"no test mentions hook {name}"


@pytest.mark.parametrize("name", HOOKS)
def test_facade_calls_hook_with_keywords(name: str) -> None:
    from core import hooks

    source = inspect.getsource(hooks.Hooks)
    assert f'"{name}"' in source or f"hook.{name}" in source, name
