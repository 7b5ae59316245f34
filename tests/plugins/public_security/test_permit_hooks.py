"""The permit's acts fire their event hooks, with keyword arguments, inside the act's
transaction (core/hookspecs.py): endorsed, suspended, replaced, address changed."""

from __future__ import annotations

import datetime as dt
import types
from typing import Any

from core import api as kernel
from core.db import db
from core.models import Residence
from plugins.public_security import sweep

from .conftest import DANFENG_CODE, XIONGBI, XIONGBI_CODE

FULL = ["id_card", "permit_card", "rental_contract"]


def recorder(calls: list) -> tuple[str, types.ModuleType]:
    """A plugin that notes every permit event it hears."""
    module = types.ModuleType("permit_listener")

    def permit_endorsed(permit, endorsement, actor, session):  # type: ignore[no-untyped-def]
        calls.append(("endorsed", permit.number, endorsement.late, actor.role))

    def permit_suspended(permit, on, session):  # type: ignore[no-untyped-def]
        calls.append(("suspended", permit.number, on))

    def permit_replaced(permit, old_card, new_card, reason, actor, session):  # type: ignore[no-untyped-def]
        calls.append(("replaced", old_card.status, new_card.serial == permit.live_card.serial,
                      reason))

    def address_changed(permit, old_residence, new_residence, actor, session):  # type: ignore[no-untyped-def]
        calls.append(("address_changed", permit.station.code, old_residence.division_code,
                      new_residence.division_code))

    for fn in (permit_endorsed, permit_suspended, permit_replaced, address_changed):
        setattr(module, fn.__name__, kernel.hookimpl(fn))
    return "permit_listener", module


def test_each_act_fires_its_hook(ps, make_app, clerk, users) -> None:  # type: ignore[no-untyped-def]
    calls: list = []
    app = make_app(plugins=[recorder(calls)])
    client = app.test_client()
    holder = ps.holder()
    db.session.add(Residence(holder_id=holder.id, address="丹凤街道某社区1号",
                             division_code=DANFENG_CODE, from_date=dt.date(2026, 1, 5)))
    db.session.commit()
    ps.number_range(XIONGBI, 1000, 1999)
    permit = ps.permit(holder, issued_on=dt.date(2026, 1, 15))
    _, xiongbi = users("station_clerk", XIONGBI)

    def post(path: str, token: str, body: dict[str, Any]) -> Any:
        r = client.post(f"/api/v1/permits/{permit.number}/{path}", json=body,
                        headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 201, r.json
        return r

    post("endorsements", clerk[1], {"endorsed_on": "2027-01-20", "materials": FULL})
    assert calls == [("suspended", permit.number, dt.date(2027, 1, 16)),
                     ("endorsed", permit.number, True, "station_clerk")]
    calls.clear()
    post("replacements", clerk[1], {"reason": "lost", "on": "2027-02-01"})
    post("changes", clerk[1], {"on": "2027-02-02", "name": "张维"})
    post("changes", clerk[1], {"on": "2027-02-03", "phone": "13800001111"})  # no new card
    post("address-changes", xiongbi, {"on": "2027-03-01", "residence_address": "雄壁镇1号",
                                      "residence_division_code": XIONGBI_CODE})
    assert calls == [("replaced", "lost", True, "lost"), ("replaced", "returned", True, "change"),
                     ("address_changed", XIONGBI, DANFENG_CODE, XIONGBI_CODE)]

    calls.clear()
    lapsed = ps.permit(issued_on=dt.date(2025, 3, 1))
    with app.app_context():
        assert sweep.sweep(db.session, dt.date(2027, 1, 16)) == 1
        db.session.commit()
    assert calls == [("suspended", lapsed.number, dt.date(2026, 3, 2))]
