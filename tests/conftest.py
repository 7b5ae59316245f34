"""Shared fixtures. Every test gets a fresh app (and so a fresh plugin manager).

The database is SQLite unless ``JUZHU_TEST_DATABASE_URL`` names another (CI runs the whole
suite again on PostgreSQL). SQLite: the migrated, seeded database is built once and copied
per test. PostgreSQL: migrated once per run, then every table is emptied and re-seeded per
test.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any, Iterator

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from core.app import create_app
from core.db import db

TEST_DB_URL = os.environ.get("JUZHU_TEST_DATABASE_URL")
KEYS = {"JUZHU_SECRET_KEY": "test-secret", "JUZHU_AUDIT_KEY": "test-audit-key",
        "JUZHU_QR_KEY": "test-qr-key", "JUZHU_PASSWORD_SALT": "test-salt"}


def is_postgres() -> bool:
    return bool(TEST_DB_URL and TEST_DB_URL.startswith("postgresql"))


def base_config(instance: Path, db_url: str) -> dict[str, Any]:
    return {**KEYS, "JUZHU_INSTANCE": str(instance), "SQLALCHEMY_DATABASE_URI": db_url,
            "TESTING": True, "WTF_CSRF_ENABLED": False, "SECURITY_PASSWORD_HASH": "argon2",
            # Still argon2, with the cheapest parameters: production's cost (~0.2 s a hash)
            # paid for every test user would be most of the suite's time.
            "SECURITY_PASSWORD_HASH_PASSLIB_OPTIONS": {
                "argon2__rounds": 1, "argon2__memory_cost": 64, "argon2__parallelism": 1}}


def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def _worker_database(url: str) -> str:
    """Under pytest-xdist each worker gets its own PostgreSQL database (``test_gw0``, …),
    created on first use next to the one named, so workers never empty each other's tables."""
    from sqlalchemy.engine import make_url

    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    base = make_url(url)
    name = f"{base.database}_{worker}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}):
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated database with the county profile seeded, built once per run."""
    from core.clock import today
    from core.seed import init

    folder = tmp_path_factory.mktemp("template")
    url = _worker_database(TEST_DB_URL) if is_postgres() else \
        f"sqlite:///{folder / 'template.sqlite'}"
    if is_postgres():
        _reset_postgres(url)
    app = create_app(base_config(folder, url))
    init(app, demo=False, as_of=today())
    with app.app_context():
        db.engine.dispose()
    return url


def _empty_postgres(app: Any) -> None:
    """Empty the tables a test wrote to and restart every sequence. Probing which tables hold
    rows (one query) and truncating only those is several times faster than truncating all."""
    with app.app_context():
        with db.engine.begin() as conn:
            names = conn.execute(text(
                "SELECT tablename FROM pg_tables WHERE schemaname='public' "
                "AND tablename <> 'alembic_version'")).scalars().all()
            probe = " UNION ALL ".join(
                f"SELECT '{n}' WHERE EXISTS (SELECT 1 FROM \"{n}\")" for n in names)
            used = conn.execute(text(probe)).scalars().all()
            if used:
                conn.execute(text("TRUNCATE " + ", ".join(f'"{n}"' for n in used) + " CASCADE"))
            # rolled-back inserts advance sequences too: restart them all, as a fresh schema
            conn.execute(text(
                "SELECT setval(c.oid::regclass, 1, false) FROM pg_class c "
                "WHERE c.relkind = 'S' AND c.relnamespace = 'public'::regnamespace"))


@pytest.fixture
def db_url(template_db: str, tmp_path: Path) -> str:
    if is_postgres():
        return template_db
    target = tmp_path / "juzhu.sqlite"
    shutil.copy(template_db.removeprefix("sqlite:///"), target)
    return f"sqlite:///{target}"


class FreshContextClient(FlaskClient):
    """Each request runs in its own app context, as in a real server: `g` (Flask-Login's
    user, the API's token user) never leaks from one request or client to the next, even
    though the test itself holds an app context open."""

    def open(self, *args: Any, **kwargs: Any) -> Any:
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def make_app(db_url: str, tmp_path: Path) -> Iterator[Any]:
    """Build an app on the test database: make_app(plugins=[...], enabled=..., **config)."""
    apps: list[Any] = []
    spare: list[Any] = []  # PostgreSQL: the app that reset the database, handed out once

    def build(*, plugins: Any = (), enabled: Any = None, disabled: Any = None,
              discover: bool = True, web: bool = True, **config: Any) -> Any:
        if (spare and not plugins and enabled is disabled is None and discover and web
                and not config):
            return spare.pop()  # an app costs ~0.2 s (Flask-Admin scaffolding): reuse it
        app = create_app({**base_config(tmp_path, db_url), **config}, plugins=plugins,
                         enabled=enabled if enabled is not None else "",
                         disabled=disabled if disabled is not None else "",
                         discover=discover, web=web)
        app.test_client_class = FreshContextClient
        apps.append(app)
        return app

    if is_postgres():
        from core.seed import seed_profile

        first = build()
        _empty_postgres(first)
        with first.app_context():
            seed_profile(first.extensions["juzhu"].profile)
            db.session.commit()
            db.session.remove()
        spare.append(first)
    yield build
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(make_app: Any) -> Iterator[Any]:
    app = make_app()
    with app.app_context():
        yield app


@pytest.fixture
def web(make_app: Any, app: Any) -> Any:
    """A second app on the test database for the admin's browser side (see
    tests/core/test_admin.py: each request gets its own context, so one client's login never
    leaks into another's); log in with ``tests.support.login``."""
    return make_app()


@pytest.fixture
def client(app: Any) -> Any:
    return app.test_client()


@pytest.fixture
def users(app: Any) -> Any:
    """users(role, org=None, name=None, password=None) -> (user, token)."""
    from core.auth import create_user, issue_token

    counter = iter(range(1, 10_000))

    def make(role: str, org: str | None = None, name: str | None = None,
             password: str | None = "pass-word-1") -> tuple[Any, str]:
        user = create_user(db.session, name or f"{role}{next(counter)}", role, org,
                           password=password)
        token = issue_token(db.session, user)
        db.session.commit()
        return user, token

    return make


@pytest.fixture
def api(client: Any) -> Any:
    """api(method, path, token=None, json=None, **kw) -> response."""

    def call(method: str, path: str, token: str | None = None, json: Any = None,
             **kw: Any) -> Any:
        headers = kw.pop("headers", {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return client.open(f"/api/v1{path}", method=method, json=json, headers=headers, **kw)

    return call


@pytest.fixture
def batch_agrees() -> Any:
    """``batch_agrees(code, as_of)``: evaluate one entitlement for every holder twice — by its
    SQL form and holder by holder through the engine — assert the two agree row for row, and
    return the rows (DESIGN §4: batch and per-holder answers agree, NULLs included)."""
    import datetime as dt

    from flask import current_app

    from core.batch import loop_rows, sql_rows
    from core.db import db
    from core.parameters import current_store

    def check(code: str, as_of: dt.date) -> list[Any]:
        _plugin, ent = current_app.extensions["juzhu"].entitlements[code]
        assert ent.sql is not None, f"{code} has no SQL form"
        store = current_store(db.session)
        by_sql = list(sql_rows(db.session, ent, as_of, store))
        by_loop = list(loop_rows(db.session, ent, as_of, store, expunge=False))
        assert [r for r in by_loop if r.status == "error"] == []
        assert by_sql == by_loop
        return by_sql
    return check


class People:
    """Holders and permits written straight to the database, for tests of what comes after
    registration and issuance (those acts themselves are tested through the police's API).
    One per test (fixture ``people``); each plugin's own factory delegates to it."""

    DANFENG = "station-530323001"

    def __init__(self) -> None:
        from itertools import count

        self._seq = count(100)
        self._numbers = count(1)

    @staticmethod
    def id_number(region: str, birth: Any, seq: int, sex: str) -> str:
        from core.rules import id_check_char

        seq = seq * 2 + (1 if sex == "male" else 0)  # 17th digit: odd male, even female
        first17 = f"{region}{birth:%Y%m%d}{seq % 1000:03d}"
        return first17 + id_check_char(first17)

    def new_id_number(self, birth: Any, sex: str, region: str = "530302") -> str:
        """A valid ID number not yet handed out in this test."""
        return self.id_number(region, birth, next(self._seq), sex)

    def holder(self, *, name: str = "张伟", sex: str = "male", birth_date: Any = None,
               region: str = "530302", address: str = "云南省曲靖市麒麟区南宁街道",
               division_code: str = "530302001000", phone: str | None = "13912345678") -> Any:
        import datetime as dt

        from core.holders import HolderFacts, create_holder

        birth = birth_date or dt.date(1990, 3, 7)
        holder = create_holder(db.session, HolderFacts(
            name, sex, "汉族", birth, self.new_id_number(birth, sex, region),
            address, division_code, phone), as_of=max(birth, dt.date(2026, 12, 1)))
        db.session.commit()
        return holder

    def permit(self, holder: Any, *, issued_on: Any = None, since: Any = None,
               valid_until: Any = None, revoked_on: Any = None, prefix: str = "9",
               card: bool = True, revocation_reason: str | None = None) -> Any:
        """A permit valid one year from ``issued_on`` unless told (suspended the day after),
        with its live card."""
        import datetime as dt

        from core.models import Card, OrgUnit, Permit
        from core.rules import valid_until_for

        issued_on = issued_on or dt.date(2026, 1, 15)
        station = db.session.scalar(select_org(OrgUnit, self.DANFENG))
        psb = db.session.scalar(select_org(OrgUnit, "county-psb"))
        n = next(self._numbers)
        permit = Permit(number=f"{prefix}{n:06d}", holder_id=holder.id, authority_id=psb.id,
                        station_id=station.id, issued_on=issued_on,
                        valid_until=valid_until or valid_until_for(issued_on),
                        continuous_residence_since=since or issued_on, revoked_on=revoked_on,
                        revocation_reason=revocation_reason)
        db.session.add(permit)
        db.session.flush()
        if card:
            db.session.add(Card(permit_id=permit.id, serial=int(prefix) * 10_000_000 + n,
                                station_id=station.id, issued_on=issued_on, status="live",
                                status_on=issued_on))
        db.session.commit()
        return permit


def select_org(model: Any, code: str) -> Any:
    from sqlalchemy import select

    return select(model).where(model.code == code)


@pytest.fixture
def people(app: Any) -> People:
    return People()
