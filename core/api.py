"""The public plugin API: the one module of the kernel a plugin may import (like CKAN's
``toolkit``). Anything not re-exported here is private to the kernel and may change.

    from core import api

    @api.hookimpl
    def register_entitlements():
        return [api.Entitlement(code="art18.6", ...)]
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pluggy
from flask_admin import expose

from core import audit
from core import rules
from core.admin.base import (DepartmentModelView, DepartmentServiceView, DepartmentView,
                             SecureModelView, SecureView, refuse_on_field, scoped_to_org)
from core.admin.fields import DateField, HolderIdNumberField, holder_lookup_kw
from core.admin.views.explanations import explanation_view
from core.admin.views.parameters import parameter_view
from core.auth import POLICE_ROLES, ROLES, current_actor
from core.calendar import official_calendar
from core.charts import Series as ChartSeries
from core.charts import bar_chart
from core.clock import today
from core.dashboard import DashboardPanel
from core.departments import own_department
from core.db import (Base, bulk_write, db, increment, insert_new, insert_new_from, lookup_many,
                     sequence_ids)
from core.entitlements import (BatchContext, CheckFacts, Decision, Entitlement, PermitState,
                               Reason)
from core.parameters import DatedValue, Parameter, ParameterError
from core.parameters import value as parameter_value
from core.http.errors import ApiError
from core.http.routing import ALL_ROLES, ApiBlueprint
from core.generate import GeneratedHolder, PermitDates, Population
from core.holders import DuplicateIdNumber, HolderFacts, create_holder
from core.holders import validate as validate_holder
from core.http.schema import In, IsoDate, Out, ReasonOut, field
from core.http.schema import translate as validation_messages
from core.admin.base import csv_cell
from core.photos import photo_data_uri
from core.models import (Card, Endorsement, Holder, OrgUnit, Permit, PermitStatusEvent,
                         Residence, User)
from core.models.holder import ETHNICITIES, SEXES
from core.models.permit import CARD_STATUSES
from core.rules import RuleError
from core.rules.errors import zh_date

hookimpl = pluggy.HookimplMarker("juzhu")


# Write an audit event in the caller's transaction (see :func:`core.audit.record`).
record_audit = audit.record


def state():  # type: ignore[no-untyped-def]
    """The running application's kernel state: profile, hooks, entitlements."""
    from flask import current_app

    return current_app.extensions["juzhu"]


def profile():  # type: ignore[no-untyped-def]
    """The county profile (divisions, org codes, the measures' dates)."""
    return state().profile


def hooks():  # type: ignore[no-untyped-def]
    """The typed hook facade: fire event hooks with keyword arguments only,
    e.g. ``api.hooks().permit_issued(permit=p, card=c, actor=u, session=s)``."""
    return state().hooks


def sees_personal_data(role: str | None) -> bool:
    """Whether a role sees full ID numbers and phones (DESIGN §5); others get masked ones."""
    return bool(role and role in ROLES and ROLES[role].sees_personal_data)


def shown_id_number(user: User, number: str) -> str:
    """``number`` as ``user`` may see it in an answer: full for roles that see personal data
    (the county admin), masked (first 6 + last 4) for the others — department clerks and the
    auditor included (DESIGN §5, 条例第十七条)."""
    return number if sees_personal_data(user.role) else rules.mask_id_number(number)


def decide(code: str, holder: Holder, as_of: date):  # type: ignore[no-untyped-def]
    """One entitlement's answer for one holder on ``as_of``: the same item that
    ``GET /holders/{id}/entitlements`` gives (permit state first, then the department's
    check, with the dated parameters it used). Returns an item with ``code``, ``status``,
    ``eligible``, ``reasons`` and ``as_dict()``; KeyError for an unknown code."""
    from core.engine import decide as engine_decide, permit_state
    from core.parameters import current_store

    _plugin, ent = state().entitlements[code]
    facts = CheckFacts(holder=holder, permit=permit_state(db.session, holder.id, as_of),
                       as_of=as_of, session=db.session)
    return engine_decide(ent, facts, current_store(db.session))


def permit_state(session: Any, holder_id: int, as_of: date) -> PermitState | None:
    """The holder's permit on ``as_of`` as the engine reads it: the latest issued on or before
    that day, with its status then (valid, suspended or revoked; 第十四条), or None. For a
    department that records a service with the permit as it stood (health's free services):
    one read, the same as every entitlement's."""
    from core.engine import permit_state as engine_permit_state

    return engine_permit_state(session, holder_id, as_of)


def latest_on(model: Any, day: str, as_of: date) -> Any:
    """For a SQL form: a condition true on the row of ``model`` (a table with ``id`` and
    ``holder_id``) that is its holder's latest with column ``day`` on or before ``as_of``
    (ties: the higher id), correlated on the table's (holder_id, day) index."""
    from core.batch import latest_on as batch_latest_on

    return batch_latest_on(model, day, as_of)


def parameter_on(name: str, as_of: date | None = None) -> DatedValue:
    """The value of dated parameter ``name`` in force on ``as_of`` (default today), with its
    start and source, the department's entered values included: for pages that show a
    threshold. Checks read ``facts.param(name)`` instead, so that decisions name it."""
    from core.parameters import current_store

    return current_store(db.session).value_on(name, as_of or today())


__all__ = [
    "hookimpl", "db", "Base", "today", "official_calendar", "record_audit", "state", "profile",
    "hooks", "current_actor", "sees_personal_data", "shown_id_number", "own_department",
    "rules", "zh_date",
    "ROLES", "POLICE_ROLES", "ALL_ROLES",
    "SecureModelView", "SecureView", "expose", "scoped_to_org", "DashboardPanel",
    "bar_chart", "ChartSeries",
    "Entitlement", "Decision", "Reason", "PermitState", "CheckFacts", "RuleError",
    "ApiBlueprint", "ApiError", "In", "Out", "ReasonOut", "IsoDate", "field",
    "Holder", "Residence", "Permit", "Card", "Endorsement", "PermitStatusEvent", "OrgUnit", "User",
    "ETHNICITIES", "SEXES", "CARD_STATUSES", "HolderFacts", "validate_holder",
    "create_holder", "DuplicateIdNumber", "photo_data_uri",
    "BatchContext", "Parameter", "DatedValue", "ParameterError", "parameter_value",
    "parameter_view", "explanation_view", "DepartmentView", "DepartmentModelView",
    "DepartmentServiceView", "refuse_on_field",
    "decide", "permit_state", "latest_on", "parameter_on", "insert_new", "insert_new_from", "increment", "bulk_write",
    "sequence_ids",
    "lookup_many",
    "Population", "GeneratedHolder", "PermitDates",
    # admin form fields (core/admin/fields.py): native dates, the holder look-up's mark
    "DateField", "HolderIdNumberField", "holder_lookup_kw",
]

# Bulk import (plugins/public_security/importer.py and its later admin upload): the holder
# request model (loaded lazily: its module imports this one), the API's Chinese 422 texts for
# a pydantic error, and the formula-escaped CSV cell of the admin's export.
__all__ += ["HolderIn", "validation_messages", "csv_cell"]


def __getattr__(name: str):  # type: ignore[no-untyped-def]
    if name == "HolderIn":
        from core.defaults.holders_api import HolderIn

        return HolderIn
    raise AttributeError(f"module 'core.api' has no attribute {name!r}")
