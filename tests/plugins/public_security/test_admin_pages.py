"""The 公安 admin's own pages: 号码对账 (reconciliation, 第七条、第八条) and 逾期登记 (the
overdue list, 第十条), scoped to the clerk's station and masked for the auditor."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from core.db import db
from plugins.public_security import registration
from plugins.public_security.models import StockCount

from .conftest import DANFENG, DANFENG_CODE, XIONGBI, XIONGBI_CODE, make_id
from .test_admin_views import P, login_as, masked, text_of, web  # noqa: F401


def rows_of(html: str) -> list[str]:
    return [text_of(r).strip() for r in re.findall(r"(?s)<tr\b[^>]*>(.*?)</tr>", html)]


# -- 号码对账 ----------------------------------------------------------------------------------

@pytest.fixture
def books(ps: Any) -> None:
    """丹凤: 10 allocated, 1 issued, 5 counted → 4 missing (flagged). 雄壁: 5 allocated, 5
    counted → balanced."""
    ps.number_range(DANFENG, 1, 10)
    ps.permit(station_code=DANFENG)
    ps.number_range(XIONGBI, 101, 105)
    db.session.add_all([
        StockCount(station_id=ps.station(DANFENG).id, counted_on=dt.date(2026, 3, 1), on_hand=5),
        StockCount(station_id=ps.station(XIONGBI).id, counted_on=dt.date(2026, 3, 1), on_hand=5)])
    db.session.commit()


def test_reconciliation_flags_a_difference(web: Any, users: Any, books: None) -> None:
    client = login_as(web, users, "county_admin")
    r = client.get(f"{P}reconciliation/")
    assert r.status_code == 200 and '<html lang="zh-CN"' in r.text
    assert "号码对账" in r.text and "第八条" in r.text
    assert "1 个派出所账实不符" in text_of(r.text)
    flagged = re.findall(r'(?s)<tr class="[^"]*juzhu-flagged[^"]*">(.*?)</tr>', r.text)
    assert len(flagged) == 1
    row = text_of(flagged[0])
    assert "丹凤派出所" in row and "账实不符" in row and "差4张" in row and "-4" in row
    xiongbi = next(t for t in rows_of(r.text) if t.startswith("雄壁派出所"))
    assert "账实相符" in xiongbi and "账实不符" not in xiongbi


def test_station_clerk_reconciles_its_own_station_only(web: Any, users: Any,
                                                       books: None) -> None:
    client = login_as(web, users, "station_clerk")
    page = client.get(f"{P}reconciliation/").text
    assert "丹凤派出所" in page and "雄壁派出所" not in page
    assert "差4张" in page


# -- 逾期登记 ----------------------------------------------------------------------------------

@pytest.fixture
def overdue_people(ps: Any, users: Any) -> dict[str, str]:
    """A late registration at 丹凤, and a person reported at 雄壁 who never registered."""
    admin, _ = users("county_admin")
    late = ps.holder(name="迟到登记人")
    registration.register(db.session, holder=late, arrival_date=dt.date(2026, 9, 30),
                          residence_address="丹凤街道翠云社区3号",
                          residence_division_code=DANFENG_CODE,
                          registered_on=dt.date(2026, 10, 20), actor=admin)
    reported = make_id("530302", dt.date(1988, 5, 1), 77, "female")
    registration.report_third_party(
        db.session, reporter_kind="employer", reporter_name="雄壁某建材厂",
        holder_id_number=reported, contract_date=dt.date(2026, 9, 1),
        reported_on=dt.date(2026, 9, 2), premises_address="雄壁镇某村",
        premises_division_code=XIONGBI_CODE, actor=admin)
    db.session.commit()
    return {"late": late.id_number, "reported": reported}


def test_overdue_list_shows_both_kinds_county_wide(web: Any, users: Any,
                                                   overdue_people: Any) -> None:
    client = login_as(web, users, "county_admin")
    r = client.get(f"{P}overdue/", query_string={"as_of": "2026-12-01"})
    assert r.status_code == 200 and '<html lang="zh-CN"' in r.text
    text = text_of(r.text)
    assert "迟到登记人" in text and "逾期登记" in text and "丹凤派出所" in text
    assert "报告后逾期未登记" in text and "雄壁某建材厂" in text and "雄壁派出所" in text
    assert overdue_people["late"] in text and overdue_people["reported"] in text
    assert "第十条" in text

    only = client.get(f"{P}overdue/", query_string={"as_of": "2026-12-01", "station": XIONGBI})
    assert "雄壁某建材厂" in only.text and "迟到登记人" not in only.text


def test_station_clerk_sees_its_own_overdue_list_only(web: Any, users: Any,
                                                      overdue_people: Any) -> None:
    client = login_as(web, users, "station_clerk")
    # asking for another station changes nothing: a clerk's list is its own station's
    page = client.get(f"{P}overdue/", query_string={"as_of": "2026-12-01", "station": XIONGBI})
    assert "迟到登记人" in page.text
    assert "雄壁某建材厂" not in page.text and overdue_people["reported"] not in page.text
    assert 'name="station"' not in page.text


def test_overdue_list_is_masked_for_the_auditor(web: Any, users: Any,
                                                overdue_people: Any) -> None:
    page = login_as(web, users, "auditor").get(f"{P}overdue/",
                                               query_string={"as_of": "2026-12-01"}).text
    for number in overdue_people.values():
        assert masked(number) in page and number not in page


def test_overdue_list_respects_its_date(web: Any, users: Any, overdue_people: Any) -> None:
    client = login_as(web, users, "county_admin")
    before = client.get(f"{P}overdue/", query_string={"as_of": "2026-09-05"}).text
    assert "迟到登记人" not in before and "雄壁某建材厂" not in before
    assert "没有逾期记录" in before
    bad = client.get(f"{P}overdue/", query_string={"as_of": "2026-02-30"})
    assert bad.status_code == 200 and "统计日期格式应为" in bad.text
