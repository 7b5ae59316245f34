"""Properties of GB 11643-1999 citizen ID numbers (core/rules/idcard.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.rules import RuleError, check_id_agrees, id_check_char, parse_id_number

from .strategies import SEXES, valid_ids

CHARS = "0123456789X"
PROFILE = settings.get_profile("juzhu-properties")


@settings(PROFILE)
@given(valid_ids())
def test_every_valid_number_parses_to_what_it_encodes(case: tuple[str, dt.date, str]) -> None:
    number, birth, sex = case
    parsed = parse_id_number(number, as_of=dt.date(2026, 12, 31))
    assert parsed.number == number
    assert parsed.region_code == number[:6]
    assert parsed.birth_date == birth
    assert parsed.sex == sex
    check_id_agrees(parsed, birth, sex)  # its own birth date and sex agree
    check_id_agrees(parsed, birth, {"male": "男", "female": "女"}[sex])


@settings(PROFILE)
@given(valid_ids())
def test_lower_case_x_spaces_and_full_width_are_the_same_number(
        case: tuple[str, dt.date, str]) -> None:
    number, _birth, _sex = case
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in number)  # ０-９, Ｘ
    for variant in (f"  {number}\t", number.lower(), full_width):
        assert parse_id_number(variant).number == number


@settings(PROFILE)
@given(valid_ids(), st.integers(0, 17), st.sampled_from(CHARS))
def test_changing_any_one_character_is_detected(case: tuple[str, dt.date, str], pos: int,
                                                new: str) -> None:
    """ISO 7064 MOD 11-2: every weight is non-zero modulo the prime 11, so one changed
    character always changes the sum, and the number is never another valid person's."""
    number, _birth, _sex = case
    if number[pos] == new or (pos < 17 and new == "X"):
        new = CHARS[(CHARS.index(number[pos]) + 1) % 10]
    changed = number[:pos] + new + number[pos + 1:]
    assert changed != number
    with pytest.raises(RuleError) as err:
        parse_id_number(changed)
    assert err.value.field == "id_number"
    assert err.value.basis == "GB 11643-1999"
    assert err.value.code in {"id_number_region", "id_number_birth_date", "id_number_checksum"}


@settings(PROFILE)
@given(valid_ids())
def test_the_check_character_is_the_only_one_that_fits(case: tuple[str, dt.date, str]) -> None:
    number, _birth, _sex = case
    assert [c for c in CHARS if c == id_check_char(number[:17])] == [number[17]]
    for c in CHARS.replace(number[17], ""):
        with pytest.raises(RuleError) as err:
            parse_id_number(number[:17] + c)
        assert err.value.code == "id_number_checksum"


@settings(PROFILE)
@given(valid_ids(), SEXES)
def test_other_sex_or_other_birth_date_disagrees(case: tuple[str, dt.date, str],
                                                 other_sex: str) -> None:
    number, birth, sex = case
    parsed = parse_id_number(number)
    if other_sex != sex:
        with pytest.raises(RuleError) as err:
            check_id_agrees(parsed, None, other_sex)
        assert (err.value.field, err.value.code) == ("sex", "id_number_sex_mismatch")
        assert "《办法》第四条" in err.value.message
    with pytest.raises(RuleError) as err:
        check_id_agrees(parsed, birth + dt.timedelta(days=1), None)
    assert (err.value.field, err.value.code) == ("birth_date", "id_number_birth_mismatch")


@settings(PROFILE)
@given(valid_ids())
def test_a_birth_after_as_of_is_refused(case: tuple[str, dt.date, str]) -> None:
    number, birth, _sex = case
    with pytest.raises(RuleError) as err:
        parse_id_number(number, as_of=birth - dt.timedelta(days=1))
    assert err.value.code == "id_number_birth_date"
    assert parse_id_number(number, as_of=birth).birth_date == birth


HOSTILE = st.one_of(
    st.text(),
    st.text(alphabet="0123456789Xx ０１２３４５６７８９Ｘ\u3000", max_size=22),
    st.from_regex(r"[0-9]{17}[0-9Xx]", fullmatch=True),
    st.from_regex(r"\s*[1-8][0-9]{5}(19|20)[0-9]{2}[01][0-9][0-3][0-9][0-9]{3}[0-9Xx]\s*",
                  fullmatch=True),
    st.none(), st.integers(), st.binary(), st.floats(),
)


@settings(PROFILE, max_examples=600)
@given(HOSTILE, st.one_of(st.none(), st.dates()))
def test_anything_else_raises_only_rule_error(value: object, as_of: dt.date | None) -> None:
    try:
        parsed = parse_id_number(value, as_of=as_of)  # type: ignore[arg-type]
    except RuleError as err:
        assert err.field == "id_number"
        assert err.code.startswith("id_number_")
        assert "GB 11643-1999" in err.message
    else:
        assert len(parsed.number) == 18
        assert parsed.number[17] == id_check_char(parsed.number[:17])
        assert as_of is None or parsed.birth_date <= as_of


@settings(PROFILE)
@given(valid_ids(), st.text(max_size=4))
def test_check_id_agrees_raises_only_rule_error_for_any_sex(case: tuple[str, dt.date, str],
                                                           sex: str) -> None:
    parsed = parse_id_number(case[0])
    try:
        check_id_agrees(parsed, None, sex)
    except RuleError as err:
        assert err.field == "sex" and "《办法》第四条" in err.message
    else:
        assert {"男": "male", "女": "female"}.get(sex, sex) == case[2]
