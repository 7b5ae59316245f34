"""Every hook of juzhu, in one module (DESIGN §1).

Rules for hook authors (pytest / datasette style):

* hook names are verb-first; core calls them only through :class:`core.hooks.Hooks`, always
  with keyword arguments;
* a parameter is never renamed or removed; new ones are added (an implementation may accept
  any subset of the parameters, pluggy passes only what it names);
* ``register_*`` hooks are collected from every plugin and validated by core: a duplicate
  entitlement code, admin endpoint, API blueprint or URL rule is a startup error naming both
  plugins;
* event hooks (``permit_*``, ``address_changed``) run inside the transaction of the act that
  fired them: what a plugin writes there commits or rolls back with it. They must not commit.

No hook here is ``firstresult``: pluggy calls implementations last-registered-first, so a
first-result hook would let plugin order decide behaviour (DESIGN §8). Every documented hook
has an entry in ``docs/plugins.md`` and a test (enforced by ``tests/core/test_hook_meta.py``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

import pluggy

if TYPE_CHECKING:  # imports for annotations only; plugins need not import these modules
    import click
    from flask import Blueprint, Flask
    from flask_admin import BaseView
    from sqlalchemy.orm import Session

    from core.dashboard import DashboardPanel
    from core.entitlements import Entitlement
    from core.generate import Population
    from core.parameters import Parameter
    from core.models import Card, Endorsement, Permit, Residence, User
    from core.profile import Profile

hookspec = pluggy.HookspecMarker("juzhu")


@hookspec
def register_entitlements() -> Iterable["Entitlement"]:
    """Declare the 第十八条 entitlements this plugin decides.

    Parameters: none.

    Returns: an iterable of :class:`core.api.Entitlement`. Codes are ``art18.1`` …
    ``art18.11`` or ``art18.12.<name>`` for a county-specific service; a code declared by two
    plugins stops startup, naming both. Not ``firstresult``: every plugin's list is collected.
    """


@hookspec
def register_parameters() -> Iterable["Parameter"]:
    """Declare the dated parameters (thresholds) this plugin's checks read (DESIGN §4).

    Parameters: none.

    Returns: an iterable of :class:`core.api.Parameter`, each named ``<plugin>.<key>`` with
    its kind, unit, owning department and statutory history (values with start dates and
    sources). The owning department adds later values in the admin site
    (:func:`core.api.parameter_view`); checks read them with ``facts.param(name)``, and the
    decision names every value used. A name declared twice, a value with no start date or
    no source, or a value of the wrong kind stops startup, naming the plugin. Not
    ``firstresult``: every plugin's list is collected.
    """


@hookspec
def register_admin_views(app: "Flask") -> Iterable["BaseView"]:
    """Add Flask-Admin views for this plugin's models and pages.

    Parameters:
        app: the Flask application being built (read its config; do not register routes).

    Returns: an iterable of Flask-Admin views (subclasses of :class:`core.api.SecureModelView`
    or :class:`core.api.SecureView`). Each view's ``endpoint`` must start with the plugin name
    followed by ``_`` and its ``category`` names the plugin's own menu; a duplicate endpoint
    stops startup, naming both plugins. Not ``firstresult``.
    """


@hookspec
def register_api(app: "Flask") -> Iterable["Blueprint"]:
    """Add JSON API routes.

    Parameters:
        app: the Flask application being built.

    Returns: an iterable of :class:`core.api.ApiBlueprint` (a Flask blueprint whose routes are
    declared with ``@bp.route_api`` so that they share the bearer-token check, the error body
    and the OpenAPI document). Blueprints are mounted under ``/api/v1`` plus their own
    ``url_prefix``; department plugins use ``/<plugin>``. Blueprint names must start with the
    plugin name; a name or a (method, URL rule) pair claimed twice stops startup, naming both
    plugins. Not ``firstresult``.
    """


@hookspec
def register_pages(app: "Flask") -> Iterable["Blueprint"]:
    """Add web pages outside the admin site and the JSON API: public pages such as the card
    verification page that a QR code opens.

    Parameters:
        app: the Flask application being built.

    Returns: an iterable of plain Flask blueprints, registered as they are (their own
    ``url_prefix``, no ``/api/v1``). Blueprint names must start with the plugin name; a name
    or a (method, URL rule) pair claimed twice stops startup, naming both plugins. A page that
    shows personal data checks the user itself. Not ``firstresult``.
    """


@hookspec
def register_cli(cli: "click.Group") -> None:
    """Add commands to the ``juzhu`` console script.

    Parameters:
        cli: the root click group; call ``cli.add_command(...)`` or decorate with
            ``@cli.command()``. Commands run inside an application context.

    Returns: nothing. A command name that already exists stops startup, naming the plugin.
    Not ``firstresult``: every implementation runs.
    """


@hookspec
def register_dashboard_panels(app: "Flask") -> Iterable["DashboardPanel"]:
    """Add panels to the admin dashboard (the station chief's morning questions).

    Parameters:
        app: the Flask application being built.

    Returns: an iterable of :class:`core.api.DashboardPanel`; each names the roles that see
    it and renders HTML for a user and a date. Keys must be unique across plugins. Not
    ``firstresult``.
    """


@hookspec
def register_migrations() -> "str | Path | None":
    """Point Alembic at this plugin's migration branch.

    Parameters: none.

    Returns: the directory of this plugin's Alembic revision files, or None when the plugin
    has no tables. The branch's first revision carries ``branch_labels = ("<plugin>",)`` and
    ``depends_on = "core"``; its tables are prefixed with the plugin name. Not
    ``firstresult``: every plugin's directory is collected.
    """


@hookspec
def seed_demo(session: "Session", profile: "Profile", as_of: dt.date) -> None:
    """Add this plugin's part of the demo data (``juzhu init --demo``).

    Parameters:
        session: the SQLAlchemy session of the seeding transaction; add rows, do not commit.
        profile: the county profile (org codes, divisions).
        as_of: the date the demo data is built around (today in Asia/Shanghai).

    Returns: nothing. Runs after the kernel's own demo data (org units, users, holders), once,
    on the first ``init --demo`` of a database; after the plugins named in the module's
    ``SEED_AFTER`` tuple, if any. Not ``firstresult``: every plugin seeds.
    """


@hookspec
def generate_demo(session: "Session", population: "Population") -> None:
    """Add this plugin's bulk synthetic rows for the holders the kernel generated
    (``juzhu demo generate --holders N``).

    Parameters:
        session: the session of the generating transaction (one for the whole run); do not
            commit.
        population: the generated holders and the tools to write for them
            (:class:`core.api.Population`): ``holders()`` yields them in chunks with their
            residence, ``permits_of(chunk)`` their latest permits, ``rng(name)`` a seeded
            generator, ``new_id_number(...)`` a fresh GB 11643 number, ``next_id(table)`` and
            ``bulk_insert(table, rows, columns)`` fast inserts with explicit ids, ``as_of``
            (nothing may be dated after it) and ``progress(n)`` after each chunk.

    Returns: nothing. Runs after the kernel's part (holders and residences), in registration
    order, after the plugins named in the module's ``SEED_AFTER`` tuple (as ``seed_demo``).
    Rows must keep the invariants the plugin's services keep. Not ``firstresult``: every
    plugin generates.
    """


@hookspec
def permit_issued(permit: "Permit", card: "Card", actor: "User | None", session: "Session") -> None:
    """A permit was issued (《办法》第十三条).

    Parameters:
        permit: the new permit row (flushed: it has an id and number).
        card: its first card.
        actor: the user who issued it, or None for the system.
        session: the session of the issuing transaction; do not commit.

    Returns: nothing. Not ``firstresult``: every implementation runs.
    """


@hookspec
def permit_endorsed(permit: "Permit", endorsement: "Endorsement", actor: "User | None",
                    session: "Session") -> None:
    """A permit was endorsed, on time or late (《办法》第十四条).

    Parameters:
        permit: the permit, with its new ``valid_until`` (and residence date when late).
        endorsement: the endorsement row (``late`` says which case).
        actor: the user who endorsed it, or None.
        session: the session of the transaction; do not commit.

    Returns: nothing. Not ``firstresult``: every implementation runs.
    """


@hookspec
def permit_suspended(permit: "Permit", on: dt.date, session: "Session") -> None:
    """A suspension was recorded (《办法》第十四条第二款): by ``juzhu sweep``.

    Parameters:
        permit: the permit whose use is suspended.
        on: the first day of the suspension (the day after ``valid_until``).
        session: the session of the sweep's transaction; do not commit.

    Returns: nothing. Not ``firstresult``: every implementation runs.
    """


@hookspec
def permit_replaced(permit: "Permit", old_card: "Card", new_card: "Card", reason: str,
                    actor: "User | None", session: "Session") -> None:
    """A card was replaced (换领/补领, 《办法》第十五条) or remade after a change.

    Parameters:
        permit: the permit (number and validity unchanged).
        old_card: the previous card, now returned, lost or void.
        new_card: the new live card.
        reason: ``"damaged"``, ``"lost"`` or ``"change"``.
        actor: the user who did it, or None.
        session: the session of the transaction; do not commit.

    Returns: nothing. Not ``firstresult``: every implementation runs.
    """


@hookspec
def address_changed(permit: "Permit", old_residence: "Residence | None",
                    new_residence: "Residence", actor: "User | None",
                    session: "Session") -> None:
    """A holder's residence moved inside the county (《办法》第十六条).

    Parameters:
        permit: the permit, now belonging to the new address's station.
        old_residence: the residence that ended (None if none was recorded).
        new_residence: the new residence.
        actor: the user who did it, or None.
        session: the session of the transaction; do not commit.

    Returns: nothing. Not ``firstresult``: every implementation runs.
    """
