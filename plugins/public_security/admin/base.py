"""The base of every 公安 admin view: who may open it, which station's rows a clerk sees,
how personal data and codes are shown.

A station clerk sees only its own station's rows: ``scope()`` is applied by the kernel's
base view to the list, the count AND ``get_one`` (details/edit by URL id), so a row of
another station answers "记录不存在" exactly like a row that does not exist.
"""

from __future__ import annotations

from typing import Any, Callable, ClassVar

from flask import flash
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from wtforms import Form

from core import api

CATEGORY = "公安"
#: Police roles read and work here; the auditor reads (masked); nobody else sees 公安.
READERS = frozenset(api.POLICE_ROLES | {"auditor"})
#: Card-stock writes (领用、作废、盘点): the county PSB, or the clerk of the station itself.
STOCK_WRITERS = frozenset({"county_admin", "station_clerk"})
#: How many stations a station select offers at most (a county has a few dozen).
STATION_CHOICES_CAP = 200

Formatter = Callable[[Any, Any, Any, str], Any]


def role() -> str | None:
    return current_user.role if current_user.is_authenticated else None


def sees_personal_data() -> bool:
    return api.sees_personal_data(role())


def attr_path(model: Any, path: str) -> Any:
    """``holder.id_number`` → model.holder.id_number (None along the way stays None)."""
    value = model
    for part in path.split("."):
        value = getattr(value, part, None) if value is not None else None
    return value


def masked_id(path: str) -> Formatter:
    """Show a full ID number only to roles that see personal data (DESIGN §5)."""
    def fmt(view: Any, context: Any, model: Any, name: str) -> Any:
        value = attr_path(model, path)
        return value if sees_personal_data() else api.rules.mask_id_number(value)
    return fmt


def chosen(path: str, names: dict[str, str]) -> Formatter:
    """A code shown by its Chinese name (no English code left visible)."""
    def fmt(view: Any, context: Any, model: Any, name: str) -> Any:
        value = attr_path(model, path)
        return names.get(value, value) if value is not None else ""
    return fmt


def yes_no(path: str, yes: str, no: str) -> Formatter:
    def fmt(view: Any, context: Any, model: Any, name: str) -> str:
        return yes if attr_path(model, path) else no
    return fmt


def link(url: str, text: str) -> Markup:
    """A link opening a printable page in a new tab; url and text are escaped."""
    return Markup('<a href="{}" target="_blank" rel="noopener">{}</a>').format(url, text)


class StationScopedView(api.SecureModelView):
    """Read-only by default; rows limited to the clerk's station through ``station_column``."""

    roles = READERS
    write_roles: frozenset[str] = frozenset()
    #: The model attribute holding the station; subclasses with another rule override
    #: ``station_criterion``.
    station_column: ClassVar[str] = "station_id"
    column_default_sort = ("id", True)
    can_set_page_size = False
    export_enabled = True  # the registers export to CSV, masked and scoped like the list

    def __init__(self, model: type, name: str, endpoint: str, **kwargs: Any) -> None:
        # Details show what the list shows unless a view says more: Flask-Admin's default
        # (every column) would show raw codes and English relation names (<Permit 2>).
        if self.column_details_list is None:
            self.column_details_list = self.column_list
        if self.column_formatters_detail is None:
            self.column_formatters_detail = self.column_formatters
        super().__init__(model, name=name, category=CATEGORY,
                         endpoint="public_security_" + endpoint, **kwargs)

    @property  # type: ignore[override]
    def can_edit(self) -> bool:
        """Never: the acts change these rows through their services (第九条: no override)."""
        return False

    def station_criterion(self, station_id: int) -> Any:
        return getattr(self.model, self.station_column) == station_id

    def scope(self) -> Any:
        return self.station_criterion(current_user.org_id) if role() == "station_clerk" else None


def station_choices() -> list[tuple[int, str]]:
    """Stations a form may name: all of the county's for the county PSB, only its own for a
    station clerk (scoped and capped, like every relation lookup here)."""
    stmt = (select(api.OrgUnit.id, api.OrgUnit.name)
            .where(api.OrgUnit.kind == "police_station")
            .order_by(api.OrgUnit.code).limit(STATION_CHOICES_CAP))
    if role() == "station_clerk":
        stmt = stmt.where(api.OrgUnit.id == current_user.org_id)
    return [(row.id, row.name) for row in api.db.session.execute(stmt)]


def refuse(form: Form, field: str, message: str) -> None:
    """Show a service's Chinese refusal beside its field (and flashed, so it is seen)."""
    target = getattr(form, field, None)
    if target is not None and hasattr(target, "errors"):
        target.errors = list(target.errors or []) + [message]
    flash(f"未保存：{message}", "error")


class ServiceCreateView(StationScopedView):
    """A create form whose facts go to the act's service function, which holds the rules,
    writes the rows and the audit event; the view commits once or rolls back everything."""

    #: A service's field name → the form field that shows its refusal.
    field_aliases: ClassVar[dict[str, str]] = {}

    def call_service(self, session: Any, form: Form) -> Any:
        """Do the act; return the new row or raise api.RuleError."""
        raise NotImplementedError

    def create_form(self, obj: Any = None) -> Form:
        form = super().create_form(obj)
        if hasattr(form, "station"):
            form.station.choices = station_choices()
            if role() == "station_clerk" and form.station.data is None:
                form.station.data = current_user.org_id
        return form

    def station(self, session: Any, form: Form) -> Any:
        return session.get(api.OrgUnit, form.station.data)

    def actor(self) -> Any:
        return current_user._get_current_object()

    def create_model(self, form: Form) -> Any:
        session = api.db.session
        try:
            row = self.call_service(session, form)
            session.commit()
        except api.RuleError as err:
            session.rollback()
            refuse(form, self.field_aliases.get(err.field, err.field), err.message)
            return False
        except SQLAlchemyError as exc:
            session.rollback()
            self.handle_view_exception(exc)
            return False
        return row
