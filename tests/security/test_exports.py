"""Issue 5 item 5: CSV export of the registers (core/admin/base.py SecureModelView).

UTF-8 with a BOM, formula escaping, the list's masking per role and its scoping (station,
department), only to roles that may open the list, audited as `<entity>.export`.
"""

from __future__ import annotations

import csv
import io
from typing import Any
from urllib.parse import unquote

from sqlalchemy import select

from core.admin.base import csv_cell
from core.db import db
from core.holders import HolderFacts, create_holder
from core.models import AuditEvent, Holder
from core.rules import mask_id_number, mask_phone

PASSWORD = "pass-word-1"


def _login(app: Any, username: str) -> Any:
    client = app.test_client()
    r = client.post("/login", data={"username": username, "password": PASSWORD})
    assert r.status_code == 302, username
    return client


def _rows(response: Any) -> list[list[str]]:
    data = response.get_data()
    assert data.startswith("\ufeff".encode("utf-8"))  # the BOM Chinese Excel needs
    return list(csv.reader(io.StringIO(data.decode("utf-8")[1:])))


def _holder(app: Any, name: str, id_number: str, phone: str | None, address: str) -> Holder:
    import datetime as dt

    from core.clock import today

    holder = create_holder(db.session, HolderFacts(
        name, "male", "汉族", dt.date(1990, 3, 7), id_number, address, "360102", phone),
        as_of=today())
    db.session.commit()
    return holder


def _last_export(entity: str) -> AuditEvent | None:
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == f"{entity}.export")
                              .order_by(AuditEvent.seq.desc())).first()


def test_csv_cell_escapes_formulas() -> None:
    for text in ("=1+1", "+86", "-2", "@SUM(A1)", "\tx", "\rx"):
        assert csv_cell(text) == "'" + text
    assert csv_cell("张三") == "张三" and csv_cell(None) == "" and csv_cell(12) == "12"
    assert csv_cell("a=b") == "a=b"


def test_holders_export_bom_escaping_masking_and_audit(app: Any, users: Any) -> None:
    from core.defaults.demo import demo_id
    import datetime as dt

    number = demo_id("360102", dt.date(1990, 3, 7), 7, "male")
    _holder(app, "=HYPERLINK(\"http://x\")", number, "13912345678", "@江西省南昌市东湖区")
    users("county_admin", name="ca")
    users("dept_clerk", "dept-education", name="clerk")
    users("auditor", name="aud")
    users("assistant", name="helper")

    admin = _login(app, "ca").get("/admin/holders/export/csv/")
    assert admin.status_code == 200 and admin.mimetype == "text/csv"
    assert "filename*=UTF-8''" in admin.headers["Content-Disposition"]
    assert unquote(admin.headers["Content-Disposition"].split("''")[1]).startswith("持证人")
    rows = _rows(admin)
    assert rows[0][:2] == ["姓名", "性别"] and "公民身份号码" in rows[0]
    header = rows[0]
    row = rows[1]
    assert row[header.index("姓名")] == "'=HYPERLINK(\"http://x\")"  # escaped, not a formula
    assert row[header.index("公民身份号码")] == number  # the police see it in full
    assert row[header.index("联系电话")] == "13912345678"
    event = _last_export("holder")
    assert event is not None and event.actor == "ca" and event.new["rows"] == 1

    for username in ("clerk", "aud"):
        r = _login(app, username).get("/admin/holders/export/csv/")
        assert r.status_code == 200
        text = r.get_data(as_text=True)
        assert number not in text and "13912345678" not in text
        row = _rows(r)[1]
        assert row[header.index("公民身份号码")] == mask_id_number(number)
        assert row[header.index("联系电话")] == mask_phone("13912345678")
        assert _last_export("holder").actor == username
    # the assistant may not open the list, so may not export it; nothing is audited
    before = db.session.query(AuditEvent).count()
    r = _login(app, "helper").get("/admin/holders/export/csv/")
    assert r.status_code == 403 and "text/csv" not in r.content_type
    assert db.session.query(AuditEvent).count() == before


def test_export_follows_search_and_station_scope(app: Any, users: Any, client: Any) -> None:
    """A station clerk's export of a police register holds its station's rows only, and a
    search narrows the export as it narrows the list."""
    import datetime as dt

    from core.defaults.demo import demo_id

    users("county_admin", name="ca")
    users("station_clerk", "station-530323001", name="danfeng")
    users("station_clerk", "station-530323102", name="xiongbi")
    a = _holder(app, "甲", demo_id("360102", dt.date(1990, 3, 7), 11, "male"), None, "甲地")
    b = _holder(app, "乙", demo_id("360102", dt.date(1990, 3, 7), 12, "male"), None, "乙地")
    ca = _login(app, "ca")
    both = _rows(ca.get("/admin/holders/export/csv/"))
    assert {r[0] for r in both[1:]} == {"甲", "乙"}
    one = _rows(ca.get("/admin/holders/export/csv/?search=乙"))
    assert [r[0] for r in one[1:]] == ["乙"]
    assert _last_export("holder").new["rows"] == 1
    # registrations: one at each station, each clerk exports its own
    from core.clock import today

    from plugins.public_security import registration

    for holder, code, clerk in ((a, "530323001001", "danfeng"), (b, "530323102001", "xiongbi")):
        r = client.post("/api/v1/registrations", json={
            "holder_id": holder.id, "arrival_date": today().isoformat(),
            "residence_address": "演示社区1号", "residence_division_code": code},
            headers={"Authorization": f"Bearer {users('county_admin')[1]}"})
        assert r.status_code == 201, r.get_json()
    assert registration  # the service the API used
    for clerk, name in (("danfeng", "甲"), ("xiongbi", "乙")):
        rows = _rows(_login(app, clerk).get("/admin/public_security_registrations/export/csv/"))
        names = {r[rows[0].index("姓名")] for r in rows[1:]} if "姓名" in rows[0] else \
            {cell for r in rows[1:] for cell in r}
        assert name in names and ({"甲", "乙"} - {name}).isdisjoint(names), (clerk, rows)
        sheet = _sheet(_login(app, clerk).get(
            "/admin/public_security_registrations/export/xlsx/"))
        assert len(sheet) == 2 and name in sheet[1] and ({"甲", "乙"} - {name}).isdisjoint(
            sheet[1])  # the XLSX holds the same scoped rows
    rows = _rows(ca.get("/admin/public_security_registrations/export/csv/"))
    assert len(rows) == 3


def test_department_export_is_its_own_and_masked(make_app: Any) -> None:
    """A department's register exports to its clerks (ID numbers masked) and to no other
    department's clerk."""
    import datetime as dt

    from core.auth import create_user
    from core.defaults.demo import demo_id

    app = make_app()
    with app.app_context():
        create_user(db.session, "edu1", "dept_clerk", "dept-education", password=PASSWORD)
        create_user(db.session, "hous1", "dept_clerk", "dept-housing", password=PASSWORD)
        number = demo_id("360102", dt.date(1990, 3, 7), 21, "male")
        _holder(app, "丙", number, None, "丙地")
        db.session.commit()
    housing = _login(app, "hous1")
    r = housing.post("/admin/housing_facts/new/", data={
        "holder_id_number": number, "recorded_on": "2026-03-01"}, follow_redirects=False)
    assert r.status_code in (200, 302)
    r = housing.get("/admin/housing_facts/export/csv/")
    assert r.status_code == 200
    rows = _rows(r)
    assert len(rows) == 2, rows
    text = r.get_data(as_text=True)
    assert number not in text and mask_id_number(number) in text
    assert _login(app, "edu1").get("/admin/housing_facts/export/csv/").status_code == 403
    with app.app_context():
        event = _last_export("housing_facts") or db.session.scalars(
            select(AuditEvent).where(AuditEvent.action.like("%.export"))
            .order_by(AuditEvent.seq.desc())).first()
        assert event is not None and event.actor == "hous1" and event.new["rows"] == 1


def _sheet(response: Any) -> list[list[Any]]:
    from openpyxl import load_workbook

    assert response.mimetype == \
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = load_workbook(io.BytesIO(response.get_data()))
    sheet = book.worksheets[0]
    cells = [[c for c in row] for row in sheet.iter_rows()]
    # text is text: nothing in the file is a formula
    assert all(c.data_type != "f" for row in cells for c in row)
    return [[c.value for c in row] for row in cells]


def test_holders_export_as_xlsx_masked_formula_safe_and_audited(app: Any, users: Any) -> None:
    """Issue 7: XLSX beside CSV, the same rows and values (masked per role), formula-safe."""
    from core.defaults.demo import demo_id
    import datetime as dt

    number = demo_id("360102", dt.date(1990, 3, 7), 8, "male")
    _holder(app, "=HYPERLINK(\"http://x\")", number, "13912345678", "江西省南昌市东湖区")
    users("county_admin", name="ca")
    users("dept_clerk", "dept-education", name="clerk")

    admin = _login(app, "ca").get("/admin/holders/export/xlsx/")
    assert admin.status_code == 200
    assert unquote(admin.headers["Content-Disposition"].split("''")[1]).endswith(".xlsx")
    rows = _sheet(admin)
    header, row = rows[0], rows[1]
    assert header[:2] == ["姓名", "性别"]
    assert row[header.index("姓名")] == "=HYPERLINK(\"http://x\")"  # shown as typed, as text
    assert row[header.index("公民身份号码")] == number
    assert row[header.index("出生日期")] == dt.datetime(1990, 3, 7)  # a date stays a date
    event = _last_export("holder")
    assert event.actor == "ca" and event.new["rows"] == 1 and event.new["format"] == "xlsx"

    clerk = _sheet(_login(app, "clerk").get("/admin/holders/export/xlsx/"))
    assert clerk[1][header.index("公民身份号码")] == mask_id_number(number)
    assert clerk[1][header.index("联系电话")] == mask_phone("13912345678")
    assert number not in str(clerk)
