"""A worker process for tests/faults/test_pg_issuance.py: one process, its own app and
engine, issuing permits through ``plugins.public_security.application.apply``, one
transaction (one commit) per application, as one clerk's request would.

    python _issuer.py issue SPEC.json
        {"url", "instance", "clerk_id", "holder_ids", "accepted_on", "app_name", "ready", "go"}
        builds the app, writes the ``ready`` file, waits for the ``go`` file, then issues
        for each holder in turn and prints one JSON line: [{holder_id, outcome, number,
        serial}, ...]
    python _issuer.py hang SPEC.json
        {"url", "instance", "clerk_id", "holder_ids": [one], "accepted_on", "app_name", "marker"}
        issues with a test plugin whose ``permit_issued`` hook writes the permit number to
        ``marker`` and then sleeps inside the open transaction, until the test kills it

Not collected by pytest (its name does not start with ``test_``); it imports nothing from
the tests.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
import types
from pathlib import Path
from typing import Any

# The keys every process of one deployment shares (DESIGN §2: several processes need them
# set), the same as the test's own app, so every process seals one audit chain alike.
KEYS = {"JUZHU_SECRET_KEY": "faults-secret", "JUZHU_AUDIT_KEY": "faults-audit-key",
        "JUZHU_QR_KEY": "faults-qr-key", "JUZHU_PASSWORD_SALT": "faults-salt"}
MATERIALS = ["id_card", "photo", "photo", "rental_contract"]
ORPHAN_AFTER = 300  # seconds: a worker whose test died does not linger
LOCK_TIMEOUT_MS = 30_000  # a lock never released fails the worker instead of hanging it


def config(url: str, instance: str, app_name: str) -> dict[str, Any]:
    """The app's configuration; ``app_name`` names its connections in pg_stat_activity."""
    return {**KEYS, "JUZHU_INSTANCE": instance, "SQLALCHEMY_DATABASE_URI": url,
            "TESTING": True, "WTF_CSRF_ENABLED": False,
            "SQLALCHEMY_ENGINE_OPTIONS": {
                "pool_pre_ping": True,
                "connect_args": {"options": f"-c lock_timeout={LOCK_TIMEOUT_MS}",
                                 "application_name": app_name}}}


def hang_plugin(marker: Path) -> tuple[str, types.ModuleType]:
    """A tiny plugin: on ``permit_issued`` (inside the issuing transaction, after the number
    was taken and the audit events written) it says which number it holds, then sleeps."""
    from core import api

    module = types.ModuleType("faults_hang")

    def permit_issued(permit, card, actor, session):  # type: ignore[no-untyped-def]
        tmp = marker.with_suffix(".tmp")
        tmp.write_text(json.dumps({"number": permit.number, "serial": card.serial}))
        tmp.rename(marker)  # the test never reads a half-written marker
        time.sleep(ORPHAN_AFTER)  # the test kills it long before; an orphan ends itself
        sys.exit("not killed: the test is gone")

    module.permit_issued = api.hookimpl(permit_issued)  # type: ignore[attr-defined]
    return "faults_hang", module


def main(mode: str, spec_file: str) -> None:
    from core.app import create_app
    from core.db import db
    from core.models import Card, Holder, Permit, User
    from plugins.public_security.application import apply

    spec = json.loads(Path(spec_file).read_text())
    plugins = [hang_plugin(Path(spec["marker"]))] if mode == "hang" else []
    app = create_app(config(spec["url"], spec["instance"], spec["app_name"]), plugins=plugins,
                     enabled="", disabled="")
    accepted_on = dt.date.fromisoformat(spec["accepted_on"])
    out: list[dict[str, Any]] = []
    with app.app_context():
        clerk = db.session.get(User, spec["clerk_id"])
        db.session.commit()
        if mode == "issue":
            Path(spec["ready"]).write_text("ready")
            go, deadline = Path(spec["go"]), time.monotonic() + ORPHAN_AFTER
            while not go.exists():  # all workers start issuing together
                if time.monotonic() > deadline:
                    sys.exit("no go signal: the test is gone")
                time.sleep(0.01)
        for holder_id in spec["holder_ids"]:
            holder = db.session.get(Holder, holder_id)
            application = apply(db.session, holder=holder, accepted_on=accepted_on,
                                basis=["residence"], materials=MATERIALS, applicant="self",
                                actor=clerk)
            row = {"holder_id": holder_id, "outcome": application.outcome,
                   "application_id": application.id}
            db.session.commit()
            if application.permit_id is not None:
                permit = db.session.get(Permit, application.permit_id)
                card = db.session.scalar(db.select(Card).where(Card.permit_id == permit.id))
                row.update(number=permit.number, serial=card.serial)
            out.append(row)
        db.session.remove()
        db.engine.dispose()
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
