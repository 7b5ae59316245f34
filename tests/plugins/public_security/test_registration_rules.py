"""The pure rule helpers of registration (《办法》第十条、第二条), table by table: no app, no DB."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from core.rules import Classification, CountyProfile, RuleError, Township
from plugins.public_security import registration as r

D = dt.date
PROFILE = CountyProfile.build("530323", "师宗县", [
    Township("530323001", "丹凤街道", "subdistrict", county_seat=True),
    Township("530323102", "雄壁镇", "town"),
])


@pytest.mark.parametrize("earlier, later, refused", [
    (D(2026, 9, 30), D(2026, 10, 13), False),
    (D(2026, 10, 13), D(2026, 10, 13), False),  # same day is fine
    (D(2026, 10, 14), D(2026, 10, 13), True),
])
def test_check_order(earlier: Any, later: Any, refused: Any) -> None:
    def call() -> None:
        r.check_order(earlier, later, field="arrival_date", label="到达日期",
                      later_label="登记日期", code="arrival_after_registration")

    if not refused:
        call()
        return
    with pytest.raises(RuleError) as info:
        call()
    err = info.value
    assert (err.field, err.code, err.basis) == ("arrival_date", "arrival_after_registration",
                                                "《办法》第十条")
    assert err.message == "到达日期：2026年10月14日不能晚于登记日期2026年10月13日（《办法》第十条）"


@pytest.mark.parametrize("day, refused", [(D(2026, 12, 4), False), (D(2026, 12, 5), False),
                                          (D(2026, 12, 6), True)])
def test_check_not_future(day: Any, refused: Any) -> None:
    if refused:
        with pytest.raises(RuleError, match="登记日期") as info:
            r.check_not_future(day, D(2026, 12, 5), field="registered_on", label="登记日期")
        assert info.value.field == "registered_on" and info.value.code == "date_in_future"
    else:
        r.check_not_future(day, D(2026, 12, 5), field="registered_on", label="登记日期")


def test_require_floating_passes_the_reason_through() -> None:
    r.require_floating(Classification(True, "属于流动人口"))
    with pytest.raises(RuleError) as info:
        r.require_floating(Classification(False, "不属于流动人口（《办法》第二条）"))
    assert info.value.code == "not_floating_population"
    assert info.value.field == "residence_division_code"
    assert info.value.message == "不属于流动人口（《办法》第二条）"


@pytest.mark.parametrize("arrival, current_from, refused", [
    (D(2026, 9, 30), None, False),
    (D(2026, 9, 30), D(2026, 1, 5), False),
    (D(2026, 9, 30), D(2026, 9, 30), False),
    (D(2026, 9, 29), D(2026, 9, 30), True),
])
def test_check_after_current_residence(arrival: Any, current_from: Any, refused: Any) -> None:
    if refused:
        with pytest.raises(RuleError) as info:
            r.check_after_current_residence(arrival, current_from)
        assert info.value.field == "arrival_date"
    else:
        r.check_after_current_residence(arrival, current_from)


@pytest.mark.parametrize("code, expected", [
    ("530323102001", "530323102"),
    ("530323001", "530323001"),
    (" 530323001002 ", "530323001"),
    ("530323", "premises_township_required"),
    ("530323999", "unknown_township"),
    ("530302001001", "outside_county"),
    ("110101", "outside_county"),
    ("5303231020", "division_code_format"),
    ("000000", "division_code_format"),
])
def test_premises_township(code: Any, expected: Any) -> None:
    if expected.isdigit():
        assert r.premises_township(code, PROFILE).code9 == expected
        return
    with pytest.raises(RuleError) as info:
        r.premises_township(code, PROFILE)
    assert info.value.code == expected and info.value.field == "premises_division_code"


def test_reported_id_number_is_canonical_and_errors_name_the_field() -> None:
    assert r.reported_id_number(" 11010519491231002x ", D(2026, 1, 1)) == "11010519491231002X"
    with pytest.raises(RuleError) as info:
        r.reported_id_number("11010519491231002X", D(1940, 1, 1))  # born after the report
    assert info.value.field == "holder_id_number"
    assert info.value.code == "id_number_birth_date"
