"""The admin at scale (issue 6): no count(*) of a whole table per list page, an indexed search
(a full ID number exactly, a name by its start), scoping kept under search, paging.

Statements are captured with an SQLAlchemy ``before_cursor_execute`` listener while the real
pages are requested; plans come from the database (EXPLAIN QUERY PLAN on SQLite, EXPLAIN with
``enable_seqscan`` off on PostgreSQL, whose tables here are too small for statistics).
"""

from __future__ import annotations

import datetime as dt
import re
from contextlib import contextmanager
from typing import Any, Iterator

import pytest
from sqlalchemy import insert, select

from benchmarks.explain import captured
from core.admin import counting
from core.admin.search import full_id_number
from core.db import db
from core.models import Holder, OrgUnit, Permit
from core.rules import id_check_char
from tests.support import login

DANFENG, XIONGBI = "station-530323001", "station-530323102"


def citizen_id(seq: int, birth: dt.date = dt.date(1980, 1, 1)) -> str:
    first17 = f"530302{birth:%Y%m%d}{seq:03d}"
    return first17 + id_check_char(first17)


def add_holders(names: list[str], start: int = 1) -> list[tuple[int, str, str]]:
    """Holders named ``names`` (bulk insert): [(id, name, id_number)]."""
    rows = []
    for offset, name in enumerate(names):
        seq = start + offset
        birth = dt.date(1980, 1, 1) + dt.timedelta(days=seq // 1000)
        number = citizen_id(seq % 1000, birth)
        rows.append({"name": name, "sex": "male" if int(number[16]) % 2 else "female",
                     "ethnicity": "汉族", "birth_date": birth, "id_number": number,
                     "hukou_address": "云南省曲靖市麒麟区南宁街道 8 号",
                     "hukou_division_code": "530302001000", "phone": None})
    db.session.execute(insert(Holder), rows)
    db.session.commit()
    ids = dict(db.session.execute(select(Holder.id_number, Holder.id)).all())
    return [(ids[r["id_number"]], r["name"], r["id_number"]) for r in rows]


def add_permit(holder_id: int, station_code: str, number: str) -> None:
    psb = db.session.scalar(select(OrgUnit.id).where(OrgUnit.code == "county-psb"))
    station = db.session.scalar(select(OrgUnit.id).where(OrgUnit.code == station_code))
    db.session.add(Permit(number=number, holder_id=holder_id, authority_id=psb,
                          station_id=station, issued_on=dt.date(2026, 1, 5),
                          valid_until=dt.date(2027, 1, 5),
                          continuous_residence_since=dt.date(2025, 6, 1)))
    db.session.commit()


@contextmanager
def statements(site: Any) -> Iterator[list[tuple[str, Any]]]:
    """Every SQL statement (with its parameters) the app sends meanwhile (the capture the
    plan tool of benchmarks/explain.py uses)."""
    with site.app_context():
        engine = db.engine
    with captured(engine) as seen:
        yield seen


def counts_of(seen: list[tuple[str, Any]], table: str) -> list[str]:
    return [s for s, _ in seen if re.search(r"count\(", s, re.I)
            and re.search(rf'\bFROM "?{table}"?\b', s)]


def list_count(html: str) -> str:
    """The count the list's tab shows: 列表 (N)."""
    match = re.search(r'nav-link active">列表 \(([^)]*)\)', html)
    assert match, "no count on the list tab"
    return match.group(1)


def table_text(html: str) -> str:
    match = re.search(r'(?s)<table class="[^"]*model-list[^"]*">(.*?)</table>', html)
    return match.group(1) if match else ""


def names_on(client: Any, url: str, names: list[str], **query: Any) -> set[str]:
    r = client.get(url, query_string=query or None)
    assert r.status_code == 200
    return {n for n in names if f">{n}<" in re.sub(r"\s+", "", table_text(r.text))}


# -- counts ---------------------------------------------------------------------------------

@pytest.mark.parametrize("role, org, url, table", [
    ("county_admin", None, "/admin/holders/", "holder"),
    ("dept_clerk", "dept-housing", "/admin/housing_facts/", "housing_facts"),
    ("station_clerk", DANFENG, "/admin/public_security_permits/", "permit"),
])
def test_list_pages_never_count_a_whole_table(web: Any, users: Any, role: str,
                                              org: str | None, url: str, table: str) -> None:
    """Each list's count is capped: SELECT count(*) FROM (SELECT 1 … LIMIT 10001)."""
    add_holders(["甲一", "乙二"])
    client = login(web, users, role, org)
    for query in ({}, {"search": "甲"}, {"page": 1}):
        with statements(web) as seen:
            assert client.get(url, query_string=query).status_code == 200
        counted = counts_of(seen, table)
        assert counted, (url, query, [s for s, _ in seen])
        for statement in counted:
            assert re.search(r"\bLIMIT\b", statement), statement
            params = [p for s, p in seen if s == statement][0]
            flat = params.values() if isinstance(params, dict) else params
            assert counting.CAP + 1 in flat, params


def test_a_count_above_the_cap_shows_as_cap_plus(web: Any, users: Any,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    add_holders([f"张{n}" for n in "一二三四五"])
    monkeypatch.setattr(counting, "CAP", 3)
    client = login(web, users, "county_admin")
    assert list_count(client.get("/admin/holders/").text) == "3+"
    assert list_count(client.get("/admin/holders/", query_string={"search": "张"}).text) == "3+"
    # at or below the cap the count is exact
    assert list_count(client.get("/admin/holders/", query_string={"search": "张一"}).text) == "1"


# -- search ---------------------------------------------------------------------------------

NAMES = ["张伟", "张伟明", "王张伟", "李四", "Anna"]


@pytest.mark.parametrize("role", ["county_admin", "dept_clerk"])
def test_search_by_full_id_number_or_name_prefix(web: Any, users: Any, role: str) -> None:
    """A full ID number finds exactly that holder; a name is matched by its start, so
    王张伟 (containing 张伟) is not found by 张伟 — the search before issue 6 matched any
    part of a name, which no index serves."""
    rows = add_holders(NAMES)
    client = login(web, users, role, "dept-housing" if role == "dept_clerk" else None)
    url = "/admin/holders/"
    _, _, number = rows[1]
    assert names_on(client, url, NAMES, search=number) == {"张伟明"}
    assert names_on(client, url, NAMES, search=f" {number.lower()} ") == {"张伟明"}
    assert names_on(client, url, NAMES, search="张伟") == {"张伟", "张伟明"}
    assert names_on(client, url, NAMES, search="张伟明") == {"张伟明"}
    assert names_on(client, url, NAMES, search="伟") == set()
    assert names_on(client, url, NAMES, search="An") == {"Anna"}
    assert names_on(client, url, NAMES, search="an") == set()  # case-sensitive
    assert names_on(client, url, NAMES, search=number[:10]) == set()  # no partial numbers
    assert names_on(client, url, NAMES, search="%") == set()  # LIKE wildcards are text


def test_an_old_15_digit_id_number_finds_its_holder(web: Any, users: Any) -> None:
    rows = add_holders(NAMES)
    _, _, number = rows[3]
    fifteen = number[:6] + number[8:17]  # the 1985 form: no century, no check character
    assert full_id_number(fifteen) == number
    client = login(web, users, "county_admin")
    assert names_on(client, "/admin/holders/", NAMES, search=fifteen) == {"李四"}


def test_search_through_a_relation_keeps_the_station_scope(web: Any, users: Any) -> None:
    """The permits list searches the holder's name and ID number; a station clerk searching
    another station's holder finds nothing, the county admin finds it."""
    (own_id, own, own_number), (other_id, other, other_number) = \
        [r for r in add_holders(["赵丹凤", "钱雄壁"])]
    add_permit(own_id, DANFENG, "530323202600000001")
    add_permit(other_id, XIONGBI, "530323202600000002")
    url = "/admin/public_security_permits/"
    clerk = login(web, users, "station_clerk", DANFENG)
    assert names_on(clerk, url, [own, other], search=own_number) == {own}
    assert names_on(clerk, url, [own, other], search=other_number) == set()
    assert names_on(clerk, url, [own, other], search="钱") == set()
    assert names_on(clerk, url, [own, other], search="530323202600000002") == set()
    admin = login(web, users, "county_admin")
    assert names_on(admin, url, [own, other], search=other_number) == {other}
    assert names_on(admin, url, [own, other], search="钱雄") == {other}
    assert names_on(admin, url, [own, other], search="530323202600000001") == {own}


# -- plans ----------------------------------------------------------------------------------

def plan(site: Any, statement: str, params: Any) -> str:
    with site.app_context():
        with db.engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params).all()
                return "\n".join(r[-1] for r in rows)
            conn.exec_driver_sql("SET enable_seqscan = off")
            rows = conn.exec_driver_sql("EXPLAIN " + statement, params).all()
            return "\n".join(r[0] for r in rows)


@pytest.mark.parametrize("url, search, table, index", [
    ("/admin/holders/", "id", "holder",
     {"sqlite": "sqlite_autoindex_holder_1", "postgresql": "uq_holder_id_number"}),
    ("/admin/holders/", "张伟", "holder",
     {"sqlite": "ix_holder_name", "postgresql": "ix_holder_name"}),
    # through the relation: permit number OR holder's ID number, each arm by its own index
    ("/admin/public_security_permits/", "id", "permit",
     {"sqlite": "ix_permit_holder_issued", "postgresql": "ix_permit_holder_issued"}),
])
def test_the_searches_use_an_index(web: Any, users: Any, url: str, search: str, table: str,
                                   index: dict[str, str]) -> None:
    rows = add_holders(NAMES)
    add_permit(rows[0][0], DANFENG, "530323202600000001")
    term = rows[0][2] if search == "id" else search
    client = login(web, users, "county_admin")
    with statements(web) as seen:
        assert client.get(url, query_string={"search": term}).status_code == 200
    listed = [(s, p) for s, p in seen if re.search(rf'\bFROM "?{table}"?\b', s) and "ORDER BY" in s]
    assert listed, [s for s, _ in seen]
    with web.app_context():
        dialect = db.engine.dialect.name
    for statement, params in listed + [(s, p) for s, p in seen if s in counts_of(seen, table)]:
        shown = plan(web, statement, params)
        assert index[dialect] in shown, shown
        assert f"SCAN {table}\n" not in shown + "\n" and "Seq Scan" not in shown, shown
        assert "hashed SubPlan" not in shown, shown  # an OR filtering every row


# -- paging ---------------------------------------------------------------------------------

def pager_link(html: str, arrow: str) -> str:
    """The href of the pager's ``&lt;`` (previous) or ``&gt;`` (next) link."""
    match = re.search(rf'<a class="page-link" href="([^"]+)">{arrow}</a>', html)
    assert match, f"no {arrow} link"
    return match.group(1).replace("&amp;", "&")


def test_paging_forward_and_back(web: Any, users: Any) -> None:
    names = [f"周{n:03d}" for n in range(120)]
    add_holders(names)
    client = login(web, users, "county_admin")
    url = "/admin/holders/"
    pages = [names_on(client, url, names, page=p) for p in (0, 1, 2)]
    assert [len(p) for p in pages] == [50, 50, 20]
    assert set().union(*pages) == set(names)
    assert pages[0] == set(names[70:])  # newest first (id descending)
    second = client.get(url, query_string={"page": 1}).text
    assert list_count(second) == "120"
    forward, back = pager_link(second, "&gt;"), pager_link(second, "&lt;")
    assert names_on(client, forward, names) == pages[2]
    assert names_on(client, back, names) == pages[0]
