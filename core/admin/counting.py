"""Capped row counts for admin lists: never a ``count(*)`` of a whole big table per page.

Flask-Admin counts every list page exactly (``SELECT count(*) FROM holder``): at a million
holders that reads a whole index on each click. The count query here is an ordinary
Flask-Admin count query (scope, search and filters are applied to it as before) whose
``scalar()`` counts at most ``CAP + 1`` rows: ``SELECT count(*) FROM (SELECT 1 FROM … LIMIT
10001)``. Up to 10 000 rows the count is exact (every small table, most searches and a
station's filtered lists); beyond, it is a :class:`CappedCount` that the list shows as
"10000+", and the pager offers the first 200 pages (narrow the list to go further).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, literal_column, select
from sqlalchemy.orm import Query

#: rows counted at most; the list says "10000+" beyond
CAP = 10_000


class CappedCount(int):
    """More than ``CAP`` rows: an int (CAP + 1) for Flask-Admin's page arithmetic, shown as
    "10000+" wherever a template prints it."""

    def __str__(self) -> str:
        return f"{CAP}+"

    def __html__(self) -> str:
        return str(self)


class CappedCountQuery(Query):  # type: ignore[type-arg]
    """A count query whose ``scalar()`` counts at most ``CAP + 1`` rows. Filters and joins
    keep the class (Query methods are generative), so Flask-Admin's search and filters
    narrow it exactly as they narrow the list."""

    def scalar(self) -> Any:
        rows = self.with_entities(literal_column("1")).limit(CAP + 1).subquery()
        counted = self.session.execute(select(func.count()).select_from(rows)).scalar_one()
        return CappedCount(counted) if counted > CAP else counted


def capped_count_query(session: Any, model: type) -> CappedCountQuery:
    """The count query of ``model``'s list (Flask-Admin's ``get_count_query``)."""
    return CappedCountQuery([func.count("*")], session).select_from(model)
