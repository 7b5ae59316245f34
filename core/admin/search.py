"""Indexed search for admin lists: what a clerk types becomes criteria an index serves.

Flask-Admin's own search is ``CAST(col AS TEXT) ILIKE '%term%'`` over every searchable column
(through outer joins), which no B-tree index serves: at a million holders every search read
the whole table. Here the whole search box is one term, and each searchable column has a
*kind* that says how the term matches it:

- ``id_number``: only a full citizen ID number (18 characters, or an old 15-digit one, which
  is converted to its 18-character form) matches, by equality (the unique index);
- ``prefix``: the column starts with the term (case-sensitive), served by a B-tree index:
  on SQLite ``col >= term AND col < term || U+10FFFF`` (binary order is code point order), on
  PostgreSQL ``col LIKE 'term%'`` with a ``varchar_pattern_ops`` index (locale independent);
- ``exact``: equality (receipt numbers, permit numbers, serials);
- ``contains``: Flask-Admin's old substring match, for small tables only (users, orgs).

A column reached through a relationship (``holder.name``) becomes ``holder_id IN (SELECT
holder.id FROM holder WHERE …)``, so every criterion is on the listed table itself: the
planner uses that table's foreign-key index, and the list needs no join for its search.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Iterable

from sqlalchemy import String, and_, false, or_, select, union
from sqlalchemy.sql.sqltypes import Unicode

from core import audit

KINDS = ("id_number", "prefix", "exact", "contains")
#: the highest code point: above every character a name may hold (names may be outside the BMP)
TOP = "\U0010ffff"
_ID18 = re.compile(r"\d{17}[\dX]")
_ID15 = re.compile(r"\d{15}")


@dataclass(frozen=True)
class SearchField:
    """One searchable column: its name in the view, the column, the relationship path."""

    name: str
    column: Any
    path: tuple[Any, ...]
    kind: str


def default_kind(name: str) -> str:
    """The kind of a searchable column named ``name`` when the view does not say."""
    last = name.rsplit(".", 1)[-1]
    if last in audit.ID_NUMBER_KEYS:
        return "id_number"
    if last == "name" or last.endswith("_name"):
        return "prefix"
    return "exact"


def full_id_number(term: str) -> str | None:
    """``term`` as a stored (18-character, upper-case X) ID number, or None when it is not a
    full one. A 15-digit number of the 1985 standard gains the century and its check
    character (GB 11643-1999), which is how the register stores it."""
    from core.rules import id_check_char

    text = unicodedata.normalize("NFKC", term).strip().upper()
    if _ID18.fullmatch(text):
        return text
    if _ID15.fullmatch(text):
        first17 = text[:6] + "19" + text[6:]
        return first17 + id_check_char(first17)
    return None


def prefix(column: Any, term: str, dialect: str) -> Any:
    """``column`` starts with ``term``, in the form the dialect's index serves."""
    if dialect == "postgresql":
        return column.startswith(term, autoescape=True)
    return and_(column >= term, column < term + TOP)


def _value(column: Any, term: str) -> Any:
    """``term`` converted to the column's Python type; None when it cannot be one."""
    try:
        kind = column.type.python_type
    except NotImplementedError:
        return term
    if kind is str:
        return term
    try:
        return kind(term)
    except (TypeError, ValueError):
        return None


def column_criterion(field: SearchField, term: str, id_number: str | None,
                     dialect: str) -> Any:
    """The criterion of one column for ``term``, or None when the term cannot match it."""
    column = field.column
    if field.kind == "id_number":
        return column == id_number if id_number else None
    if field.kind == "prefix":
        if id_number or not isinstance(column.type, String):
            return None  # a full ID number is no name; searched by its own columns
        return prefix(column, term, dialect)
    if field.kind == "contains":
        from flask_admin.contrib.sqla.tools import parse_like_term
        from sqlalchemy import cast

        return cast(column, Unicode).ilike(parse_like_term(term))
    value = _value(column, term)
    return None if value is None else column == value


def through(path: Iterable[Any], criterion: Any) -> Any:
    """``criterion`` on the table at the end of relationship ``path``, as a criterion on the
    first table: ``fk IN (SELECT pk FROM target WHERE criterion)``, one level per hop."""
    for rel in reversed(tuple(path)):
        pairs = rel.property.local_remote_pairs
        if len(pairs) != 1:
            raise ValueError(f"search through {rel}: composite keys are not supported")
        local, remote = pairs[0]
        # correlate(None): a subquery of its own even when the list joins that table too
        criterion = local.in_(select(remote).where(criterion).correlate(None))
    return criterion


def criterion(fields: Iterable[SearchField], search: str, dialect: str,
              key: Any = None) -> Any:
    """Rows matching the search box text on any of ``fields`` (``false()`` when none can).

    Two or more column criteria become ``key IN (SELECT key … WHERE a UNION SELECT key …
    WHERE b)`` with ``key`` the listed table's primary key: PostgreSQL cannot serve ``a OR
    fk IN (SELECT …)`` from indexes (it filters every row against a hashed subplan, 0.2 s
    at a million permits), while each arm of the UNION uses its own index on both engines.
    """
    term = search.strip()  # names are stored as typed (only stripped): no folding here
    if not term:
        return None
    id_number = full_id_number(term)
    parts = []
    for field in fields:
        one = column_criterion(field, term, id_number, dialect)
        if one is not None:
            parts.append(through(field.path, one) if field.path else one)
    if not parts:
        return false()
    if len(parts) == 1 or key is None:
        return or_(*parts)
    return key.in_(union(*(select(key).where(part).correlate(None) for part in parts)))


def placeholder(fields: Iterable[SearchField], labels: dict[str, Any]) -> str | None:
    """The search box's hint: how each column is matched, in Chinese."""
    forms = {"id_number": "完整{}", "prefix": "{}开头", "exact": "{}", "contains": "{}"}
    hints = [forms[f.kind].format(labels.get(f.name, f.name)) for f in fields]
    return "、".join(hints) or None
