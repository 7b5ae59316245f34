"""The police's dashboard panels (DESIGN §6): the right numbers for a station clerk (its own
station) and for the county admin (the whole county), with links to the lists behind them."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from core import api as kernel
from core.db import db
from plugins.public_security import registration

from .conftest import DANFENG, DANFENG_CODE, XIONGBI
from .test_admin_views import login_as, text_of, web  # noqa: F401

TITLES = ["逾期登记", "30日内到期待签注", "使用功能中止", "空白证件库存"]


def panel(html: str, title: str) -> str:
    match = re.search(r'(?s)<section class="juzhu-panel"[^>]*>\s*<h5[^>]*>' + re.escape(title)
                      + r"</h5>(.*?)</section>", html)
    assert match, f"no panel {title}"
    return match.group(1)


def numbers(html: str) -> dict[str, int]:
    """Each row of a panel's table: label → number."""
    return {text_of(label).strip(): int(value) for label, value in re.findall(
        r'(?s)<th scope="row"[^>]*>(.*?)</th>\s*<td[^>]*>.*?<strong>(\d+)</strong>', html)}


@pytest.fixture
def county(ps: Any, users: Any) -> dict[str, list[str]]:
    """Permits around today at 丹凤 and 雄壁, an overdue registration at 丹凤, ranges."""
    today = kernel.today()
    day = dt.timedelta(days=1)
    # long numbers, so that a permit number found in a page is that permit's
    ps.number_range(DANFENG, 70000001, 70000100)
    ps.number_range(XIONGBI, 80000001, 80000050)
    plan = {  # station → valid_until of each permit (and whether it is revoked)
        DANFENG: [(today, False), (today + 30 * day, False), (today + 31 * day, False),
                  (today - day, False), (today - 5 * day, True)],
        XIONGBI: [(today + 5 * day, False), (today - 10 * day, False), (today - 20 * day, False)],
    }
    numbers_by_kind: dict[str, list[str]] = {"due": [], "suspended": []}
    for code, permits in plan.items():
        for valid_until, revoked in permits:
            permit = ps.permit(station_code=code, issued_on=today - 400 * day)
            permit.valid_until = valid_until
            if revoked:
                permit.revoked_on, permit.revocation_reason = today - 2 * day, "已落户"
            elif today <= valid_until <= today + 30 * day:
                numbers_by_kind["due"].append(permit.number)
            elif valid_until < today:
                numbers_by_kind["suspended"].append(permit.number)
    admin, _ = users("county_admin")
    registration.register(db.session, holder=ps.holder(name="迟到登记人"),
                          arrival_date=today - 40 * day, residence_address="丹凤街道翠云社区3号",
                          residence_division_code=DANFENG_CODE, registered_on=today - 2 * day,
                          actor=admin)
    db.session.commit()
    return numbers_by_kind


def test_station_clerk_sees_its_own_stations_numbers(web: Any, users: Any, county: Any) -> None:
    client = login_as(web, users, "station_clerk")
    html = client.get("/admin/").text
    assert numbers(panel(html, "30日内到期待签注")) == {"30日内到期待签注": 2}
    assert numbers(panel(html, "使用功能中止")) == {"使用功能中止（逾期未签注）": 1}
    assert numbers(panel(html, "逾期登记")) == {"逾期未登记（第三方报告后）": 0, "逾期登记": 1}
    assert numbers(panel(html, "空白证件库存")) == {"丹凤派出所": 95}
    for title in TITLES:
        assert "范围：丹凤派出所" in text_of(panel(html, title))


@pytest.mark.parametrize("role", ["county_admin", "police_officer"])
def test_county_wide_roles_see_the_whole_county(web: Any, users: Any, county: Any,
                                                role: str) -> None:
    client = login_as(web, users, role)
    html = client.get("/admin/").text
    assert numbers(panel(html, "30日内到期待签注")) == {"30日内到期待签注": 3}
    assert numbers(panel(html, "使用功能中止")) == {"使用功能中止（逾期未签注）": 3}
    assert numbers(panel(html, "逾期登记"))["逾期登记"] == 1
    # the county's stock per station is its chart (test_charts_carry_the_panel_numbers)
    assert numbers(panel(html, "空白证件库存")) == {"全县应有库存合计": 142}
    assert "范围：全县" in text_of(panel(html, "使用功能中止"))


def test_panels_link_to_the_lists_behind_their_numbers(web: Any, users: Any,
                                                       county: Any) -> None:
    client = login_as(web, users, "station_clerk")
    html = client.get("/admin/").text
    links = {title: re.search(r'<a href="([^"]+)"', panel(html, title)).group(1)
             for title in TITLES}
    assert links["空白证件库存"] == "/admin/public_security_reconciliation/"
    assert links["逾期登记"] == "/admin/public_security_overdue/"
    due = client.get(links["30日内到期待签注"].replace("&amp;", "&")).text
    assert all(n in due for n in county["due"][:2])  # 丹凤's two
    assert county["due"][2] not in due  # 雄壁's: not this clerk's
    assert not any(n in due for n in county["suspended"])
    suspended = client.get(links["使用功能中止"].replace("&amp;", "&")).text
    assert county["suspended"][0] in suspended
    assert not any(n in suspended for n in county["due"])


def test_panel_tables_are_accessible(web: Any, users: Any, county: Any) -> None:
    html = login_as(web, users, "county_admin").get("/admin/").text
    for title in TITLES:
        body = panel(html, title)
        assert re.search(r'<caption class="sr-only">' + re.escape(title), body), title
        assert '<th scope="row"' in body


@pytest.mark.parametrize("role", ["dept_clerk", "assistant", "auditor"])
def test_other_roles_get_no_police_panels(web: Any, users: Any, county: Any, role: str) -> None:
    html = login_as(web, users, role).get("/admin/").text
    for title in TITLES:
        assert f">{title}</h5>" not in html, title


# -- charts (issue 7: drawn on the server, each with its numbers in a table) ----------------

def chart_rows(html: str) -> dict[str, list[int]]:
    """The chart's data table in a panel: category → its numbers (series, then the total)."""
    table = re.search(r'(?s)<details class="juzhu-chart-data">.*?<tbody>(.*?)</tbody>', html)
    assert table, "no chart data table"
    return {text_of(label).strip(): [int(v) for v in re.findall(r"<td[^>]*>(\d+)</td>", cells)]
            for label, cells in re.findall(r'(?s)<tr><th scope="row"[^>]*>(.*?)</th>(.*?)</tr>',
                                           table.group(1))}


def test_charts_carry_the_panel_numbers(web: Any, users: Any, county: Any) -> None:
    today = kernel.today()
    county_html = login_as(web, users, "county_admin").get("/admin/").text
    station_html = login_as(web, users, "station_clerk").get("/admin/").text
    # 30 days ahead in weeks from today: 丹凤 today and +30, 雄壁 +5
    weeks = [f"{today + dt.timedelta(days=7 * k):%m-%d}起" for k in range(5)]
    assert chart_rows(panel(county_html, "30日内到期待签注")) == dict(
        zip(weeks, [[2], [0], [0], [0], [1]]))
    assert chart_rows(panel(station_html, "30日内到期待签注")) == dict(
        zip(weeks, [[1], [0], [0], [0], [1]]))
    # suspended per station for the county (the revoked one is not suspended); none for a
    # station, whose own number is its table
    assert chart_rows(panel(county_html, "使用功能中止")) == {"雄壁派出所": [2], "丹凤派出所": [1]}
    assert "<svg" not in panel(station_html, "使用功能中止")
    assert chart_rows(panel(county_html, "空白证件库存")) == {"丹凤派出所": [95], "雄壁派出所": [47]}
    assert "<svg" not in panel(station_html, "空白证件库存")  # one station: its number
    for html in (county_html, station_html):
        for title in ("30日内到期待签注", "近12周暂住登记") + (
                ("空白证件库存", "使用功能中止") if html is county_html else ()):
            svg = re.search(r"(?s)<svg class=\"juzhu-chart-svg\"(.*?)</svg>", panel(html, title))
            assert svg and 'role="img"' in svg.group(0) and "<title" in svg.group(1), title
            assert "style=" not in svg.group(0)  # the CSP allows no inline style


def test_registrations_chart_counts_each_week_on_time_and_late(web: Any, users: Any,
                                                              ps: Any) -> None:
    from plugins.public_security.dashboard import WEEKS, week_start

    today = kernel.today()
    admin, _ = users("county_admin")
    monday = week_start(today)
    plan = [(DANFENG_CODE, monday, 0), (DANFENG_CODE, monday, 0),  # this week: on time ×2
            (DANFENG_CODE, monday - dt.timedelta(days=3), 40),  # last week: late
            (DANFENG_CODE, monday - dt.timedelta(weeks=WEEKS), 0)]  # before the chart's span
    for k, (division, registered_on, late_by) in enumerate(plan):
        if registered_on > today:
            registered_on = today
        registration.register(db.session, holder=ps.holder(name=f"登记人{k}"),
                              arrival_date=registered_on - dt.timedelta(days=late_by),
                              residence_address="丹凤街道翠云社区3号",
                              residence_division_code=division, registered_on=registered_on,
                              actor=admin)
    db.session.commit()
    html = panel(login_as(web, users, "station_clerk").get("/admin/").text, "近12周暂住登记")
    rows = chart_rows(html)
    weeks = [f"{monday - dt.timedelta(weeks=k):%m-%d}" for k in range(WEEKS - 1, -1, -1)]
    assert list(rows) == weeks  # twelve weeks, oldest first
    assert rows[weeks[-1]] == [2, 0, 2] and rows[weeks[-2]] == [0, 1, 1]
    assert sum(r[2] for r in rows.values()) == 3  # the one before the span is left out
    assert numbers(html) == {"按时登记": 2, "逾期登记": 1}
    # another station's clerk sees none of them
    other = login_as(web, users, "station_clerk", org="station-530323102")
    assert numbers(panel(other.get("/admin/").text, "近12周暂住登记")) == {"按时登记": 0,
                                                                       "逾期登记": 0}
