"""Shared strategies: valid GB 11643 numbers and dates the rules can compute with."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from core.rules import PROVINCE_CODES, id_check_char

# lunardate and chinese-calendar's solar terms stop near 2100; periods need a real year.
DATES = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2090, 12, 31))
BIRTHS = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2026, 12, 31))
SEXES = st.sampled_from(["male", "female"])


@st.composite
def valid_ids(draw: st.DrawFn) -> tuple[str, dt.date, str]:
    """(number, birth date, sex) of a valid 18-character citizen ID number."""
    province = draw(st.sampled_from(sorted(PROVINCE_CODES)))
    rest = draw(st.from_regex(r"[0-9]{4}", fullmatch=True))
    birth = draw(BIRTHS)
    sex = draw(SEXES)
    seq = draw(st.integers(0, 49)) * 2 + (1 if sex == "male" else 0)
    head = draw(st.integers(0, 9))
    first17 = f"{province}{rest}{birth:%Y%m%d}{head}{seq:02d}"
    return first17 + id_check_char(first17), birth, sex
