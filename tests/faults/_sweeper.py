"""A worker process for tests/faults/test_pg_sweep.py: one process, its own app and engine,
running ``juzhu sweep``'s function in one transaction, as the command does.

    python _sweeper.py sweep SPEC.json
        {"url", "instance", "app_name", "as_of", "marker"?, "release"?}
        sweeps and commits, then prints one JSON line: {"suspended": n, "hooks": k}
        (n as the sweep returns it, k the permit_suspended calls this process received).
        With ``marker``, a test plugin's ``permit_suspended`` hook, on its first call (inside
        the open transaction, after this page's rows were inserted), writes ``marker`` and
        waits until the ``release`` file exists.

Not collected by pytest; it imports nothing from the tests but ``_issuer.config``.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
import types
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from _issuer import ORPHAN_AFTER, config  # noqa: E402  (a script beside it, not a package)


def counting_plugin(calls: list[Any], marker: str | None,
                    release: str | None) -> tuple[str, types.ModuleType]:
    """Counts ``permit_suspended`` calls; with a marker, holds the transaction open once."""
    from core import api

    module = types.ModuleType("faults_sweep_counter")

    def permit_suspended(permit, on, session):  # type: ignore[no-untyped-def]
        calls.append(permit.id)
        if marker and len(calls) == 1:
            Path(marker).write_text("holding")
            deadline = time.monotonic() + ORPHAN_AFTER
            while not Path(release).exists():  # type: ignore[arg-type]
                if time.monotonic() > deadline:
                    sys.exit("no release signal: the test is gone")
                time.sleep(0.01)

    module.permit_suspended = api.hookimpl(permit_suspended)  # type: ignore[attr-defined]
    return "faults_sweep_counter", module


def main(mode: str, spec_file: str) -> None:
    from core.app import create_app
    from core.db import db
    from plugins.public_security.sweep import sweep

    assert mode == "sweep", mode
    spec = json.loads(Path(spec_file).read_text())
    calls: list[Any] = []
    app = create_app(config(spec["url"], spec["instance"], spec["app_name"]),
                     plugins=[counting_plugin(calls, spec.get("marker"), spec.get("release"))],
                     enabled="", disabled="")
    with app.app_context():
        suspended = sweep(db.session, dt.date.fromisoformat(spec["as_of"]))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    print(json.dumps({"suspended": suspended, "hooks": len(calls)}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
