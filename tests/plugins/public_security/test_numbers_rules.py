"""The pure rules of numbers and stock (《办法》第七条、第八条), table by table."""

from __future__ import annotations

import pytest

from core.rules import RuleError
from plugins.public_security import numbers, stock


@pytest.mark.parametrize("start, end", [(1, 1), (1, 100), (5303230010001, 5303230015000),
                                        (1, numbers.MAX_SERIAL)])
def test_bounds_accepted(start: int, end: int) -> None:
    numbers.check_bounds(start, end)


@pytest.mark.parametrize("start, end, field, code", [
    (0, 10, "start", "start_not_positive"),
    (-5, 10, "start", "start_not_positive"),
    (10, 9, "end", "range_reversed"),
    (200, 101, "end", "range_reversed"),
    (1, numbers.MAX_SERIAL + 1, "end", "end_too_large"),
])
def test_bounds_refused(start: int, end: int, field: str, code: str) -> None:
    with pytest.raises(RuleError) as info:
        numbers.check_bounds(start, end)
    assert (info.value.field, info.value.code) == (field, code)
    assert "第七条" in info.value.message and info.value.basis == "《办法》第七条"


@pytest.mark.parametrize("quantity, serial_from, serial_to", [(1, 7, 7), (20, 81, 100)])
def test_stock_issue_serials_accepted(quantity: int, serial_from: int, serial_to: int) -> None:
    stock.check_issue_serials(quantity, serial_from, serial_to)


@pytest.mark.parametrize("quantity, serial_from, serial_to, field, code, words", [
    (19, 81, 100, "quantity", "quantity_mismatch", "共 20 张"),
    (21, 81, 100, "quantity", "quantity_mismatch", "登记的数量却是 21 张"),
    (1, 0, 0, "serial_from", "serial_not_positive", "起始编号"),
    (1, 100, 81, "serial_from", "serials_reversed", "终止编号 81 小于起始编号 100"),
])
def test_stock_issue_serials_refused(quantity: int, serial_from: int, serial_to: int, field: str,
                                     code: str, words: str) -> None:
    with pytest.raises(RuleError) as info:
        stock.check_issue_serials(quantity, serial_from, serial_to)
    assert (info.value.field, info.value.code) == (field, code)
    assert words in info.value.message and "第八条" in info.value.message


@pytest.mark.parametrize("allocated, issued, voided, counted, expected", [
    # allocated − issued − voided = expected on hand; difference = counted − expected
    (100, 3, 1, None, (96, None, False, "尚未盘点")),
    (100, 3, 1, 96, (96, 0, False, "账实相符")),
    (100, 3, 1, 94, (96, -2, True, "差2张（实存少于账面）")),
    (100, 3, 1, 97, (96, 1, True, "差1张（实存多于账面）")),
    (0, 0, 0, 0, (0, 0, False, "账实相符")),
    (0, 0, 0, None, (0, None, False, "尚未盘点")),
    (5000, 4990, 10, 0, (0, 0, False, "账实相符")),
])
def test_balance(allocated: int, issued: int, voided: int, counted: int | None,
                 expected: tuple[int, int | None, bool, str]) -> None:
    assert stock.balance(allocated, issued, voided, counted) == expected


def test_on_hand_may_be_zero_but_not_negative() -> None:
    stock.check_on_hand(0)
    with pytest.raises(RuleError) as info:
        stock.check_on_hand(-1)
    assert info.value.field == "on_hand" and "实存数量" in info.value.message


@pytest.mark.parametrize("value", ["", "   ", None])
def test_register_text_is_required(value: str | None) -> None:
    with pytest.raises(RuleError) as info:
        stock.required_text("reason", "作废原因", value)
    assert info.value.code == "reason_required"
    assert info.value.message == "作废原因：必须填写（《办法》第八条）"
    assert stock.required_text("reason", "作废原因", "  卡面污损 ") == "卡面污损"
