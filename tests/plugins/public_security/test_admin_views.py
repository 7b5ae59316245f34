"""The 公安 admin views: Chinese, by role, station-scoped (list, count AND open by URL id),
masked for the auditor, read-only where the acts belong to the API.

Browser-side requests go to a second app on the same database (`web`), logged in through the
real login form, as in tests/core/test_admin.py (which explains why a second app).
"""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask_login import login_user
from sqlalchemy import select

from core import api as kernel
from core.db import db
from core.models import Endorsement, User
from plugins.public_security.models import (AddressChange, Application, CardReissue, Check,
                                            FactChange, NumberRange, SerialUse, StockCount,
                                            StockIssue, ThirdPartyReport)

from .conftest import DANFENG, DANFENG_CODE, XIONGBI, XIONGBI_CODE

PASSWORD = "pass-word-1"  # the `users` fixture's default password
D = dt.date(2026, 3, 2)
ORG_OF = {"county_admin": None, "station_clerk": DANFENG, "police_officer": None,
          "dept_clerk": "dept-education", "assistant": None, "auditor": None}
P = "/admin/public_security_"


# -- helpers (shared by the other test_admin_* and test_dashboard_* modules) ----------------

@pytest.fixture
def web(make_app: Any, app: Any) -> Any:
    """A second app on the test database for the browser side."""
    return make_app()


def login(site: Any, username: str, password: str = PASSWORD) -> Any:
    """A test client logged in through the real login form."""
    client = site.test_client()
    r = client.post("/login", data={"username": username, "password": password})
    assert r.status_code == 302, re.findall(r'fs-error-msg">([^<]*)', r.text)
    assert urlsplit(r.headers["Location"]).path == "/admin/"
    return client


def login_as(site: Any, users: Any, role: str, org: str | None = None) -> Any:
    user, _token = users(role, org or ORG_OF[role])
    return login(site, user.username)


def nav(html: str) -> str:
    match = re.search(r"(?s)<nav\b.*?</nav>", html)
    assert match, "no navigation bar"
    return match.group(0)


def text_of(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"(?s)<[^>]+>", " ", html)))


def body_of(html: str) -> str:
    """The visible page below the navigation bar: no scripts, no hidden filter data."""
    body = html.split("</nav>", 1)[-1]
    body = re.sub(r'(?s)<div id="[^"]*" class="d-none">.*?</div>', "", body)
    return re.sub(r"(?s)<script\b.*?</script>", "", body)


def table_of(html: str) -> str:
    """The text of a list view's table (not the search box or links echoing a query)."""
    match = re.search(r'(?s)<table class="[^"]*model-list[^"]*">(.*?)</table>', html)
    return text_of(match.group(1)) if match else ""


def masked(number: str) -> str:
    return number[:6] + "*" * 8 + number[-4:]


# -- data: one row of every kind at 丹凤 and one at 雄壁 --------------------------------------

def _rows_at(ps: Any, code: str, division: str, tag: str, officer: User) -> dict[str, Any]:
    """One row per police table at station ``code``; markers are texts that only this
    station's rows show in a list."""
    station = ps.station(code)
    holder = ps.holder(name=f"{tag}持证人")
    reg = ps.registration(holder, station_code=code, division_code=division)
    permit = ps.permit(holder, station_code=code)
    card = permit.live_card
    rng = db.session.scalar(select(NumberRange).where(NumberRange.station_id == station.id))
    s = db.session
    app_row = Application(document_number=f"WS{tag}001", holder_id=holder.id,
                          station_id=station.id, registration_id=reg.id, accepted_on=D,
                          basis=["employment"], materials=["id_card", "photo"], applicant="self",
                          outcome="incomplete",
                          missing=[{"code": "photo", "name": "本人证件照（共需2张，缺1张）"}],
                          reasons=[{"code": "residence", "passed": True, "text": "居住满六个月",
                                    "basis": "《办法》第十一条"}])
    report = ThirdPartyReport(reporter_kind="employer", reporter_name=f"{tag}报告单位",
                              holder_id_number=holder.id_number, holder_id=holder.id,
                              contract_date=D, reported_on=D, station_id=station.id,
                              deadline=D, on_time=True, provisional=False)
    void = SerialUse(serial=rng.end, range_id=rng.id, station_id=station.id, kind="voided",
                     used_on=D, reason=f"{tag}卡面污损")
    issue = StockIssue(station_id=station.id, recipient=f"{tag}领用人", quantity=1,
                       serial_from=rng.end - 1, serial_to=rng.end - 1, issued_on=D)
    count_row = StockCount(station_id=station.id, counted_on=D, on_hand=7, note=f"{tag}盘点")
    reissue = CardReissue(permit_id=permit.id, reason="lost", on=D, station_id=station.id,
                          old_card_id=card.id, new_card_id=card.id)
    s.add_all([app_row, report, void, issue, count_row, reissue])
    s.flush()
    # A change that moved a permit from this station to 漾月 would show at both; this one
    # stays at this station.
    move = AddressChange(permit_id=permit.id, on=D, old_station_id=station.id,
                         new_station_id=station.id, new_residence_id=reg.residence_id,
                         reissue_id=reissue.id)
    fact = FactChange(permit_id=permit.id, holder_id=holder.id, field="name",
                      old_value=f"{tag}旧名", new_value=f"{tag}新名", on=D,
                      station_id=station.id)
    check = Check(card_id=card.id, permit_id=permit.id, officer_id=officer.id,
                  org_id=station.id, checked_at=dt.datetime(2026, 3, 2, 10, 0),
                  place=f"{tag}查验地点", result="证件有效", action="none")
    endorsement = Endorsement(permit_id=permit.id, station_id=station.id,
                              endorsed_on=dt.date(2026, 12, 20), late=False,
                              valid_until_before=permit.valid_until,
                              valid_until_after=dt.date(2028, 1, 15))
    s.add_all([move, fact, check, endorsement])
    s.commit()
    return {  # endpoint → (row id, marker)
        "registrations": (reg.id, reg.receipt_number),
        "third_party_reports": (report.id, report.reporter_name),
        "applications": (app_row.id, app_row.document_number),
        "permits": (permit.id, permit.number),
        "cards": (card.id, str(card.serial)),
        "card_reissues": (reissue.id, permit.number),
        "address_changes": (move.id, permit.number),
        "fact_changes": (fact.id, fact.old_value),
        "number_ranges": (rng.id, str(rng.start)),
        "serial_uses": (void.serial, str(void.serial)),
        "voids": (void.serial, void.reason),
        "stock_issues": (issue.id, issue.recipient),
        "stock_counts": (count_row.id, count_row.note),
        "checks": (check.id, check.place),
        "endorsements": (endorsement.id, permit.number),
        "holder": holder,
    }


@pytest.fixture
def two_stations(ps: Any, users: Any) -> dict[str, dict[str, Any]]:
    officer, _ = users("police_officer")
    return {"danfeng": _rows_at(ps, DANFENG, DANFENG_CODE, "丹凤", officer),
            "xiongbi": _rows_at(ps, XIONGBI, XIONGBI_CODE, "雄壁", officer)}


MODEL_VIEWS = ["registrations", "third_party_reports", "applications", "permits", "cards",
               "card_reissues", "address_changes", "fact_changes", "number_ranges",
               "serial_uses", "voids", "stock_issues", "stock_counts", "checks", "endorsements"]
PAGES = ["reconciliation", "overdue"]
ALL_VIEWS = MODEL_VIEWS + PAGES


# -- 1. every view opens for the county admin, in Chinese -----------------------------------

def test_views_are_registered_under_one_public_security_menu(web: Any) -> None:
    views = [v for v in web.extensions["juzhu"].admin._views
             if v.endpoint.startswith("public_security_")]
    # the bulk import is the counter's (county admin, station clerk): tested on its own in
    # test_admin_import.py, not with the pages every police role opens
    assert {v.endpoint.removeprefix("public_security_") for v in views} == \
        set(ALL_VIEWS) | {"import"}
    assert {v.category for v in views} == {"公安"}
    assert all(re.search(r"[\u4e00-\u9fff]", v.name) for v in views)


@pytest.mark.parametrize("endpoint", ALL_VIEWS)
def test_every_view_opens_for_the_county_admin_in_chinese(web: Any, users: Any,
                                                          two_stations: Any,
                                                          endpoint: str) -> None:
    client = login_as(web, users, "county_admin")
    r = client.get(f"{P}{endpoint}/")
    assert r.status_code == 200
    assert '<html lang="zh-CN"' in r.text
    menu = text_of(nav(r.text))
    assert "公安" in menu
    # Column headers and the body text: Chinese, no English word left visible.
    headers = [text_of(h).strip() for h in re.findall(r"(?s)<th\b[^>]*>(.*?)</th>", r.text)]
    assert headers and all(not re.search(r"[A-Za-z]{2,}", h) for h in headers), headers
    visible = text_of(body_of(r.text))
    assert not re.findall(r"\b[A-Za-z]{3,}\b", visible), re.findall(r"\b[A-Za-z]{3,}\b", visible)
    if endpoint in MODEL_VIEWS:
        row_id, marker = two_stations["xiongbi"][endpoint]
        assert marker in r.text
        details = client.get(f"{P}{endpoint}/details/?id={row_id}")
        assert details.status_code == 200 and marker in details.text
        detail_text = text_of(body_of(details.text))
        assert not re.findall(r"\b[A-Za-z]{3,}\b", detail_text), detail_text


# -- 2. a station clerk sees, counts and opens only its own station's rows ------------------

@pytest.mark.parametrize("endpoint", MODEL_VIEWS)
def test_station_clerk_lists_and_opens_only_its_own_station(web: Any, users: Any,
                                                            two_stations: Any,
                                                            endpoint: str) -> None:
    client = login_as(web, users, "station_clerk")
    own_id, own = two_stations["danfeng"][endpoint]
    other_id, other = two_stations["xiongbi"][endpoint]

    listing = client.get(f"{P}{endpoint}/")
    assert listing.status_code == 200
    assert own in listing.text and other not in listing.text

    assert client.get(f"{P}{endpoint}/details/?id={own_id}").status_code == 200
    for path in (f"{P}{endpoint}/details/?id={other_id}", f"{P}{endpoint}/edit/?id={other_id}"):
        r = client.get(path)
        assert r.status_code in (302, 404), path
        assert other not in r.text
        if r.status_code == 302:
            page = client.get(r.headers["Location"])
            assert other not in page.text
    # Searching for the other station's marker finds nothing either.
    found = client.get(f"{P}{endpoint}/", query_string={"search": other})
    assert found.status_code == 200 and other not in table_of(found.text)


def test_counts_are_scoped_to_the_clerks_station(web: Any, users: Any,
                                                 two_stations: Any) -> None:
    clerk, _ = users("station_clerk", DANFENG)
    admin, _ = users("county_admin")
    for endpoint in MODEL_VIEWS:
        view = next(v for v in web.extensions["juzhu"].admin._views
                    if v.endpoint == f"public_security_{endpoint}")
        counted = {}
        for who in (clerk, admin):
            with web.test_request_context(f"{P}{endpoint}/"):
                login_user(db.session.merge(who))
                total, rows = view.get_list(0, None, None, None, [])
                counted[who.role] = (total, len(list(rows)), view.get_count_query().scalar())
        # 丹凤's number uses are its permit's serial and its voided blank; one row elsewhere
        own = 2 if endpoint == "serial_uses" else 1
        assert counted["station_clerk"] == (own, own, own), endpoint
        assert counted["county_admin"][0] == counted["county_admin"][2] >= 2 * own, endpoint


def test_a_permit_moved_away_is_seen_by_the_station_it_left(web: Any, users: Any,
                                                               two_stations: Any) -> None:
    """An address change is seen by the station the permit left as well as the new one."""
    moved = db.session.get(AddressChange, two_stations["xiongbi"]["address_changes"][0])
    moved.old_station_id = db.session.scalar(
        select(kernel.OrgUnit.id).where(kernel.OrgUnit.code == DANFENG))
    db.session.commit()
    client = login_as(web, users, "station_clerk")
    r = client.get(f"{P}address_changes/details/?id={moved.id}")
    assert r.status_code == 200 and "雄壁派出所" in r.text


# -- 3. roles: who sees the 公安 menu ----------------------------------------------------------

@pytest.mark.parametrize("role", ["dept_clerk", "assistant"])
def test_other_roles_get_the_chinese_403_page_and_no_police_menu(web: Any, users: Any,
                                                                 role: str) -> None:
    client = login_as(web, users, role)
    assert "公安" not in text_of(nav(client.get("/admin/").text))
    for endpoint in ALL_VIEWS:
        r = client.get(f"{P}{endpoint}/")
        assert r.status_code == 403, endpoint
        assert '<html lang="zh-CN"' in r.text and "无权访问" in r.text
        assert "Forbidden" not in r.text


@pytest.mark.parametrize("role", ["station_clerk", "police_officer", "auditor"])
def test_police_roles_and_the_auditor_see_the_police_menu(web: Any, users: Any,
                                                          role: str) -> None:
    client = login_as(web, users, role)
    menu = nav(client.get("/admin/").text)
    assert "公安" in text_of(menu)
    for endpoint in ALL_VIEWS:
        assert f'href="{P}{endpoint}/"' in menu, endpoint
        assert client.get(f"{P}{endpoint}/").status_code == 200, endpoint


# -- 4. masking ---------------------------------------------------------------------------------

MASKED_VIEWS = ["registrations", "third_party_reports", "applications", "permits"]


@pytest.mark.parametrize("endpoint", MASKED_VIEWS)
def test_auditor_sees_masked_id_numbers_police_see_full_ones(web: Any, users: Any,
                                                             two_stations: Any,
                                                             endpoint: str) -> None:
    holder = two_stations["danfeng"]["holder"]
    row_id, _ = two_stations["danfeng"][endpoint]
    auditor = login_as(web, users, "auditor")
    for page in (auditor.get(f"{P}{endpoint}/").text,
                 auditor.get(f"{P}{endpoint}/details/?id={row_id}").text):
        assert masked(holder.id_number) in page
        assert holder.id_number not in page
    admin = login_as(web, users, "county_admin")
    page = admin.get(f"{P}{endpoint}/details/?id={row_id}").text
    assert holder.id_number in page and masked(holder.id_number) not in page


def test_a_changed_id_number_is_masked_for_the_auditor(web: Any, users: Any,
                                                       two_stations: Any) -> None:
    fact = db.session.get(FactChange, two_stations["danfeng"]["fact_changes"][0])
    fact.field, fact.old_value, fact.new_value = ("id_number", "530302199003070019",
                                                  "530302199003070027")
    db.session.commit()
    page = login_as(web, users, "auditor").get(f"{P}fact_changes/").text
    assert "公民身份号码" in page
    assert masked("530302199003070019") in page and "530302199003070019" not in page
    assert "530302199003070027" not in page


# -- 5. read-only views and links to printable pages -----------------------------------------

def test_the_auditor_reads_but_never_writes(web: Any, users: Any, two_stations: Any) -> None:
    client = login_as(web, users, "auditor")
    for endpoint in MODEL_VIEWS:
        _, marker = two_stations["xiongbi"][endpoint]
        listing = client.get(f"{P}{endpoint}/")
        assert listing.status_code == 200 and marker in listing.text, endpoint
        assert f"{P}{endpoint}/new/" not in listing.text, endpoint
        assert client.get(f"{P}{endpoint}/new/").status_code == 302, endpoint


# Applications have a create form (the counter's application, decided by the service) but
# are never edited or deleted: tests/plugins/public_security/test_admin_applications.py.
READ_ONLY = ["third_party_reports", "permits", "cards", "card_reissues",
             "address_changes", "fact_changes", "serial_uses", "checks"]


def test_read_only_views_offer_no_create_edit_or_delete(web: Any, users: Any,
                                                        two_stations: Any) -> None:
    client = login_as(web, users, "county_admin")
    for endpoint in READ_ONLY:
        row_id, marker = two_stations["danfeng"][endpoint]
        listing = client.get(f"{P}{endpoint}/").text
        for action in ("new", "edit", "delete"):
            assert f"{P}{endpoint}/{action}/" not in listing, (endpoint, action)
        assert client.get(f"{P}{endpoint}/new/").status_code == 302, endpoint
        assert client.get(f"{P}{endpoint}/edit/?id={row_id}").status_code == 302, endpoint
        r = client.post(f"{P}{endpoint}/delete/", data={"id": str(row_id)})
        assert r.status_code == 302, endpoint
        assert marker in client.get(f"{P}{endpoint}/details/?id={row_id}").text, endpoint


def test_permits_cannot_be_edited_even_by_the_county_admin(web: Any, users: Any,
                                                           two_stations: Any) -> None:
    permit_id, number = two_stations["danfeng"]["permits"]
    before = db.session.get(kernel.Permit, permit_id).valid_until
    client = login_as(web, users, "county_admin")
    r = client.post(f"{P}permits/edit/?id={permit_id}", data={"valid_until": "2099-01-01"})
    assert r.status_code == 302
    db.session.expire_all()
    assert db.session.get(kernel.Permit, permit_id).valid_until == before


def test_rows_link_to_their_printable_pages(web: Any, users: Any, two_stations: Any) -> None:
    rows = two_stations["danfeng"]
    client = login_as(web, users, "county_admin")
    regs = client.get(f"{P}registrations/").text
    assert f'href="/api/v1/registrations/{rows["registrations"][0]}/receipt"' in regs
    apps = client.get(f"{P}applications/").text
    assert f'href="/api/v1/applications/{rows["applications"][0]}/notice"' in apps
    assert "打印一次性告知书" in apps
    permits = client.get(f"{P}permits/").text
    card = f"/api/v1/permits/{rows['permits'][1]}/card"
    assert f'href="{card}"' in permits
    # printable pages answer to the admin session too
    page = client.get(card)
    assert page.status_code == 200 and rows["permits"][1] in page.text


def test_application_details_show_codes_by_their_chinese_names(web: Any, users: Any,
                                                               two_stations: Any) -> None:
    client = login_as(web, users, "county_admin")
    page = client.get(f"{P}applications/details/?id={two_stations['danfeng']['applications'][0]}")
    text = text_of(page.text)
    for words in ("材料不全（一次性告知）", "合法稳定就业", "本人居民身份证", "本人证件照",
                  "缺1张", "居住满六个月", "《办法》第十一条", "本人"):
        assert words in text, words


def test_permit_status_filter_finds_suspended_permits(web: Any, users: Any, ps: Any) -> None:
    old = ps.permit(issued_on=dt.date(2020, 1, 15))  # valid until 2021-01-15: suspended now
    fresh = ps.permit(issued_on=kernel.today())
    client = login_as(web, users, "county_admin")
    page = client.get(f"{P}permits/", query_string={"flt0_0": "suspended"}).text
    assert old.number in page and fresh.number not in page
    assert "使用功能中止" in page
    page = client.get(f"{P}permits/", query_string={"flt0_0": "valid"}).text
    assert fresh.number in page and old.number not in page
