"""One Alembic branch per plugin; `upgrade heads` is idempotent; models match migrations."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from core.db import db
from core.migrate import current_heads, upgrade

PLUGINS = ["public_security", "education", "housing", "health", "human_resources", "justice",
           "civil_affairs"]


def test_every_plugin_has_its_branch(app) -> None:  # type: ignore[no-untyped-def]
    from alembic.script import ScriptDirectory

    from core.migrate import alembic_config

    script = ScriptDirectory.from_config(alembic_config(app))
    heads = current_heads(app)
    # The database is at every branch's head; a core revision that plugin branches depend on
    # is recorded through them (Alembic keeps only the tips in alembic_version).
    assert heads <= set(script.get_heads())
    assert script.get_revision("core@head").revision in heads
    for plugin in PLUGINS:
        # the database is at the branch's own head, whichever revision that is
        assert script.get_revision(f"{plugin}@head").revision in heads
        assert script.get_revision(f"{plugin}_0001").branch_labels == {plugin}
    # each plugin branch starts from the core schema
    assert all("core_0001" in script.get_revision(f"{p}_0001").dependencies for p in PLUGINS)


def test_upgrade_is_idempotent(app) -> None:  # type: ignore[no-untyped-def]
    before = current_heads(app)
    upgrade(app)
    assert current_heads(app) == before


def test_models_and_migrations_agree(app) -> None:  # type: ignore[no-untyped-def]
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, db.metadata)
    assert diff == []
