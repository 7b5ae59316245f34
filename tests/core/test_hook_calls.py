"""Hooks reach plugins with keyword arguments: demo seeding, migrations, and the permit
events (fired by the public-security plugin; here through the kernel's facade)."""

from __future__ import annotations

import datetime as dt
import types
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import inspect, select

from core import api
from core.db import db
from core.models import Card, Endorsement, Holder, OrgUnit, Permit, Residence

MIGRATION = '''
import sqlalchemy as sa
from alembic import op

revision = "dept_t_0001"
down_revision = None
branch_labels = ("dept_t",)
depends_on = "core_0001"


def upgrade():
    op.create_table("dept_t_thing", sa.Column("id", sa.Integer, primary_key=True))


def downgrade():
    op.drop_table("dept_t_thing")
'''


def recording_plugin(calls: list, versions: Path | None = None) -> tuple[str, types.ModuleType]:
    module = types.ModuleType("dept_t")

    def seed_demo(session, profile, as_of):  # type: ignore[no-untyped-def]
        calls.append(("seed_demo", profile.county_code, as_of))

    def permit_issued(permit, card, actor, session):  # type: ignore[no-untyped-def]
        calls.append(("permit_issued", permit.number, card.serial, actor))

    def permit_endorsed(permit, endorsement):  # a subset of the parameters is enough
        calls.append(("permit_endorsed", permit.number, endorsement.late))

    def permit_suspended(permit, on, session):  # type: ignore[no-untyped-def]
        calls.append(("permit_suspended", permit.number, on))

    def permit_replaced(permit, old_card, new_card, reason):  # type: ignore[no-untyped-def]
        calls.append(("permit_replaced", old_card.serial, new_card.serial, reason))

    def address_changed(permit, old_residence, new_residence):  # type: ignore[no-untyped-def]
        calls.append(("address_changed", old_residence, new_residence.division_code))

    def register_migrations():  # type: ignore[no-untyped-def]
        return versions

    for fn in (seed_demo, permit_issued, permit_endorsed, permit_suspended, permit_replaced,
               address_changed, register_migrations):
        setattr(module, fn.__name__, api.hookimpl(fn))
    return "dept_t", module


def _permit() -> tuple[Permit, Card]:
    station = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "station-530323001"))
    psb = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "county-psb"))
    holder = Holder(name="赵六", sex="male", ethnicity="汉族", birth_date=dt.date(1990, 1, 1),
                    id_number="110101199001010011", hukou_address="北京", hukou_division_code="110101")
    permit = Permit(number="1000", holder=holder, authority=psb, station=station,
                    issued_on=dt.date(2026, 1, 15), valid_until=dt.date(2027, 1, 15),
                    continuous_residence_since=dt.date(2025, 7, 1))
    card = Card(permit=permit, serial=1000, station_id=0, issued_on=dt.date(2026, 1, 15))
    return permit, card


def test_event_hooks_receive_keyword_arguments(make_app) -> None:  # type: ignore[no-untyped-def]
    calls: list = []
    app = make_app(plugins=[recording_plugin(calls)])
    hooks = app.extensions["juzhu"].hooks
    with app.app_context():
        permit, card = _permit()
        new_card = Card(permit=permit, serial=1001, station_id=0, issued_on=dt.date(2026, 3, 1))
        hooks.permit_issued(permit=permit, card=card, actor=None, session=db.session)
        hooks.permit_endorsed(permit=permit, endorsement=Endorsement(late=True), actor=None,
                              session=db.session)
        hooks.permit_suspended(permit=permit, on=dt.date(2027, 1, 16), session=db.session)
        hooks.permit_replaced(permit=permit, old_card=card, new_card=new_card, reason="lost",
                              actor=None, session=db.session)
        hooks.address_changed(permit=permit, old_residence=None,
                              new_residence=Residence(division_code="530323102001"), actor=None,
                              session=db.session)
        db.session.rollback()
    assert calls == [
        ("permit_issued", "1000", 1000, None),
        ("permit_endorsed", "1000", True),
        ("permit_suspended", "1000", dt.date(2027, 1, 16)),
        ("permit_replaced", 1000, 1001, "lost"),
        ("address_changed", None, "530323102001"),
    ]


def test_seed_demo_runs_each_plugins_part_once(make_app) -> None:  # type: ignore[no-untyped-def]
    from core.cli import build_cli

    calls: list = []
    app = make_app(plugins=[recording_plugin(calls)])
    with app.app_context():
        runner = CliRunner()
        first = runner.invoke(build_cli(app), ["init", "--demo"])
        second = runner.invoke(build_cli(app), ["init", "--demo"])
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    # (the police's demo data fires permit hooks too; seed_demo itself ran once)
    seeded = [c for c in calls if c[0] == "seed_demo"]
    assert len(seeded) == 1 and seeded[0][1] == "530323"


def test_register_migrations_adds_a_plugin_branch(make_app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from core.migrate import current_heads, upgrade

    versions = tmp_path / "versions"
    versions.mkdir()
    (versions / "dept_t_0001.py").write_text(MIGRATION)
    app = make_app(plugins=[recording_plugin([], versions)])
    upgrade(app)
    with app.app_context():
        assert "dept_t_thing" in inspect(db.engine).get_table_names()
        assert "dept_t_0001" in current_heads(app)
        # leave the shared PostgreSQL schema as other tests expect it
        with db.engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE dept_t_thing")
            conn.exec_driver_sql("DELETE FROM alembic_version WHERE version_num = 'dept_t_0001'")


def test_seed_demo_runs_after_the_kernels_demo_data(make_app) -> None:  # type: ignore[no-untyped-def]
    """A plugin's demo data may use the kernel's demo users and holders."""
    from sqlalchemy import func, select

    from core.cli import build_cli
    from core.models import Holder, User

    seen: list = []

    def seed_demo(session, profile, as_of):  # type: ignore[no-untyped-def]
        seen.append((session.scalar(select(func.count()).select_from(User)),
                     session.scalar(select(func.count()).select_from(Holder))))

    module = types.ModuleType("dept_seed")
    module.seed_demo = api.hookimpl(seed_demo)  # type: ignore[attr-defined]
    app = make_app(plugins=[("dept_seed", module)])
    with app.app_context():
        result = CliRunner().invoke(build_cli(app), ["init", "--demo"])
    assert result.exit_code == 0, result.output
    assert len(seen) == 1 and seen[0][0] > 0 and seen[0][1] > 0


def test_seed_demo_follows_seed_after(make_app) -> None:  # type: ignore[no-untyped-def]
    """A plugin whose demo builds on another's names it in SEED_AFTER and seeds after it, though
    registered before it; the built-in departments seed after the police's permits."""
    from core.hooks import _seed_order

    order: list[str] = []

    def plugin(name: str, after: tuple[str, ...]) -> tuple[str, types.ModuleType]:
        module = types.ModuleType(name)
        module.SEED_AFTER = after  # type: ignore[attr-defined]

        def seed_demo(session, profile, as_of):  # type: ignore[no-untyped-def]
            order.append(name)
        module.seed_demo = api.hookimpl(seed_demo)  # type: ignore[attr-defined]
        return name, module

    app = make_app(plugins=[plugin("dept_a", ("dept_b", "not_installed")), plugin("dept_b", ())],
                   discover=False)
    impls = app.extensions["juzhu"].pm.hook.seed_demo.get_hookimpls()
    for impl in _seed_order([i for i in impls if i.plugin_name.startswith("dept_")]):
        impl.function(session=None, profile=None, as_of=None)
    assert order == ["dept_b", "dept_a"]
    full = make_app(enabled="public_security,education,civil_affairs")
    impls = full.extensions["juzhu"].pm.hook.seed_demo.get_hookimpls()
    names = [i.plugin_name for i in _seed_order(impls)]
    assert names.index("public_security") < names.index("education")
    assert names.index("public_security") < names.index("civil_affairs")
