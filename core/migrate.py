"""Alembic, driven from code: the core branch plus one branch per enabled plugin.

Each plugin's first revision carries ``branch_labels = ("<plugin>",)`` and depends on
``core``; ``upgrade heads`` brings every branch up to date in one call.
"""

from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.config import Config
from flask import Flask

from core.db import db

HERE = Path(__file__).parent / "migrations"


def alembic_config(app: Flask) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    dirs = [HERE / "versions", *app.extensions["juzhu"].hooks.migration_dirs().values()]
    # os.pathsep-separated; Alembic reads the separator from this option.
    cfg.set_main_option("path_separator", "os")
    cfg.set_main_option("version_locations", os.pathsep.join(str(d) for d in dirs))
    return cfg


def upgrade(app: Flask) -> None:
    cfg = alembic_config(app)
    with app.app_context(), db.engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "heads")


def current_heads(app: Flask) -> set[str]:
    from alembic.runtime.migration import MigrationContext

    with app.app_context(), db.engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads())
