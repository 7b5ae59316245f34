"""The kernel's bulk path (core/db.py: ``bulk_write``, ``sequence_ids``, ``lookup_many``), which
the generator and the registration import write through: rows written by the driver's own
path read back through the ORM exactly as rows the ORM wrote, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from core.db import bulk_write, db, lookup_many, sequence_ids
from core.models import Holder, Residence

COLUMNS = ("id", "name", "sex", "ethnicity", "birth_date", "id_number", "hukou_address",
           "hukou_division_code", "phone")


def rows(ids: list[int], start: int) -> list[tuple[Any, ...]]:
    return [(hid, f"批量{i}", "female", "汉族", dt.date(1990, 1, 1) + dt.timedelta(days=i),
             f"T{start + i:017d}", "某省某县", "530302001000", None if i % 2 else "13900000000")
            for i, hid in enumerate(ids)]


def test_tuples_and_mappings_read_back_as_the_orm_writes_them(app: Any) -> None:
    session = db.session
    ids = sequence_ids(session, Holder, 3)
    assert len(set(ids)) == 3 and min(ids) > (session.scalar(select(Holder.id).order_by(
        Holder.id.desc()).limit(1)) or 0)
    assert bulk_write(session, Holder, rows(ids, 0), COLUMNS) == 3
    # mappings, in their own key order; a date and a NULL-able date column
    rid = sequence_ids(session, Residence, 1)[0]
    assert bulk_write(session, Residence, [{"from_date": dt.date(2026, 2, 28), "id": rid,
                                            "holder_id": ids[0], "address": "甲",
                                            "division_code": "530323001001"}]) == 1
    session.commit()
    session.expire_all()
    got = {h.id: h for h in session.scalars(select(Holder).where(Holder.id.in_(ids)))}
    assert [got[i].birth_date for i in ids] == [dt.date(1990, 1, 1), dt.date(1990, 1, 2),
                                                dt.date(1990, 1, 3)]
    assert [got[i].phone for i in ids] == ["13900000000", None, "13900000000"]
    residence = session.get(Residence, rid)
    assert residence.from_date == dt.date(2026, 2, 28) and residence.to_date is None
    # the ORM finds them by date as by anything else (dates stored in the Date type's form)
    assert session.scalar(select(Holder.id).where(Holder.birth_date == dt.date(1990, 1, 2))) \
        == ids[1]


def test_lookup_many_answers_present_keys_only(app: Any) -> None:
    session = db.session
    ids = sequence_ids(session, Holder, 2)
    bulk_write(session, Holder, rows(ids, 100), COLUMNS)
    session.commit()
    numbers = [f"T{100:017d}", f"T{101:017d}"]
    many = [f"X{i:017d}" for i in range(5000)] + numbers
    assert lookup_many(session, Holder.id_number, Holder.id, many) == dict(zip(numbers, ids))
    assert lookup_many(session, Holder.id_number, Holder.id, []) == {}
    assert lookup_many(session, Holder.id_number, Holder.id, ["nobody"]) == {}
