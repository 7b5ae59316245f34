from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.rules import (
    EndorsementResult,
    RuleError,
    Window,
    WindowNotOpen,
    endorse,
    endorsement_window,
    measures_warning,
    permit_status,
    residence_eligible_from,
    valid_until_for,
)

DATES = st.dates(min_value=date(2016, 1, 1), max_value=date(2090, 12, 31))


@pytest.mark.parametrize(
    ("registered_on", "eligible_from"),
    [
        (date(2026, 1, 10), date(2026, 7, 10)),  # DESIGN §3
        (date(2025, 8, 31), date(2026, 2, 28)),
        (date(2025, 12, 31), date(2026, 6, 30)),
        (date(2024, 2, 29), date(2024, 8, 29)),
    ],
)
def test_residence_eligible_from(registered_on: date, eligible_from: date) -> None:
    assert residence_eligible_from(registered_on) == eligible_from


@pytest.mark.parametrize(
    ("issued_on", "valid_until"),
    [
        (date(2026, 1, 15), date(2027, 1, 15)),  # DESIGN §3
        (date(2024, 2, 29), date(2025, 2, 28)),
        (date(2026, 12, 31), date(2027, 12, 31)),
    ],
)
def test_valid_until_for(issued_on: date, valid_until: date) -> None:
    assert valid_until_for(issued_on) == valid_until


@pytest.mark.parametrize(
    ("valid_until", "opens"),
    [
        (date(2027, 1, 15), date(2026, 12, 17)),  # DESIGN §3
        (date(2028, 3, 1), date(2028, 2, 1)),  # leap February inside the window
        (date(2027, 3, 1), date(2027, 1, 31)),
    ],
)
def test_endorsement_window(valid_until: date, opens: date) -> None:
    window = endorsement_window(valid_until)
    assert window == Window(opens, valid_until)
    assert window.days == 30
    assert opens in window and valid_until in window
    assert opens - timedelta(days=1) not in window
    assert valid_until + timedelta(days=1) not in window


@pytest.mark.parametrize(
    ("as_of", "revoked_on", "status"),
    [
        (date(2026, 1, 15), None, "valid"),
        (date(2027, 1, 15), None, "valid"),  # valid through valid_until
        (date(2027, 1, 16), None, "suspended"),  # suspended the day after
        (date(2030, 1, 1), None, "suspended"),
        (date(2026, 6, 1), date(2026, 6, 1), "revoked"),
        (date(2026, 5, 31), date(2026, 6, 1), "valid"),
        (date(2027, 2, 1), date(2027, 3, 1), "suspended"),
        (date(2027, 3, 1), date(2027, 3, 1), "revoked"),
    ],
)
def test_permit_status(as_of: date, revoked_on: date | None, status: str) -> None:
    assert permit_status(date(2027, 1, 15), as_of, revoked_on) == status


SINCE = date(2026, 1, 10)


@pytest.mark.parametrize(
    ("endorsed_on", "expected"),
    [
        # On time: one more year, residence date unchanged.
        (date(2026, 12, 17), EndorsementResult(False, date(2028, 1, 15), SINCE)),
        (date(2027, 1, 1), EndorsementResult(False, date(2028, 1, 15), SINCE)),
        (date(2027, 1, 15), EndorsementResult(False, date(2028, 1, 15), SINCE)),
        # Late: valid one year from the late day; residence years restart that day.
        (date(2027, 1, 16), EndorsementResult(True, date(2028, 1, 16), date(2027, 1, 16))),
        (date(2027, 6, 1), EndorsementResult(True, date(2028, 6, 1), date(2027, 6, 1))),
        (date(2028, 2, 29), EndorsementResult(True, date(2029, 2, 28), date(2028, 2, 29))),
    ],
)
def test_endorse(endorsed_on: date, expected: EndorsementResult) -> None:
    assert endorse(date(2027, 1, 15), SINCE, endorsed_on) == expected


@pytest.mark.parametrize("endorsed_on", [date(2026, 12, 16), date(2026, 6, 1), date(2026, 1, 15)])
def test_endorse_before_the_window(endorsed_on: date) -> None:
    with pytest.raises(WindowNotOpen) as info:
        endorse(date(2027, 1, 15), SINCE, endorsed_on)
    err = info.value
    assert isinstance(err, RuleError)
    assert (err.field, err.code) == ("endorsed_on", "window_not_open")
    assert err.opens == date(2026, 12, 17)
    assert err.basis == "《办法》第十四条"
    assert "2026年12月17日" in err.message and "《办法》第十四条" in err.message


@pytest.mark.parametrize(
    ("as_of", "warns"),
    [(date(2026, 12, 4), False), (date(2030, 1, 31), False), (date(2030, 2, 1), True)],
)
def test_measures_warning(as_of: date, warns: bool) -> None:
    warning = measures_warning(as_of)
    if warns:
        assert warning is not None
        assert "《办法》第二十三条" in warning and "2030年1月31日" in warning
    else:
        assert warning is None


def test_measures_warning_with_another_expiry() -> None:
    assert measures_warning(date(2026, 1, 1), expires_on=date(2025, 12, 31)) is not None
    assert measures_warning(date(2025, 12, 31), expires_on=date(2025, 12, 31)) is None


# --- properties ----------------------------------------------------------------------------


@settings(max_examples=200, deadline=None, database=None)
@given(valid_until=DATES)
def test_window_is_always_the_last_30_days(valid_until: date) -> None:
    window = endorsement_window(valid_until)
    assert window.closes == valid_until
    assert window.days == 30


@settings(max_examples=200, deadline=None, database=None)
@given(valid_until=DATES, offset=st.integers(min_value=-29, max_value=800))
def test_endorsement_never_moves_validity_backwards(valid_until: date, offset: int) -> None:
    since = valid_until - timedelta(days=400)
    endorsed_on = valid_until + timedelta(days=offset)
    result = endorse(valid_until, since, endorsed_on)
    assert result.valid_until > valid_until
    assert result.late is (endorsed_on > valid_until)
    # Right after endorsing, the permit is valid again and stays so for about a year.
    assert permit_status(result.valid_until, endorsed_on) == "valid"
    assert result.valid_until >= endorsed_on + timedelta(days=365)
    assert result.continuous_residence_since == (endorsed_on if result.late else since)


@settings(max_examples=100, deadline=None, database=None)
@given(valid_until=DATES, early=st.integers(min_value=30, max_value=400))
def test_anything_before_the_window_is_refused(valid_until: date, early: int) -> None:
    with pytest.raises(WindowNotOpen):
        endorse(valid_until, valid_until, valid_until - timedelta(days=early))
