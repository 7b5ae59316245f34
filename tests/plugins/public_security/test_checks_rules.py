"""The pure rules of 第二十一条 checks, table by table: card status after an action, date order,
the county's wall-clock time."""

from __future__ import annotations

import datetime as dt

import pytest

from plugins.public_security.checks import (CardNotDetained, CardNotLive, CardSuperseded,
                                            card_status_after, check_date_order, local_time)

D = dt.date(2026, 6, 1)


@pytest.mark.parametrize("action, status, revoked, other, expected", [
    ("none", "live", False, None, "live"),
    ("none", "lost", False, None, "lost"),
    ("none", "detained", True, None, "detained"),
    ("detain", "live", False, None, "detained"),
    ("detain", "live", True, None, "detained"),  # a live card of a suspended/revoked permit
    ("release", "detained", False, None, "live"),
    ("detain", "detained", False, None, CardNotLive),
    ("detain", "lost", False, None, CardNotLive),
    ("detain", "void", False, None, CardNotLive),
    ("detain", "returned", False, None, CardNotLive),
    ("release", "live", False, None, CardNotDetained),
    ("release", "lost", False, None, CardNotDetained),
    ("release", "detained", True, None, CardSuperseded),
    ("release", "detained", False, 1002, CardSuperseded),
])
def test_card_status_after(action, status, revoked, other, expected) -> None:  # type: ignore[no-untyped-def]
    if isinstance(expected, str):
        assert card_status_after(action, serial=1001, status=status, permit_revoked=revoked,
                                 other_live_serial=other) == expected
        return
    with pytest.raises(expected) as info:
        card_status_after(action, serial=1001, status=status, permit_revoked=revoked,
                          other_live_serial=other)
    err = info.value
    assert err.http_status == 409 and err.field == "action"
    assert "1001" in err.message and "《办法》第二十一条" in err.message


@pytest.mark.parametrize("on, status_on, changes, code", [
    (D, D, True, None),
    (D, D - dt.timedelta(days=5), True, None),
    (D - dt.timedelta(days=1), D, False, None),  # a plain check may predate the status date
    (D - dt.timedelta(days=1), D, True, "checked_before_status"),
    (dt.date(2025, 12, 31), None, False, "checked_before_issue"),
])
def test_check_date_order(on, status_on, changes, code) -> None:  # type: ignore[no-untyped-def]
    def run() -> None:
        check_date_order(on, issued_on=dt.date(2026, 1, 15), status_on=status_on,
                         changes_status=changes)

    if code is None:
        run()
    else:
        with pytest.raises(ValueError) as info:
            run()
        assert info.value.code == code and info.value.field == "checked_at"


def test_local_time_converts_aware_and_keeps_naive() -> None:
    utc = dt.datetime(2026, 12, 31, 17, 0, tzinfo=dt.timezone.utc)
    assert local_time(utc) == dt.datetime(2027, 1, 1, 1, 0)
    naive = dt.datetime(2026, 12, 31, 17, 0)
    assert local_time(naive) == naive
