"""号码对账 (《办法》第七条、第八条): allocated = issued + voided + counted on hand, per
station, with every difference flagged. The arithmetic is the stock service's
(``stock.reconcile``/``reconcile_all``); this page only shows it."""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from core import api

from .. import stock
from .base import CATEGORY, READERS, role


class ReconciliationView(api.SecureView):
    """County-wide for the county PSB, police officers and the auditor; a station clerk
    sees its own station only."""

    roles = READERS

    def __init__(self) -> None:
        super().__init__(name="号码对账", category=CATEGORY,
                         endpoint="public_security_reconciliation")

    @api.expose("/")
    def index(self) -> Any:
        session = api.db.session
        if role() == "station_clerk":
            rows = [stock.reconcile(session, current_user.org_id)]
        else:
            rows = stock.reconcile_all(session)
        return self.render("public_security/admin/reconciliation.html", rows=rows,
                           flagged=sum(1 for r in rows if r.flagged), as_of=api.today())


def views() -> list[Any]:
    return [ReconciliationView()]
