"""Properties of a permit's dates (core/rules/permit_dates.py, 《办法》第十四条)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.rules import (ENDORSEMENT_WINDOW_DAYS, WindowNotOpen, add_years, endorse,
                        endorsement_window, permit_status, valid_until_for)

from .strategies import DATES

PROFILE = settings.get_profile("juzhu-properties")
OFFSET = st.integers(-400, 800)  # days from valid_until: before, in and after the window


@settings(PROFILE)
@given(DATES)
def test_window_is_thirty_days_ending_on_valid_until(valid_until: dt.date) -> None:
    window = endorsement_window(valid_until)
    assert window.closes == valid_until
    assert window.days == ENDORSEMENT_WINDOW_DAYS == 30
    assert (window.closes - window.opens).days == 29
    assert window.opens in window and valid_until in window
    assert window.opens - dt.timedelta(days=1) not in window
    assert valid_until + dt.timedelta(days=1) not in window


@settings(PROFILE)
@given(DATES)
def test_issue_gives_one_year(issued_on: dt.date) -> None:
    valid_until = valid_until_for(issued_on)
    assert valid_until == add_years(issued_on, 1)
    assert 365 <= (valid_until - issued_on).days <= 366


@settings(PROFILE)
@given(DATES, DATES, OFFSET)
def test_endorse_never_moves_valid_until_backwards(valid_until: dt.date, since: dt.date,
                                                   offset: int) -> None:
    endorsed_on = valid_until + dt.timedelta(days=offset)
    window = endorsement_window(valid_until)
    if endorsed_on < window.opens:
        with pytest.raises(WindowNotOpen) as err:
            endorse(valid_until, since, endorsed_on)
        assert err.value.opens == window.opens
        assert err.value.http_status == 409
        assert err.value.code == "window_not_open" and err.value.field == "endorsed_on"
        assert "《办法》第十四条" in err.value.message
        return
    result = endorse(valid_until, since, endorsed_on)
    assert result.valid_until > valid_until
    assert result.valid_until > endorsed_on
    assert permit_status(result.valid_until, endorsed_on) == "valid"
    if endorsed_on <= valid_until:  # in the window: on time, one year more, same residence
        assert not result.late
        assert result.valid_until == add_years(valid_until, 1)
        assert result.continuous_residence_since == since
    else:  # late: restarts on the endorsement day
        assert result.late
        assert result.valid_until == add_years(endorsed_on, 1)
        assert result.continuous_residence_since == endorsed_on


@settings(PROFILE)
@given(DATES, st.lists(st.integers(0, 29), min_size=1, max_size=6))
def test_endorsing_every_year_in_the_window_keeps_residence(issued_on: dt.date,
                                                           days_before: list[int]) -> None:
    valid_until, since = valid_until_for(issued_on), issued_on
    for before in days_before:
        result = endorse(valid_until, since, valid_until - dt.timedelta(days=before))
        assert not result.late and result.continuous_residence_since == issued_on
        assert result.valid_until == add_years(valid_until, 1)
        valid_until = result.valid_until


@settings(PROFILE)
@given(DATES, OFFSET, st.one_of(st.none(), OFFSET))
def test_status_is_valid_through_valid_until(valid_until: dt.date, offset: int,
                                             revoked_offset: int | None) -> None:
    as_of = valid_until + dt.timedelta(days=offset)
    assert permit_status(valid_until, valid_until) == "valid"
    assert permit_status(valid_until, valid_until + dt.timedelta(days=1)) == "suspended"
    assert permit_status(valid_until, as_of) == ("valid" if as_of <= valid_until else "suspended")
    if revoked_offset is not None:
        revoked_on = valid_until + dt.timedelta(days=revoked_offset)
        status = permit_status(valid_until, as_of, revoked_on)
        if as_of >= revoked_on:
            assert status == "revoked"
        else:
            assert status == permit_status(valid_until, as_of)
