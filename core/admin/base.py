"""Shared base views: access by role, org scoping and auditing in one place.

Flask-Admin's ``get_one`` ignores ``get_query`` (upstream #1739), so a scoped view that only
filtered lists would still open any row by URL id; here all three go through ``scope()``.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import flash, redirect, request, url_for
from flask_admin import AdminIndexView, BaseView
from flask_admin.contrib.sqla import ModelView
from flask_login import current_user
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from core import audit
from core.admin.counting import capped_count_query
from core.admin.fields import ModelConverter
from core.admin.search import KINDS as SEARCH_KINDS
from core.admin.search import SearchField, default_kind
from core.admin.search import criterion as search_criterion
from core.admin.search import placeholder as search_hint
from core.db import db

log = logging.getLogger(__name__)


def current_role() -> str | None:
    return current_user.role if current_user and current_user.is_authenticated else None


#: Columns (or the last part of a dotted column, ``holder.id_number``) that hold ID numbers
#: or phones: every model view masks them for roles that do not see personal data.
PERSONAL_ID_COLUMNS = audit.ID_NUMBER_KEYS | frozenset({"holder_id_number"})
PERSONAL_PHONE_COLUMNS = audit.PHONE_KEYS


def sees_personal_data() -> bool:
    """Whether the logged-in user's role sees full ID numbers and phones (DESIGN §5)."""
    from core.auth import ROLES

    spec = ROLES.get(current_role() or "")
    return bool(spec and spec.sees_personal_data)


def mask_column_value(name: str, value: Any) -> Any:
    """``value`` of column ``name`` as the current role may see it: ID numbers and phones
    masked (first 6 + last 4, first 3 + last 4) unless the role sees personal data."""
    from core.rules import mask_id_number, mask_phone

    if not isinstance(value, str) or not value or sees_personal_data():
        return value
    last = str(name).rsplit(".", 1)[-1]
    if last in PERSONAL_ID_COLUMNS:
        return mask_id_number(value)
    if last in PERSONAL_PHONE_COLUMNS:
        return mask_phone(value)
    return value


class AccessMixin:
    """`roles` may open the view; `write_roles` may create, edit and delete."""

    roles: frozenset[str] = frozenset({"county_admin"})
    write_roles: frozenset[str] = frozenset()

    def is_accessible(self) -> bool:
        return bool(current_user.is_authenticated and current_user.active
                    and current_user.role in self.roles)

    def inaccessible_callback(self, name: str, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return redirect(url_for("security.login", next=request.full_path.rstrip("?")))
        # abort(403) gave Werkzeug's English "Forbidden" page; the admin UI is Chinese.
        return self.render("juzhu/forbidden.html"), 403  # type: ignore[attr-defined]


class SecureView(AccessMixin, BaseView):
    """A custom (non-model) admin page."""


class SecureIndexView(AccessMixin, AdminIndexView):
    roles = frozenset({"county_admin", "station_clerk", "police_officer", "dept_clerk",
                       "assistant", "auditor"})


class SecureModelView(AccessMixin, ModelView):
    """One subclass per model. Override `scope()` to limit rows to the user's org."""

    page_size = 50
    can_view_details = True
    #: scaffolded forms: native date inputs (core/admin/fields.py), not the script picker
    model_form_converter = ModelConverter
    audit_entity: str | None = None  # defaults to the table name
    #: Offer 导出 CSV on the list (see :meth:`_export_csv`) to every role that may open it.
    export_enabled = False
    export_types = ["csv", "xlsx"]
    #: rows one export holds at most (a county's registers are tens of thousands of rows)
    export_max_rows = 50_000

    def __init__(self, model: type, **kwargs: Any) -> None:
        super().__init__(model, db, **kwargs)

    @property
    def db_session(self) -> Any:
        """The ORM session. ``self.session`` is the ``db`` object we hand to ModelView
        (DESIGN §8), which has no ``query``/``flush``/``add``."""
        return db.session

    # writes by role
    @property  # type: ignore[override]
    def can_create(self) -> bool:
        return current_role() in self.write_roles

    @property  # type: ignore[override]
    def can_edit(self) -> bool:
        return current_role() in self.write_roles

    @property  # type: ignore[override]
    def can_delete(self) -> bool:
        return current_role() in self.write_roles and self.allow_delete

    @property  # type: ignore[override]
    def can_export(self) -> bool:
        """Whoever may open the list may export it (masked and scoped exactly like it)."""
        return self.export_enabled and self.is_accessible()

    # CSV export. Flask-Admin's own writes no BOM (Chinese Excel then reads UTF-8 as GBK),
    # does not escape formulas, and secure_filename() strips a Chinese file name to nothing.
    def _export_table(self) -> tuple[list[str], list[list[Any]]]:
        """The list as an export sees it: the same rows (scope, search, filters, sort) and
        the same values (masked per role) as the list page, HTML stripped; audited as
        ``<entity>.export`` with the row count and the format, committed before the file is
        sent. Returns the column titles and the rows of plain values."""
        from markupsafe import Markup

        _count, rows = self._export_data()
        columns = list(self._export_columns)
        table = []
        for row in rows:
            cells = []
            for name, _title in columns:
                value = self.get_export_value(row, name)
                cells.append(value.striptags() if isinstance(value, Markup) else value)
            table.append(cells)
        entity = self._audit_entity()
        audit.record(self.db_session, action=f"{entity}.export", entity=entity,
                     new={"rows": len(rows), "view": self.endpoint,
                          "format": request.view_args.get("export_type", "csv")
                          if request.view_args else "csv",
                          "search": request.args.get("search") or None},
                     actor=current_user._get_current_object())
        self.db_session.commit()
        return [str(title) for _name, title in columns], table

    def _send_export(self, body: Any, mimetype: str, export_type: str) -> Any:
        from urllib.parse import quote

        from flask import Response

        filename = self.get_export_name(export_type)
        return Response(body, mimetype=mimetype, headers={
            "Content-Disposition": f"attachment; filename=export.{export_type}; "
                                   f"filename*=UTF-8''{quote(filename)}",
            "Cache-Control": "no-store"})

    def _export_csv(self, return_url: Any) -> Any:
        """CSV: UTF-8 with a BOM (Chinese Excel); a cell starting with = + - @ tab or CR gets
        a leading apostrophe (CSV injection)."""
        import csv
        import io

        titles, rows = self._export_table()
        buffer = io.StringIO()
        buffer.write("\ufeff")
        writer = csv.writer(buffer)
        writer.writerow([csv_cell(title) for title in titles])
        for cells in rows:
            writer.writerow([csv_cell(value) for value in cells])
        return self._send_export(buffer.getvalue(), "text/csv", "csv")

    def _export_tablib(self, export_type: str, return_url: str) -> Any:
        """XLSX (openpyxl, no tablib): the same table as the CSV. Every text cell is written
        as text, so a value beginning with = is never a formula (no apostrophe needed, the
        cell shows what was typed); dates stay dates; the header row is frozen."""
        import io

        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell

        if export_type != "xlsx":  # pragma: no cover - export_types allows csv and xlsx
            return redirect(return_url)
        titles, rows = self._export_table()
        book = Workbook(write_only=True)
        sheet = book.create_sheet(title=str(self.name)[:31] or "export")
        sheet.freeze_panes = "A2"

        def cell(value: Any) -> Any:
            out = WriteOnlyCell(sheet, value=xlsx_value(value))
            if isinstance(out.value, str):
                out.data_type = "s"  # text, never a formula
            return out

        sheet.append([cell(title) for title in titles])
        for cells in rows:
            sheet.append([cell(value) for value in cells])
        buffer = io.BytesIO()
        book.save(buffer)
        return self._send_export(
            buffer.getvalue(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")

    def get_export_name(self, export_type: str = "csv") -> str:
        from core.clock import today

        return f"{self.name}_{today():%Y%m%d}.{export_type}"

    allow_delete = False

    # masking, in one place for list, details and export (a plugin's own formatter may
    # forget it; this cannot be forgotten)
    def _get_list_value(self, context: Any, model: Any, name: str, column_formatters: Any,
                        column_type_formatters: Any) -> Any:
        value = super()._get_list_value(context, model, name, column_formatters,
                                        column_type_formatters)
        return mask_column_value(name, value)

    def get_export_value(self, model: Any, name: Any) -> Any:
        return mask_column_value(name, super().get_export_value(model, name))

    def handle_view_exception(self, exc: Exception) -> bool:
        """Flask-Admin would flash str(exc): for a database error that is raw SQL with its
        parameters (personal data). Log it; show the clerk a Chinese sentence."""
        if isinstance(exc, SQLAlchemyError):
            log.exception("database error in admin view %s", self.endpoint)
            flash("保存失败：与已有记录冲突（例如号码或代码重复）。" if isinstance(exc, IntegrityError)
                  else "保存失败：数据库错误，已记录。", "error")
            return True
        return super().handle_view_exception(exc)

    # scoping
    def scope(self) -> Any:
        """A SQLAlchemy criterion limiting rows for the current user, or None for all."""
        return None

    def get_query(self) -> Any:
        criterion = self.scope()
        query = super().get_query()
        return query if criterion is None else query.filter(criterion)

    def get_count_query(self) -> Any:
        """Counts at most ``counting.CAP + 1`` rows (never a whole big table per page)."""
        criterion = self.scope()
        query = capped_count_query(self.db_session, self.model)
        return query if criterion is None else query.filter(criterion)

    # search: indexed (core/admin/search.py). A clerk types a full ID number or the start
    # of a name; no substring search over big tables.
    #: searchable column → kind ("id_number", "prefix", "exact", "contains"); a column not
    #: named gets search.default_kind (ID numbers, names by prefix, other columns exact)
    column_search_kinds: dict[str, str] = {}

    def init_search(self) -> bool:
        from flask_admin.contrib.sqla import tools

        supported = super().init_search()
        self._indexed_search: list[SearchField] = []
        for name in self.column_searchable_list or ():
            attr, path = tools.get_field_with_path(self.model, name)
            kind = self.column_search_kinds.get(name) or default_kind(name)
            if kind not in SEARCH_KINDS:
                raise ValueError(f"{type(self).__name__}: unknown search kind {kind!r}")
            for column in tools.get_columns_for_field(attr):
                self._indexed_search.append(SearchField(name, column, tuple(path), kind))
        return supported

    def _apply_search(self, query: Any, count_query: Any, joins: Any, count_joins: Any,
                      search: str) -> Any:
        dialect = self.db_session.get_bind().dialect.name
        keys = inspect(self.model).primary_key
        found = search_criterion(self._indexed_search, search, dialect,
                                 keys[0] if len(keys) == 1 else None)
        if found is None:
            return query, count_query, joins, count_joins
        return (query.filter(found), None if count_query is None else count_query.filter(found),
                joins, count_joins)

    def search_placeholder(self) -> str | None:
        return search_hint(self._indexed_search, self.column_labels or {})

    def get_one(self, id: Any) -> Any:
        criterion = self.scope()
        if criterion is None:
            return super().get_one(id)
        pk = inspect(self.model).primary_key[0]
        try:
            key = pk.type.python_type(id)
        except (TypeError, ValueError):
            return None
        return self.db_session.query(self.model).filter(criterion, pk == key).one_or_none()

    # auditing, in the same transaction as the change
    def _audit_entity(self) -> str:
        return self.audit_entity or self.model.__tablename__

    def on_model_change(self, form: Any, model: Any, is_created: bool) -> None:
        state = inspect(model)
        old, changed = {}, []
        for attr in state.mapper.column_attrs:
            hist = state.attrs[attr.key].history
            if hist.has_changes() or is_created:
                if hist.deleted and not is_created:
                    old[attr.key] = hist.deleted[0]
                changed.append(attr.key)
        self.db_session.flush()
        # Read the new values after the flush: before it a created row's id and server
        # defaults (created_at) are still None, and the audit log recorded them as null.
        new = {key: getattr(model, key) for key in changed}
        audit.record(self.db_session, action=f"{self._audit_entity()}.{'create' if is_created else 'update'}",
                     entity=self._audit_entity(), entity_id=state.identity[0] if state.identity else None,
                     old=old or None, new=self.redact(new), actor=current_user._get_current_object())

    def on_model_delete(self, model: Any) -> None:
        state = inspect(model)
        audit.record(self.db_session, action=f"{self._audit_entity()}.delete",
                     entity=self._audit_entity(), entity_id=state.identity[0] if state.identity else None,
                     old={a.key: getattr(model, a.key) for a in state.mapper.column_attrs},
                     actor=current_user._get_current_object())

    def redact(self, values: dict[str, Any]) -> dict[str, Any]:
        """Values never written to the audit log (password hashes)."""
        return values


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def xlsx_value(value: Any) -> Any:
    """A value as an XLSX cell holds it: numbers, dates and None as they are; everything
    else as its text (Decimal and enums included)."""
    import datetime as dt
    from decimal import Decimal

    if value is None or isinstance(value, (bool, int, float, dt.date, dt.datetime)):
        return value
    if isinstance(value, Decimal):
        return float(value)
    return str(value)


def csv_cell(value: Any) -> str:
    """One CSV cell: None → empty; text a spreadsheet would run as a formula (starting with
    = + - @ tab or CR) gets a leading apostrophe, so it is shown, never evaluated."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def scoped_to_org(column: Any) -> Any:
    """Criterion: rows of the current user's org, for station and department clerks."""
    if current_role() in {"station_clerk", "dept_clerk"}:
        return column == current_user.org_id
    return None


class DepartmentAccess(AccessMixin):
    """Views of one department's menu (第二十条): the county admin and that department's own
    clerks open them; every other role, and a clerk of another department, gets 403."""

    department: str = ""
    roles = frozenset({"county_admin", "dept_clerk"})
    write_roles = frozenset({"county_admin", "dept_clerk"})

    def is_accessible(self) -> bool:
        if not super().is_accessible():
            return False
        if current_user.role == "county_admin":
            return True
        org = current_user.org
        return org is not None and org.code == self.department


class DepartmentView(DepartmentAccess, SecureView):
    """A custom page in a department's menu."""


class DepartmentModelView(DepartmentAccess, SecureModelView):
    """A model view in a department's menu; writes by the county admin and the department's
    clerks (``write_roles``). ID numbers and phones in them are masked for the clerks like
    everywhere else (DESIGN §5); the lists export to CSV (masked and scoped alike)."""

    export_enabled = True


def refuse_on_field(form: Any, field: str, message: str) -> None:
    """Show a service's Chinese refusal beside the form field it names (and as a flash)."""
    target = getattr(form, field, None)
    if target is not None and hasattr(target, "errors"):
        target.errors = list(target.errors or []) + [message]
    flash(f"未保存：{message}", "error")


class DepartmentServiceView(DepartmentModelView):
    """A department view whose create (and edit) forms hand their facts to the plugin's
    services — the same functions as its API, which validate, write and audit — and commit
    once; a ``RuleError`` rolls back and shows beside the field it names.

    Set ``department``, ``category``, ``endpoint_prefix`` and ``create_form_class`` (and
    ``edit_form_class`` to allow edits); implement ``create_by_service(session, form)`` (and
    ``update_by_service(session, form, model)``).
    """

    can_set_page_size = False
    column_default_sort = ("id", True)
    endpoint_prefix = ""
    create_form_class: Any = None
    edit_form_class: Any = None
    #: a service's field name → the form field that shows its refusal
    field_aliases: dict[str, str] = {"holder_id": "holder_id_number"}
    #: the form field that shows a refusal naming no field of the form (None: flashed only)
    fallback_field: str | None = None

    def __init__(self, model: type, name: str, endpoint: str) -> None:
        if self.column_details_list is None:
            self.column_details_list = self.column_list
        if self.column_formatters_detail is None:
            self.column_formatters_detail = self.column_formatters
        super().__init__(model, name=name, category=self.category,
                         endpoint=f"{self.endpoint_prefix}_{endpoint}")

    def get_create_form(self) -> Any:
        return self.create_form_class

    def get_edit_form(self) -> Any:
        return self.edit_form_class or self.create_form_class

    @property  # type: ignore[override]
    def can_edit(self) -> bool:
        return self.edit_form_class is not None and super().can_edit

    def actor(self) -> Any:
        return current_user._get_current_object()

    def _run(self, form: Any, act: Any) -> Any:
        from core.rules import RuleError

        session = db.session
        try:
            result = act(session)
            session.commit()
        except RuleError as err:
            session.rollback()
            refuse_on_field(form, self.refusal_field(form, err.field), err.message)
            return False
        except SQLAlchemyError as exc:
            session.rollback()
            self.handle_view_exception(exc)
            return False
        return result

    def refusal_field(self, form: Any, field: str) -> str:
        """The form field that shows a refusal of the service's ``field``."""
        name = self.field_aliases.get(field, field)
        if self.fallback_field and getattr(form, name, None) is None:
            return self.fallback_field
        return name

    def create_model(self, form: Any) -> Any:
        return self._run(form, lambda session: self.create_by_service(session, form))

    def update_model(self, form: Any, model: Any) -> bool:
        return bool(self._run(form, lambda session: self.update_by_service(session, form, model)
                              or True))

    def create_by_service(self, session: Any, form: Any) -> Any:
        raise NotImplementedError

    def update_by_service(self, session: Any, form: Any, model: Any) -> Any:
        raise NotImplementedError
