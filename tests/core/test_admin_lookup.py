"""Forms a clerk can use fast (issue 7 point 5): the holder look-up by ID number, native date
inputs, the defaults of the day of the act.

- ``GET /admin/holders/lookup/?id_number=…`` (core/admin/lookup.py): found, not found, a bad
  check character, a short number; what each role is shown; who is refused; one statement.
- Every form that takes a holder by ID number carries ``data-juzhu-lookup="holder"``, and
  every admin page loads the script that reads it (parametrized over every view with a create
  or edit form and every 权益说明 page: a new form with an unmarked holder field fails).
- No create or edit form has Flask-Admin's script date picker; every date is
  ``<input type="date">`` whose refusals name the field in Chinese.

Browser-side requests go to a second app on the same database (``web``), logged in through
the real login form (see tests/core/test_admin.py for why).
"""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask_login import login_user
from sqlalchemy import event, select
from wtforms import DateField as WtDateField
from wtforms import DateTimeField

from core import access_matrix as m
from core.admin.fields import LOOKUP_ATTRIBUTE, HolderIdNumberField
from core.admin.lookup import NOT_FOUND, find
from core.clock import today
from core.db import db
from core.holders import HolderFacts, create_holder
from core.models import OrgUnit, Permit, Residence, User
from core.rules import id_check_char, valid_until_for

PASSWORD = "pass-word-1"  # the `users` fixture's default password
ORG_OF = {"county_admin": None, "station_clerk": "station-530323001", "police_officer": None,
          "dept_clerk": "dept-education", "assistant": None, "auditor": None}
HUKOU = "云南省曲靖市麒麟区南宁街道幸福路8号"
PHONE = "13912345678"
ADDRESS = "丹凤街道翠云社区12号"


# -- helpers ------------------------------------------------------------------------------

@pytest.fixture
def web(make_app: Any, app: Any) -> Any:
    return make_app()


def login(site: Any, username: str) -> Any:
    client = site.test_client()
    r = client.post("/login", data={"username": username, "password": PASSWORD})
    assert r.status_code == 302 and urlsplit(r.headers["Location"]).path == "/admin/"
    return client


def login_as(site: Any, users: Any, role: str, org: str | None = None) -> Any:
    user, _token = users(role, org or ORG_OF[role])
    return login(site, user.username)


def citizen_id(birth: dt.date, seq: int, sex: str = "male", region: str = "530302") -> str:
    first17 = f"{region}{birth:%Y%m%d}{seq * 2 + (1 if sex == 'male' else 0):03d}"
    return first17 + id_check_char(first17)


def wrong_check_char(number: str) -> str:
    return number[:-1] + ("1" if number[-1] != "1" else "2")


def org(code: str) -> OrgUnit:
    return db.session.scalar(select(OrgUnit).where(OrgUnit.code == code))


def holder(name: str, birth: dt.date, seq: int, sex: str = "male") -> Any:
    number = citizen_id(birth, seq, sex)
    row = create_holder(db.session, HolderFacts(name, sex, "汉族", birth, number, HUKOU,
                                                "530302001000", PHONE), as_of=today())
    db.session.commit()
    return row


def permit(row: Any, number: str, issued_on: dt.date, revoked_on: dt.date | None = None) -> Any:
    p = Permit(number=number, holder_id=row.id, authority_id=org("county-psb").id,
               station_id=org("station-530323001").id, issued_on=issued_on,
               valid_until=valid_until_for(issued_on), continuous_residence_since=issued_on,
               revoked_on=revoked_on)
    db.session.add(p)
    db.session.commit()
    return p


def residence(row: Any, division: str, from_date: dt.date, to_date: dt.date | None = None,
              address: str = ADDRESS) -> None:
    db.session.add(Residence(holder_id=row.id, address=address, division_code=division,
                             from_date=from_date, to_date=to_date))
    db.session.commit()


@pytest.fixture
def people(app: Any) -> dict[str, Any]:
    """张三丰: a valid permit and a residence at 丹凤 (an older one at 雄壁, closed); 李四娘: no
    permit, no residence; 王五: a permit lapsed a month ago (suspended)."""
    t = today()
    zhang = holder("张三丰", dt.date(1990, 3, 7), 31)
    residence(zhang, "530323102001", t - dt.timedelta(days=400), t - dt.timedelta(days=200),
              address="雄壁镇旧居1号")
    residence(zhang, "530323001001", t - dt.timedelta(days=199))
    permit(zhang, "53032300100091", t - dt.timedelta(days=30))
    li = holder("李四娘", dt.date(1988, 11, 21), 32, "female")
    wang = holder("王五", dt.date(1979, 1, 15), 33)
    permit(wang, "53032300100092", t - dt.timedelta(days=400))
    return {"zhang": zhang.id_number, "li": li.id_number, "wang": wang.id_number}


def lookup(client: Any, number: str) -> Any:
    return client.get("/admin/holders/lookup/", query_string={"id_number": number})


# -- the look-up ----------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["county_admin", "station_clerk", "police_officer"])
def test_police_roles_see_the_holder_with_residence_and_permit(web: Any, users: Any,
                                                               people: Any, role: str) -> None:
    client = login_as(web, users, role)
    r = lookup(client, people["zhang"])
    assert r.status_code == 200 and r.mimetype == "application/json"
    assert r.headers["Cache-Control"] == "no-store"
    body = r.get_json()
    assert body["status"] == "found"
    h = body["holder"]
    assert (h["name"], h["sex"], h["sex_title"], h["birth_date"]) == \
        ("张三丰", "male", "男", "1990-03-07")
    # the current residence (not the closed one at 雄壁) and its station
    assert h["residence"] == {"station": "丹凤派出所", "address": ADDRESS}
    assert h["permit"] == {"number": "53032300100091", "status": "valid", "status_title": "有效",
                           "valid_until": valid_until_for(today() - dt.timedelta(days=30))
                           .isoformat()}
    for part in ("张三丰", "男", "1990年3月7日", "丹凤派出所", ADDRESS, "53032300100091", "有效"):
        assert part in body["message"], part
    text = r.get_data(as_text=True)
    assert people["zhang"] not in text and PHONE not in text and HUKOU not in text


@pytest.mark.parametrize("role", ["dept_clerk", "auditor"])
def test_masked_roles_see_what_their_lists_show(web: Any, users: Any, people: Any,
                                                role: str) -> None:
    """Decision (core/admin/lookup.py): the name as the 持证人 list shows it to the role (in
    full), the residence's station but not its address, never the number, phone or hukou."""
    client = login_as(web, users, role)
    body = lookup(client, people["zhang"]).get_json()
    assert body["status"] == "found"
    assert body["holder"]["name"] == "张三丰"
    assert body["holder"]["residence"] == {"station": "丹凤派出所", "address": None}
    assert body["holder"]["permit"]["number"] == "53032300100091"
    assert "丹凤派出所" in body["message"] and ADDRESS not in body["message"]
    text = str(body)
    for secret in (people["zhang"], PHONE, HUKOU, ADDRESS, "雄壁镇旧居"):
        assert secret not in text, secret
    # what the role's list shows for the same number (searched by it)
    listing = client.get("/admin/holders/", query_string={"search": people["zhang"]}).text
    table = re.search(r'(?s)<table class="[^"]*model-list[^"]*">.*?</thead>(.*?)</table>', listing)
    shown = re.sub(r"(?s)<[^>]+>", " ", table.group(1)) if table else ""
    assert "张三丰" in shown and people["zhang"] not in shown


def test_without_permit_or_residence_and_a_suspended_permit(web: Any, users: Any,
                                                            people: Any) -> None:
    client = login_as(web, users, "station_clerk")
    body = lookup(client, people["li"]).get_json()
    assert body["status"] == "found"
    assert body["holder"]["permit"] is None and body["holder"]["residence"] is None
    assert "未持有居住证" in body["message"] and "无现居住地登记" in body["message"]
    assert "女" in body["message"]
    body = lookup(client, people["wang"]).get_json()
    assert body["holder"]["permit"]["status"] == "suspended"
    assert "使用功能中止" in body["message"]


@pytest.mark.parametrize(("role", "may_create"), [
    ("county_admin", True), ("station_clerk", True), ("police_officer", False),
    ("dept_clerk", False), ("auditor", False)])
def test_not_found_says_so_with_a_link_for_who_may_create(web: Any, users: Any, people: Any,
                                                          role: str, may_create: bool) -> None:
    client = login_as(web, users, role)
    unknown = citizen_id(dt.date(1991, 5, 17), 77, "female")
    body = lookup(client, unknown).get_json()
    assert body["status"] == "not_found"
    assert body["message"] == NOT_FOUND == "未找到持证人：请先在 持证人 中录入"
    assert body.get("create_url") == ("/admin/holders/new/" if may_create else None)
    if may_create:
        assert client.get(body["create_url"]).status_code == 200


@pytest.mark.parametrize(("typed", "words"), [
    ("bad_check", ("公民身份号码", "校验位", "GB 11643-1999")),
    ("short", ("公民身份号码", "18位", "GB 11643-1999")),
    ("long", ("公民身份号码", "18位", "GB 11643-1999")),
    ("", ("公民身份号码", "18位", "GB 11643-1999")),
    ("110101180001010011", ("公民身份号码", "出生日期", "GB 11643-1999")),
    ("990101199003070011", ("公民身份号码", "地址码", "GB 11643-1999")),
])
def test_only_full_valid_numbers_are_looked_up(web: Any, users: Any, people: Any, typed: str,
                                               words: tuple[str, ...]) -> None:
    """A short, long or mistyped number is answered in Chinese naming the field and the
    standard, without touching the holder table (no enumeration by prefix)."""
    number = {"bad_check": wrong_check_char(people["zhang"]), "short": people["zhang"][:17],
              "long": people["zhang"] + "1"}.get(typed, typed)
    client = login_as(web, users, "county_admin")
    statements: list[str] = []
    with web.app_context():
        engine = db.engine

    def seen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        r = lookup(client, number)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    body = r.get_json()
    assert r.status_code == 200 and body["status"] == "invalid" and body["field"] == "id_number"
    for word in words:
        assert word in body["message"], (word, body["message"])
    assert "holder" not in body
    assert not [s for s in statements if re.search(r"\bFROM holder\b", s)], statements


def test_typed_variants_of_a_valid_number_are_found(web: Any, users: Any, people: Any) -> None:
    """As the forms' services read it: spaces around, a lower-case x, full-width digits."""
    client = login_as(web, users, "county_admin")
    number = people["zhang"]
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in number)
    for typed in (f"  {number} ", full_width):
        assert lookup(client, typed).get_json()["status"] == "found", typed
    birth = dt.date(1992, 2, 29)
    x_number = next(n for n in (citizen_id(birth, s, "female") for s in range(1, 200))
                    if n.endswith("X"))
    with web.app_context():
        create_holder(db.session, HolderFacts("赵六", "female", "汉族", birth, x_number, HUKOU,
                                              "530302001000", None), as_of=today())
        db.session.commit()
    body = lookup(client, x_number[:-1] + "x").get_json()
    assert body["status"] == "found" and body["holder"]["name"] == "赵六"


def test_the_assistant_and_anonymous_are_refused(web: Any, users: Any, people: Any) -> None:
    r = lookup(web.test_client(), people["zhang"])
    assert r.status_code == 302 and "/login" in r.headers["Location"]
    client = login_as(web, users, "assistant")
    r = lookup(client, people["zhang"])
    assert r.status_code == 403
    assert r.get_json() == {"status": "forbidden", "message": "无权查询持证人"}
    assert "张三丰" not in r.get_data(as_text=True)


def test_one_statement_on_the_indexed_number(app: Any, people: Any) -> None:
    statements: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        found = find(db.session, people["zhang"], today())
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    assert found is not None and found.permit_number == "53032300100091"
    assert len(statements) == 1, statements
    assert "holder.id_number = " in statements[0]
    # the number is unique, hence indexed (no scan of the holder table)
    table = db.metadata.tables["holder"]
    assert table.c.id_number.unique or any(
        ix.unique and list(ix.columns) == [table.c.id_number] for ix in table.indexes)
    permit = db.metadata.tables["permit"]
    # an index led by holder_id over every permit (not only the live ones)
    assert any(list(ix.columns)[0] is permit.c.holder_id
               and ix.dialect_options["sqlite"]["where"] is None for ix in permit.indexes)
    assert db.metadata.tables["residence"].c.holder_id.index


# -- the mark on every form that takes a holder by ID number ---------------------------------

#: Fields named like an ID number that do not take a holder: the holder form's own new number,
#: the agent of an application (anyone, not a holder), the child of 随迁子女.
NOT_A_HOLDER = {("holders", "id_number"), ("public_security_applications", "agent_id_number"),
                ("education_children", "id_number")}
#: Where the mark must be (so that the walk below cannot pass by finding nothing).
MARKED = {
    "public_security_registrations": {"holder_id_number"},
    "public_security_applications": {"holder_id_number"},
    "education_children": {"holder_id_number"},
    "health_services": {"holder_id_number"},
    "housing_facts": {"holder_id_number"}, "housing_applications": {"holder_id_number"},
    "justice_means": {"holder_id_number"}, "justice_applications": {"holder_id_number"},
    "civil_affairs_voter_applications": {"holder_id_number"},
    "human_resources_employment": {"holder_id_number"},
    "human_resources_training": {"holder_id_number"},
    "explanations": {"id_number"},
    **{f"{p}_explanations": {"id_number"} for p in
       ("civil_affairs", "education", "health", "housing", "human_resources", "justice")},
}
FORM_VIEWS = sorted(e for e, actions in m.ADMIN_VIEWS.items() if {"create", "edit"} & set(actions))
PAGES = FORM_VIEWS + sorted(e for e in m.ADMIN_VIEWS if e.endswith("explanations"))


def takes_a_holder(endpoint: str, name: str, label: str) -> bool:
    return (endpoint, name) not in NOT_A_HOLDER and (
        name.endswith("holder_id_number") or "公民身份号码" in label or "身份证号" in label)


def forms_of(site: Any, endpoint: str) -> list[Any]:
    """The view's create and edit forms, built as the county admin would get them."""
    view = next(v for v in site.extensions["juzhu"].admin._views if v.endpoint == endpoint)
    actions = m.ADMIN_VIEWS[endpoint]
    out = []
    with site.test_request_context(f"/admin/{endpoint}/new/"):
        login_user(next(u for u in db.session.scalars(select(User)) if u.role == "county_admin"))
        if "create" in actions:
            out.append(view.create_form())
        if "edit" in actions:
            out.append(view.edit_form())
    return out


def inputs_of(html: str) -> list[dict[str, str]]:
    """Every form control of a page with its attributes and the text of its <label for>."""
    labels = {for_: unescape(re.sub(r"(?s)<[^>]+>|\s+", "", text)) for for_, text in
              re.findall(r'(?s)<label\b[^>]*\bfor="([^"]+)"[^>]*>(.*?)</label>', html)}
    out = []
    for tag, attrs in re.findall(r"(?s)<(input|select|textarea)\b([^>]*)>", html):
        a = dict(re.findall(r'([\w:-]+)="([^"]*)"', attrs))
        a["_tag"] = tag
        a["_label"] = labels.get(a.get("id", ""), "")
        out.append(a)
    return out


@pytest.mark.parametrize("endpoint", PAGES)
def test_every_holder_id_field_carries_the_lookup_mark(web: Any, users: Any,
                                                      endpoint: str) -> None:
    client = login_as(web, users, "county_admin")
    path = f"/admin/{endpoint}/" if endpoint.endswith("explanations") else \
        f"/admin/{endpoint}/new/"
    r = client.get(path)
    assert r.status_code == 200, (path, r.status_code)
    marked = set()
    for a in inputs_of(r.text):
        if a.get("type") == "hidden":
            continue
        if takes_a_holder(endpoint, a.get("name", ""), a["_label"]):
            assert a.get(LOOKUP_ATTRIBUTE) == "holder", (endpoint, a)
        if LOOKUP_ATTRIBUTE in a:
            marked.add(a["name"])
            assert a["_label"], (endpoint, a)  # labelled, like every field
    assert marked == MARKED.get(endpoint, set()), endpoint
    # the page loads the look-up's script (a static file, with the nonce) and its URL
    script = re.search(r'<script\b[^>]*src="/static/juzhu/lookup\.js"[^>]*>', r.text)
    assert script and 'nonce="' in script.group(0)
    assert 'data-lookup-url="/admin/holders/lookup/"' in script.group(0)
    # the edit forms too (built as the view builds them; rows are not needed)
    with web.app_context():
        for form in forms_of(web, endpoint):
            for field in form:
                if takes_a_holder(endpoint, field.name, str(field.label.text)):
                    assert isinstance(field, HolderIdNumberField), (endpoint, field.name)
                    assert f'{LOOKUP_ATTRIBUTE}="holder"' in str(field()), (endpoint, field.name)


def test_the_script_is_served_and_reads_the_mark(web: Any) -> None:
    r = web.test_client().get("/static/juzhu/lookup.js")
    assert r.status_code == 200
    js = r.get_data(as_text=True)
    assert "input[data-juzhu-lookup='holder']" in js and 'aria-live", "polite"' in js
    # the same weights and check characters as the kernel's GB 11643 rule
    assert "7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2" in js and '"10X98765432"' in js
    assert "GB 11643-1999" in js
    assert not re.search(r"\bon[a-z]+\s*=", js)  # no inline handlers are written


# -- native dates ---------------------------------------------------------------------------

@pytest.mark.parametrize("endpoint", FORM_VIEWS)
def test_no_script_date_picker_and_every_date_is_native(web: Any, users: Any,
                                                        endpoint: str) -> None:
    client = login_as(web, users, "county_admin")
    actions = m.ADMIN_VIEWS[endpoint]
    if "create" in actions:
        html = client.get(f"/admin/{endpoint}/new/").text
        assert 'data-role="datepicker"' not in html and 'data-role="datetimepicker"' not in html
        for a in inputs_of(html):
            if a.get("type") == "date":
                assert a["_label"], (endpoint, a)
    with web.app_context():
        for form in forms_of(web, endpoint):
            for field in form:
                rendered = str(field())
                assert "datepicker" not in rendered, (endpoint, field.name)
                if isinstance(field, DateTimeField) and not isinstance(field, WtDateField):
                    pytest.fail(f"{endpoint}.{field.name}: a date-time field in a form")
                if isinstance(field, WtDateField):
                    assert 'type="date"' in rendered, (endpoint, field.name, rendered)
                    assert re.search(r"[\u4e00-\u9fff]", str(field.label.text)), field.name
                    assert field.invalid_value_message and \
                        str(field.label.text) in field.invalid_value_message


def test_holder_form_dates_are_refused_in_chinese_naming_the_field(web: Any, users: Any) -> None:
    client = login_as(web, users, "county_admin")
    data = {"name": "测试", "sex": "male", "ethnicity": "汉族", "birth_date": "1990-13-40",
            "id_number": citizen_id(dt.date(1990, 1, 1), 5), "hukou_address": HUKOU,
            "hukou_division_code": "530302"}
    r = client.post("/admin/holders/new/", data=data)
    assert r.status_code == 200
    assert "出生日期：不是有效的日期值" in r.text and "Not a valid" not in r.text
    r = client.post("/admin/holders/new/", data={**data, "birth_date": ""})
    assert "请填写出生日期" in r.text
    r = client.post("/admin/public_security_registrations/new/", data={
        "holder_id_number": citizen_id(dt.date(1990, 1, 1), 5), "arrival_date": "2026-02-30",
        "residence_address": ADDRESS, "residence_division_code": "530323001001"})
    assert r.status_code == 200 and "到达日期：不是有效的日期值" in r.text


# -- defaults: the day of the act is today; a station clerk's own station --------------------

ACT_DAYS = {
    "public_security_registrations": "registered_on", "public_security_applications":
    "accepted_on", "public_security_endorsements": "endorsed_on",
    "public_security_number_ranges": "on", "public_security_voids": "on",
    "public_security_stock_issues": "on", "public_security_stock_counts": "on",
    "housing_facts": "recorded_on", "housing_applications": "applied_on",
    "justice_means": "recorded_on", "justice_applications": "applied_on",
    "health_services": "served_on", "civil_affairs_voter_applications": "applied_on",
    "human_resources_training": "on",
    **{f"{p}_parameters": "start_on" for p in
       ("civil_affairs", "education", "housing", "human_resources", "justice")},
}


@pytest.mark.parametrize("endpoint", sorted(ACT_DAYS))
def test_the_day_of_the_act_defaults_to_today(web: Any, users: Any, endpoint: str) -> None:
    client = login_as(web, users, "county_admin")
    html = client.get(f"/admin/{endpoint}/new/").text
    field = next(a for a in inputs_of(html) if a.get("name") == ACT_DAYS[endpoint])
    assert field.get("type") == "date" and field.get("value") == today().isoformat(), field


@pytest.mark.parametrize("endpoint", ["public_security_voids", "public_security_stock_issues",
                                      "public_security_stock_counts"])
def test_a_station_clerk_gets_its_own_station(web: Any, users: Any, endpoint: str) -> None:
    client = login_as(web, users, "station_clerk")
    html = client.get(f"/admin/{endpoint}/new/").text
    select_ = re.search(r'(?s)<select\b[^>]*name="station"[^>]*>(.*?)</select>', html)
    assert select_, endpoint
    selected = re.findall(r"<option\b[^>]*selected[^>]*>([^<]*)</option>", select_.group(1))
    assert selected == ["丹凤派出所"], selected
