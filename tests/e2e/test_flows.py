"""A clerk's day in a real browser (issue 7 item 1): each flow is one test, driven the way
a clerk drives the admin — labels, the keyboard, the forms' defaults — with screenshots.

Every flow also runs under the ``watch``: no request leaves 127.0.0.1, no console error, no
CSP violation, every page in Chinese.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets

from core import clock

from .browser import Watch
from .conftest import Server
from .test_print import County, id_number

DANFENG_DIVISION = "530323001001"  # a community of 丹凤街道, 丹凤派出所's township


def fill_holder(watch: Watch, name: str, number: str, birth: dt.date) -> None:
    """The 持证人 form, by its labels; 性别 and 民族 chosen with the keyboard (select2)."""
    page = watch.page
    page.get_by_label("姓名").fill(name)
    page.get_by_label("姓名").press("Tab")  # into 性别
    page.keyboard.press("Enter")  # open the choices
    page.keyboard.type("女")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # into 民族
    page.keyboard.press("Enter")
    page.keyboard.type("彝族")
    page.keyboard.press("Enter")
    page.get_by_label("出生日期").fill(birth.isoformat())
    page.keyboard.press("Escape")  # close the date picker
    page.get_by_label("公民身份号码").fill(number)
    page.get_by_label("常住户口所在地住址").fill("云南省红河州个旧市城区")
    page.get_by_label("户籍区划代码").fill("532501")
    page.get_by_label("联系电话").fill("13812345678")


def save(watch: Watch) -> None:
    with watch.page.expect_navigation():
        watch.page.get_by_role("button", name="保存", exact=True).click()


def test_a_station_clerk_registers_a_floating_person(watch: Watch) -> None:
    page = watch.page
    watch.login("danfeng")
    birth = dt.date(1993, 4, 8)
    good = id_number(birth, secrets.randbelow(500), male=False)
    wrong = good[:-1] + ("0" if good[-1] != "0" else "1")  # its check character broken
    name = "阿依" + secrets.choice("甲乙丙丁戊")

    watch.goto("/admin/holders/new/")
    fill_holder(watch, name, wrong, birth)
    watch.shot("holder-form")
    save(watch)
    # the Chinese error beside the field, and everything typed is still there
    field = page.locator("#id_number")
    error = page.locator("#id_number ~ .invalid-feedback, #id_number + .help-block, "
                         ".form-group:has(#id_number) .invalid-feedback").first
    assert "公民身份号码" in error.inner_text() and "校验位" in error.inner_text()
    assert field.input_value() == wrong
    assert page.get_by_label("姓名").input_value() == name
    assert page.get_by_label("常住户口所在地住址").input_value() == "云南省红河州个旧市城区"
    watch.shot("wrong-id-number")

    field.fill(good)
    save(watch)
    assert "/admin/holders/" in page.url and "/new/" not in page.url
    assert name in page.locator("table.model-list").inner_text()
    watch.shot("holder-saved")

    # 暂住登记 at the counter: the holder found by ID number, today by default (第十条)
    watch.goto("/admin/public_security_registrations/new/")
    page.get_by_label("公民身份号码").fill(good)
    page.get_by_label("到达日期").fill(clock.today().isoformat())
    page.get_by_label("居住地址").fill("丹凤街道翠云社区12号")
    page.get_by_label("居住地区划代码").fill(DANFENG_DIVISION)
    save(watch)
    row = page.locator("table.model-list tr", has_text=name)
    assert "按时" in row.inner_text()
    assert row.get_by_role("link", name="打印凭证").count() == 1
    watch.shot("registered")


def test_an_application_missing_photos_then_complete_then_the_card(watch: Watch,
                                                                   county: County,
                                                                   server: Server) -> None:
    page = watch.page
    name = "罗" + secrets.choice("春夏秋冬") + "梅"
    holder_id, _ = county.person(name, clock.today() - dt.timedelta(days=365))
    number = county.http.get(f"{server.url}/api/v1/holders/{holder_id}").json()["id_number"]
    watch.login("danfeng")

    def apply(photos: str) -> None:
        watch.goto("/admin/public_security_applications/new/")
        page.get_by_label(re.compile("^公民身份号码")).fill(number)
        page.get_by_label("合法稳定住所").check()
        page.get_by_label("本人居民身份证").check()
        page.get_by_label("房屋租赁合同").check()
        page.get_by_label(re.compile("证件照张数")).fill(photos)
        watch.shot(f"application-{photos}-photos")
        save(watch)

    apply("0")
    assert "材料不全" in page.locator("body").inner_text()
    with page.expect_popup() as popup:
        page.get_by_role("link", name="打印一次性告知书").click()
    notice = popup.value
    notice.wait_for_load_state()
    assert "一次性告知书" in notice.locator("h1").inner_text()
    assert "证件照" in notice.locator("body").inner_text()
    notice.close()

    apply("2")
    assert "已签发" in page.locator("body").inner_text()
    with page.expect_popup() as popup:
        page.get_by_role("link", name="打印居住证").click()
    card = popup.value
    card.wait_for_load_state()
    assert name in card.locator("body").inner_text()
    assert card.locator(".qr-box svg").count() == 1
    card.screenshot(path=str(watch.artifacts / "card-popup.png"), full_page=True)
    card.close()
    watch.shot("issued")


def test_a_late_endorsement_restarts_the_residence_date(watch: Watch, county: County) -> None:
    page = watch.page
    name = "杨" + secrets.choice("山水云月") + "华"
    today = clock.today()
    holder_id, _ = county.person(name, today - dt.timedelta(days=800))
    issued = county.apply(holder_id, ["id_card", "photo", "photo", "rental_contract"],
                          accepted_on=today - dt.timedelta(days=400))  # lapsed a month ago
    watch.login("danfeng")

    watch.goto("/admin/public_security_endorsements/new/")
    page.get_by_label("居住证号码").fill(issued["permit_number"])
    for material in ("本人居民身份证", "居住证", "房屋租赁合同"):
        page.get_by_label(material, exact=True).check()
    watch.shot("endorsement-form")
    save(watch)
    # the permit's own page: valid again for a year, residence years counted from today
    details = page.locator("table").first.inner_text()
    shown_today = today.isoformat()
    assert re.search(r"连续居住起算日\s+" + shown_today, details) or \
        re.search(r"连续居住起算日\s+" + (today + dt.timedelta(days=1)).isoformat(), details)
    assert "有效" in details
    watch.shot("permit-after-late-endorsement")


def test_an_education_clerk_sees_only_education_and_an_explanation(watch: Watch,
                                                                   county: County) -> None:
    page = watch.page
    name = "何" + secrets.choice("晓小") + "雨"
    holder_id, _ = county.person(name, clock.today() - dt.timedelta(days=365))
    watch.login("edu")
    menu = page.locator("nav .navbar-nav").first.inner_text()
    assert "教育" in menu
    # 系统 holds the kernel's calendar every role reads; no other department, no police
    for other in ("公安", "民政", "住房保障", "卫生健康", "司法行政", "人力资源和社会保障"):
        assert other not in menu, other
    watch.shot("education-menu")
    watch.goto("/admin/public_security_registrations/", expect_status=403)
    assert "无权" in page.locator("body").inner_text()

    page.locator("nav").get_by_text("教育").first.click()
    page.get_by_role("link", name="权益说明").first.click()
    page.wait_for_load_state()
    watch.shot("explanation-lookup")
    id_box = page.get_by_label(re.compile("公民身份号码|持证人"))
    assert id_box.count() >= 1
    watch.goto(f"/api/v1/holders/{holder_id}/entitlements/print")
    text = page.locator("body").inner_text()
    assert name in text and "第十八条（三）" in text
    watch.shot("explanation")


def test_the_county_admin_allocates_a_range_and_reconciles(watch: Watch) -> None:
    page = watch.page
    watch.login("admin")

    def zhuji_allocated() -> int:
        """竹基派出所's 已分配 on the reconciliation page (第七条、第八条)."""
        watch.goto("/admin/public_security_reconciliation/")
        cells = page.locator("table tr", has_text="竹基派出所").first.locator("td")
        return int(cells.nth(0).inner_text().replace(",", ""))

    before = zhuji_allocated()
    watch.goto("/admin/public_security_number_ranges/new/")
    page.get_by_label(re.compile("^派出所")).select_option(label="竹基派出所")
    start = 5303231099000 + secrets.randbelow(800)
    page.get_by_label(re.compile("^起始号码")).fill(str(start))
    page.get_by_label(re.compile("^终止号码")).fill(str(start + 99))
    page.get_by_label(re.compile("^备注")).fill("师公发〔2026〕12号")
    watch.shot("range-form")
    save(watch)
    assert str(start) in page.locator("table.model-list").inner_text()
    assert zhuji_allocated() == before + 100
    watch.shot("reconciliation")
