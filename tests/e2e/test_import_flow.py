"""批量导入登记 in a real browser (issue 7 point 4): a station clerk opens the page from the
公安 menu, uploads a CSV with one good and one bad row, reads the Chinese error in the preview,
imports, and downloads the error report holding the bad row.

Runs under the ``watch``: no request leaves 127.0.0.1, no console error, no CSP violation,
every page in Chinese.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import secrets
from pathlib import Path

from core import clock

from .browser import Watch
from .test_print import id_number

DANFENG_DIVISION = "530323001001"  # a community of 丹凤街道, 丹凤派出所's township
TITLES = ["姓名", "性别", "民族", "出生日期", "公民身份号码", "常住户口所在地住址", "户籍区划代码",
          "到达日期", "居住地址", "居住地区划代码"]


def row(name: str, number: str, birth: dt.date) -> list[str]:
    arrived = clock.today() - dt.timedelta(days=2)
    return [name, "female", "彝族", birth.isoformat(), number, "云南省红河州个旧市城区", "532501",
            arrived.isoformat(), "丹凤街道翠云社区21号", DANFENG_DIVISION]


def test_a_station_clerk_imports_a_list_and_downloads_the_refused_row(
        watch: Watch, tmp_path: Path) -> None:
    page = watch.page
    birth = dt.date(1980, 1, 1) + dt.timedelta(days=secrets.randbelow(5000))
    good = id_number(birth, secrets.randbelow(500), male=False)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")  # its check character broken
    good_name = "导入" + secrets.choice("甲乙丙丁戊") + secrets.choice("春夏秋冬")
    bad_name = "错号" + secrets.choice("甲乙丙丁戊")
    path = tmp_path / "暂住登记名单.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(TITLES)
        writer.writerow(row(good_name, good, birth))
        writer.writerow(row(bad_name, bad, birth))

    watch.login("danfeng")
    # from the 公安 menu, as a clerk finds it
    page.locator("nav a.dropdown-toggle", has_text="公安").click()
    with page.expect_navigation():
        page.get_by_role("link", name="批量导入登记").click()
    assert page.url.endswith("/admin/public_security_import/")
    assert "必填" in page.locator("body").inner_text()
    watch.shot("upload-page")

    page.get_by_label(re.compile("^选择文件")).set_input_files(str(path))
    page.get_by_role("button", name="上传并预览").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")  # the keyboard is enough
    watch.check_now()
    assert "/preview/" in page.url
    assert page.locator("#import-read").inner_text() == "2"
    assert page.locator("#import-refused").inner_text() == "1 行"
    errors = page.locator("#import-errors").inner_text()
    assert bad_name in errors and "公民身份号码校验位错误" in errors and "3" in errors
    assert good_name in page.locator("#import-sample").inner_text()
    watch.shot("preview")

    page.get_by_role("button", name="导入 1 条通过校验的登记").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    watch.check_now()
    assert "/result/" in page.url
    assert "已导入 1 条暂住登记" in page.locator("#import-done").inner_text()
    watch.shot("imported")

    with page.expect_download() as waiting:
        page.get_by_role("link", name="下载错误报告（CSV）").click()
    download = waiting.value
    saved = watch.artifacts / "report.csv"
    download.save_as(str(saved))
    raw = saved.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and download.suggested_filename.endswith(".csv")
    report = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [(r["姓名"], r["公民身份号码"], r["行号"]) for r in report] == [(bad_name, bad, "3")]
    assert "校验位错误" in report[0]["错误"]

    # the imported person is in the register, the refused one is not
    with page.expect_navigation():
        page.get_by_role("link", name="查看暂住登记").click()
    table = page.locator("table.model-list").inner_text()
    assert good_name in table and bad_name not in table
    watch.shot("register")
