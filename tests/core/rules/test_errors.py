from __future__ import annotations

import pickle
from datetime import date

from core.rules import RuleError, WindowNotOpen


def test_rule_error_carries_field_code_message_basis() -> None:
    err = RuleError("n", "n_out_of_range", "工作日数应为不小于1的整数", "民法典第二百零一条")
    assert isinstance(err, ValueError)
    assert (err.field, err.code, err.basis) == ("n", "n_out_of_range", "民法典第二百零一条")
    assert str(err) == err.message == "工作日数应为不小于1的整数"


def test_rule_errors_survive_pickling_with_their_attributes() -> None:
    err = WindowNotOpen(date(2026, 12, 17), date(2026, 12, 1))
    copy = pickle.loads(pickle.dumps(err))
    assert isinstance(copy, WindowNotOpen)
    assert (copy.field, copy.code, copy.opens) == ("endorsed_on", "window_not_open", err.opens)
    assert str(copy) == str(err)
