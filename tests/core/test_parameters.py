"""Dated parameters (DESIGN §4): declared with a history, read as of a date, extended by the
owning department (never into the past), audited, named in every decision that used them; a
plugin declaring a bad or duplicate parameter stops startup (hook ``register_parameters``)."""

from __future__ import annotations

import datetime as dt
import types
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from core import api as kernel
from core.db import db
from core.errors import PluginError
from core.models import AuditEvent, ParameterValue
from core.parameters import (ParameterError, ParameterStore, add_value, check_new_value,
                             current_store)
from core.rules import add_years, id_check_char

D = dt.date
SOURCE = "《测试规定》第一条"


def months(**kw: Any) -> kernel.Parameter:
    base = dict(name="dept_test.min_months", title="缴纳社会保险月数下限", unit="个月",
                department="dept-health", kind="int", minimum=0,
                values=(kernel.parameter_value(D(2016, 1, 1), 6, SOURCE),
                        kernel.parameter_value(D(2026, 7, 1), 12, "《测试规定》修订")))
    return kernel.Parameter(**{**base, **kw})


# -- declarations and parsing, table by table --------------------------------------------------

@pytest.mark.parametrize("kind, raw, expected", [
    ("int", "12", 12), ("int", " 0 ", 0), ("decimal", "2500", Decimal("2500.00")),
    ("decimal", "1999.999", Decimal("2000.00")), ("month_day", "8-31", "08-31"),
    ("month_day", "02-29", "02-29"),
])
def test_values_parse_to_their_canonical_form(kind: str, raw: str, expected: Any) -> None:
    assert months(kind=kind, minimum=None).parse(raw) == expected


@pytest.mark.parametrize("kind, raw, code", [
    ("int", "", "value_missing"), ("int", "1.5", "value_not_integer"),
    ("int", "-1", "value_below_minimum"), ("decimal", "abc", "value_not_number"),
    ("month_day", "02-30", "value_not_month_day"), ("month_day", "0831", "value_not_month_day"),
])
def test_bad_values_are_refused_in_chinese_naming_the_field(kind: str, raw: str, code: str) -> None:
    param = months(kind=kind, minimum=0 if kind == "int" else None)
    with pytest.raises(ParameterError) as err:
        param.parse(raw)
    assert err.value.code == code and err.value.field == "value"
    assert "缴纳社会保险月数下限" in err.value.message and "第二十条" in err.value.message


def test_a_negative_number_of_months_is_refused_with_its_bound() -> None:
    with pytest.raises(ParameterError) as err:
        months().parse("-3")
    assert "小于下限0个月" in err.value.message


@pytest.mark.parametrize("changes, words", [
    ({"name": "other.min_months"}, "dept_test.<小写名称>"),
    ({"kind": "float"}, "类型"),
    ({"values": ()}, "没有任何取值"),
    ({"values": (kernel.DatedValue(None, 6, SOURCE),)}, "没有起始日期"),  # type: ignore[arg-type]
    ({"values": (kernel.parameter_value(D(2016, 1, 1), 6, " "),)}, "没有来源"),
    ({"values": (kernel.parameter_value(D(2016, 1, 1), -6, SOURCE),)}, "小于下限"),
    ({"values": (kernel.parameter_value(D(2020, 1, 1), 6, SOURCE),
                 kernel.parameter_value(D(2016, 1, 1), 7, SOURCE))}, "从早到晚"),
])
def test_bad_declarations_are_named(changes: dict[str, Any], words: str) -> None:
    with pytest.raises((ValueError, ParameterError)) as err:
        months(**changes).validate("dept_test")
    assert words in str(err.value)


def plugin(name: str, *params: kernel.Parameter, entitlements: Any = ()) -> tuple[str, Any]:
    module = types.ModuleType(name)

    def register_parameters() -> Any:
        return list(params)

    def register_entitlements() -> Any:
        return list(entitlements)

    module.register_parameters = kernel.hookimpl(register_parameters)  # type: ignore[attr-defined]
    module.register_entitlements = kernel.hookimpl(register_entitlements)  # type: ignore[attr-defined]
    return name, module


def test_a_parameter_declared_twice_or_by_another_plugin_stops_startup(make_app: Any) -> None:
    p = months()
    with pytest.raises(PluginError) as err:
        make_app(plugins=[plugin("dept_test", p, p)])
    assert "参数 'dept_test.min_months' 重复：插件 dept_test 与插件 dept_test" in str(err.value)
    # a parameter belongs to the plugin whose name it carries: another plugin may not claim it
    with pytest.raises(PluginError) as err:
        make_app(plugins=[plugin("dept_test", p), plugin("dept_two", p)])
    assert "插件 dept_two" in str(err.value) and "dept_two.<小写名称>" in str(err.value)


def test_a_declaration_without_a_start_date_stops_startup(make_app: Any) -> None:
    bad = months(values=(kernel.DatedValue(None, 6, SOURCE),))  # type: ignore[arg-type]
    with pytest.raises(PluginError) as err:
        make_app(plugins=[plugin("dept_test", bad)])
    assert "插件 dept_test" in str(err.value) and "没有起始日期" in str(err.value)


# -- reading as of a date ------------------------------------------------------------------------

def test_the_value_in_force_is_the_latest_started_on_or_before_the_day() -> None:
    p = months()
    store = ParameterStore.load(None, {p.name: p})
    assert store.value_on(p.name, D(2026, 6, 30)).value == 6
    assert store.value_on(p.name, D(2026, 7, 1)).value == 12
    with pytest.raises(ParameterError) as err:
        store.value_on(p.name, D(2015, 12, 31))
    assert err.value.code == "parameter_not_in_force" and "2016年1月1日" in err.value.message
    reader = store.reader(D(2026, 7, 1))
    assert reader(p.name) == 12
    assert reader.used_list() == [{"name": p.name, "title": "缴纳社会保险月数下限", "unit": "个月",
                                   "since": "2026-07-01", "value": 12, "source": "《测试规定》修订"}]


# -- entering a new value --------------------------------------------------------------------------

@pytest.mark.parametrize("start, source, field, code", [
    (None, SOURCE, "start_on", "start_missing"),
    (D(2026, 12, 3), SOURCE, "start_on", "start_in_past"),
    (D(2026, 12, 4), "  ", "source", "source_missing"),
])
def test_a_new_value_may_not_start_before_its_entry_or_lack_a_source(start: Any, source: str,
                                                                      field: str, code: str) -> None:
    with pytest.raises(ParameterError) as err:
        check_new_value(months(), start_on=start, raw_value="9", source=source,
                        entered_on=D(2026, 12, 4))
    assert err.value.field == field and err.value.code == code
    if code == "start_in_past":
        assert "《立法法》第一百零四条" in err.value.message and "2026年12月3日" in err.value.message
    assert check_new_value(months(), start_on=D(2026, 12, 4), raw_value="9", source=SOURCE,
                           entered_on=D(2026, 12, 4)) == 9


def make_holder(birth: D) -> Any:
    first17 = f"530302{birth:%Y%m%d}022"
    holder = kernel.create_holder(db.session, kernel.HolderFacts(
        "李娜", "female", "汉族", birth, first17 + id_check_char(first17), "云南省曲靖市麒麟区",
        "530302", None), as_of=D(2026, 1, 1))
    db.session.commit()
    return holder


def give_permit(holder: Any, issued_on: D) -> None:
    from core.models import Card, OrgUnit, Permit

    station = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "station-530323001"))
    psb = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "county-psb"))
    permit = Permit(number=f"P{holder.id}", holder_id=holder.id, authority_id=psb.id,
                    station_id=station.id, issued_on=issued_on,
                    valid_until=kernel.rules.valid_until_for(issued_on),
                    continuous_residence_since=issued_on)
    db.session.add(permit)
    db.session.flush()
    db.session.add(Card(permit_id=permit.id, serial=9000 + holder.id, station_id=station.id,
                        issued_on=issued_on, status="live", status_on=issued_on))
    db.session.commit()


def adult_check(facts: kernel.CheckFacts) -> kernel.Decision:
    age = facts.param("dept_test.min_age")
    old_enough = facts.holder.birth_date <= add_years(facts.as_of, -age)
    return kernel.Decision.from_reasons(
        [kernel.Reason("age", old_enough, f"年满{age}周岁" if old_enough else f"未满{age}周岁", "测试")])


def adult_sql(ctx: kernel.BatchContext) -> Any:
    return select(kernel.Holder.id).where(
        kernel.Holder.birth_date <= add_years(ctx.as_of, -ctx.param("dept_test.min_age")))


MIN_AGE = kernel.Parameter("dept_test.min_age", "最低年龄", "岁", "dept-health", "int",
                           (kernel.parameter_value(D(2016, 1, 1), 18, SOURCE),), minimum=0,
                           maximum=120)
ADULT = kernel.Entitlement("art18.12.adult", "（十二）", "成年人服务", "dept-health", adult_check,
                           adult_sql)


@pytest.fixture
def site(make_app: Any) -> Any:
    app = make_app(plugins=[plugin("dept_test", MIN_AGE, entitlements=[ADULT])])
    with app.app_context():
        yield app


def test_a_departments_new_value_applies_from_its_start_and_is_audited(site: Any, users: Any,
                                                                         batch_agrees: Any) -> None:
    holder = make_holder(D(2009, 3, 1))  # 17 on 2026-12-04, 16 on 2025-12-04
    give_permit(holder, D(2026, 6, 1))
    user, token = users("dept_clerk", "dept-health")
    client = site.test_client()

    def item(as_of: str) -> Any:
        resp = client.get(f"/api/v1/holders/{holder.id}/entitlements?as_of={as_of}",
                          headers={"Authorization": f"Bearer {token}"})
        return next(i for i in resp.json["items"] if i["code"] == "art18.12.adult")

    before = item("2027-01-01")
    assert before["reasons"][1]["text"] == "未满18周岁"
    assert before["parameters"] == [{"name": "dept_test.min_age", "title": "最低年龄", "unit": "岁",
                                     "value": 18, "since": "2016-01-01", "source": SOURCE}]
    events = db.session.scalar(select(func.count()).select_from(AuditEvent))
    add_value(db.session, MIN_AGE, start_on=D(2027, 1, 1), raw_value="16",
              source="《测试规定》2027年修订", entered_on=D(2026, 12, 4), actor=user)
    db.session.commit()
    after = item("2027-01-01")
    assert after["reasons"][1]["text"] == "年满16周岁"
    assert after["parameters"][0]["value"] == 16 and after["parameters"][0]["since"] == "2027-01-01"
    assert item("2026-12-31")["parameters"][0]["value"] == 18  # not before its start
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == events + 1
    assert event.action == "parameter_value.create" and event.new["value"] == "16"
    # the batch SQL form reads the same value as the per-holder check
    with site.app_context():  # `users` pushed the plain app's context after ours
        assert [r.reason for r in batch_agrees("art18.12.adult", D(2027, 1, 1))] == [""]
        assert [r.reason for r in batch_agrees("art18.12.adult", D(2026, 12, 31))] == ["conditions"]
        assert [r.reason for r in batch_agrees("art18.12.adult", D(2026, 5, 31))] == ["no_permit"]
    # the same start day twice is refused: history is not rewritten
    with pytest.raises(ParameterError) as err:
        add_value(db.session, MIN_AGE, start_on=D(2027, 1, 1), raw_value="17", source=SOURCE,
                  entered_on=D(2026, 12, 4), actor=user)
    assert err.value.code == "start_taken"
    db.session.rollback()
    with site.app_context():
        assert current_store(db.session).history["dept_test.min_age"][-1].entered_by == user.username


def test_the_print_view_names_the_values_used(site: Any, users: Any) -> None:
    holder = make_holder(D(1990, 3, 1))
    _, token = users("county_admin")
    html = site.test_client().get(f"/api/v1/holders/{holder.id}/entitlements/print?as_of=2026-06-01",
                                  headers={"Authorization": f"Bearer {token}"}).text
    assert "所用标准：最低年龄18岁（自2016-01-01起，《测试规定》第一条）" in html


# -- the department's admin page ------------------------------------------------------------------

def admin_plugin() -> tuple[str, Any]:
    name, module = plugin("dept_test", MIN_AGE, entitlements=[ADULT])

    def register_admin_views(app: Any) -> Any:
        return [kernel.parameter_view(plugin="dept_test", category="测试部门",
                                      department="dept-health")]

    module.register_admin_views = kernel.hookimpl(register_admin_views)  # type: ignore[attr-defined]
    return name, module


def login(client: Any, users: Any, role: str, org: str | None = None) -> Any:
    user, _ = users(role, org, name=f"{role}-{org or 'none'}", password="pass-word-1")
    client.post("/login", data={"username": user.username, "password": "pass-word-1"})
    return user


@pytest.mark.parametrize("role, org, status", [
    ("dept_clerk", "dept-health", 200), ("county_admin", None, 200),
    ("dept_clerk", "dept-education", 403), ("station_clerk", "station-530323001", 403),
    ("auditor", None, 403),
])
def test_only_the_owning_department_opens_its_parameters(make_app: Any, users: Any, role: str,
                                                         org: str | None, status: int) -> None:
    app = make_app(plugins=[admin_plugin()])
    with app.app_context():
        client = app.test_client()
        login(client, users, role, org)
        page = client.get("/admin/dept_test_parameters/")
        assert page.status_code == status
        if status == 200:
            assert "现行参数及其历史" in page.text and "最低年龄" in page.text and SOURCE in page.text


def test_the_admin_form_adds_a_value_and_refuses_a_past_start(make_app: Any, users: Any) -> None:
    app = make_app(plugins=[admin_plugin()])
    with app.app_context():
        client = app.test_client()
        login(client, users, "dept_clerk", "dept-health")
        today = kernel.today()
        bad = client.post("/admin/dept_test_parameters/new/", data={
            "name": "dept_test.min_age", "start_on": (today - dt.timedelta(days=1)).isoformat(),
            "value": "16", "source": "《测试规定》修订"})
        assert bad.status_code == 200 and "早于录入日" in bad.text
        negative = client.post("/admin/dept_test_parameters/new/", data={
            "name": "dept_test.min_age", "start_on": today.isoformat(), "value": "-1",
            "source": "《测试规定》修订"})
        assert "小于下限0岁" in negative.text
        assert db.session.scalar(select(func.count()).select_from(ParameterValue)) == 0
        ok = client.post("/admin/dept_test_parameters/new/", data={
            "name": "dept_test.min_age", "start_on": today.isoformat(), "value": "16",
            "source": "《测试规定》修订"})
        assert ok.status_code == 302
        row = db.session.scalars(select(ParameterValue)).one()
        assert (row.value, row.start_on, row.entered_on) == ("16", today, today)
        listing = client.get("/admin/dept_test_parameters/")
        assert "于" + today.isoformat() + "录入" in listing.text
        # no edit: the history is not rewritten
        assert client.get(f"/admin/dept_test_parameters/edit/?id={row.id}").status_code in (302, 403)
        assert db.session.get(ParameterValue, row.id).value == "16"


def test_a_row_of_a_parameter_no_longer_declared_is_left_out(site: Any, users: Any) -> None:
    """A plugin's rows stay in the table when the operator stops enabling it (JUZHU_PLUGINS);
    the store reads every row and keeps only the declared names."""
    user, _token = users("dept_clerk", "dept-health")
    add_value(db.session, MIN_AGE, start_on=D(2027, 1, 1), raw_value="16",
              source="《测试规定》2027年修订", entered_on=D(2026, 12, 4), actor=user)
    db.session.add(ParameterValue(name="gone_plugin.threshold", start_on=D(2026, 1, 1), value="x",
                                  source="已停用插件", entered_on=D(2026, 1, 1)))
    db.session.commit()
    with site.app_context():
        store = current_store(db.session)
    assert "gone_plugin.threshold" not in store.history
    assert [v.value for v in store.history["dept_test.min_age"]] == [18, 16]
