"""Helpers tests share: a client logged in through the real login form (the admin tests);
``juzhu demo generate`` data and the readers of it (the departments' generator tests)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import urlsplit

PASSWORD = "pass-word-1"  # the `users` fixture's default password


def login(site: Any, users: Any, role: str, org: str | None = None) -> Any:
    """A client of ``site`` logged in through the real login form as a new user of ``role``
    (and ``org``); fails with the form's own error when the login is refused."""
    user, _token = users(role, org)
    client = site.test_client()
    r = client.post("/login", data={"username": user.username, "password": PASSWORD})
    assert r.status_code == 302, re.findall(r'fs-error-msg">([^<]*)', r.text)
    assert urlsplit(r.headers["Location"]).path == "/admin/"
    return client



#: The day ``generate_demo``'s data is built around (tests/core/test_generate.py's too).
GENERATED_AS_OF = dt.date(2026, 6, 30)


def generate_demo(app: Any, holders: int = 1500, seed: int = 7,
                  as_of: dt.date = GENERATED_AS_OF) -> Any:
    """``juzhu demo generate`` of ``holders`` holders into ``app``'s database through the
    command (as tests/core/test_generate.py runs it), then a fresh view of the rows; ``app``."""
    from click.testing import CliRunner

    from core.cli import build_cli
    from core.db import db

    result = CliRunner().invoke(build_cli(app), ["demo", "generate", "--holders", str(holders),
                                                 "--seed", str(seed),
                                                 "--as-of", as_of.isoformat()])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    return app


def all_rows(model: Any) -> list[Any]:
    """Every row of ``model``, by id."""
    from sqlalchemy import select

    from core.db import db

    return db.session.scalars(select(model).order_by(model.id)).all()


def current_residences() -> dict[int, Any]:
    """Each holder's residence where they live now (a move within the county, 《办法》第十六条,
    closes one residence and opens another)."""
    from sqlalchemy import select

    from core.db import db
    from core.models import Residence

    return {r.holder_id: r for r in db.session.scalars(
        select(Residence).where(Residence.to_date.is_(None)))}
