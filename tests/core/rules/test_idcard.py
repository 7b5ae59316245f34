from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.rules import (
    PROVINCE_CODES,
    CitizenId,
    RuleError,
    check_id_agrees,
    id_check_char,
    parse_id_number,
)


def with_check(first17: str) -> str:
    return first17 + id_check_char(first17)


# --- valid numbers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "number", "region", "birth", "sex"),
    [
        # DESIGN §3's masking example is a valid number.
        ("530323199001011234", "530323199001011234", "530323", date(1990, 1, 1), "male"),
        # GB 11643-1999's own example, check character X, female.
        ("11010519491231002X", "11010519491231002X", "110105", date(1949, 12, 31), "female"),
        ("11010519491231002x", "11010519491231002X", "110105", date(1949, 12, 31), "female"),
        ("  11010519491231002X\t", "11010519491231002X", "110105", date(1949, 12, 31), "female"),
        # Full-width digits typed with a Chinese input method.
        ("１１０１０５１９４９１２３１００２ｘ", "11010519491231002X", "110105",
         date(1949, 12, 31), "female"),
        # A retired region code stays valid: only the province is checked.
        (with_check("53039919800229001"), with_check("53039919800229001"), "530399",
         date(1980, 2, 29), "male"),
        (with_check("82000019000101002"), with_check("82000019000101002"), "820000",
         date(1900, 1, 1), "female"),
    ],
)
def test_valid_numbers(raw: str, number: str, region: str, birth: date, sex: str) -> None:
    assert parse_id_number(raw) == CitizenId(number, region, birth, sex)  # type: ignore[arg-type]


# --- each failure has its own code -------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "id_number_format"),
        ("53032319900101123", "id_number_format"),  # 17 characters
        ("5303231990010112345", "id_number_format"),  # 19 characters
        ("53032319900101X234", "id_number_format"),  # X not last
        ("53032319900101123Y", "id_number_format"),
        ("530323 19900101123", "id_number_format"),
        ("530323900101123", "id_number_format"),  # old 15-digit numbers are not accepted
        (with_check("99032319900101123"), "id_number_region"),
        (with_check("00032319900101123"), "id_number_region"),
        (with_check("72032319900101123"), "id_number_region"),
        (with_check("83032319900101123"), "id_number_region"),
        (with_check("16032319900101123"), "id_number_region"),
        (with_check("53032319000229123"), "id_number_birth_date"),  # 1900 is not leap
        (with_check("53032318991231123"), "id_number_birth_date"),  # before 1900
        (with_check("53032319901301123"), "id_number_birth_date"),
        (with_check("53032319900230123"), "id_number_birth_date"),
        (with_check("53032319900100123"), "id_number_birth_date"),
        ("530323199001011235", "id_number_checksum"),
        ("110105194912310021", "id_number_checksum"),
        ("440524188001010014", "id_number_birth_date"),  # GB example born 1880: too early
    ],
)
def test_invalid_numbers(raw: str, code: str) -> None:
    with pytest.raises(RuleError) as info:
        parse_id_number(raw)
    err = info.value
    assert (err.field, err.code) == ("id_number", code)
    assert "公民身份号码" in err.message and "GB 11643-1999" in err.message
    assert err.basis == "GB 11643-1999"


def test_checksum_message() -> None:
    with pytest.raises(RuleError, match=r"^公民身份号码校验位错误（GB 11643-1999）$"):
        parse_id_number("530323199001011235")


def test_non_string_is_a_format_error() -> None:
    with pytest.raises(RuleError) as info:
        parse_id_number(None)  # type: ignore[arg-type]
    assert info.value.code == "id_number_format"


def test_region_is_checked_before_checksum() -> None:
    # Wrong province and wrong check character: the region is reported.
    with pytest.raises(RuleError) as info:
        parse_id_number("990323199001011234")
    assert info.value.code == "id_number_region"


@pytest.mark.parametrize(
    ("as_of", "ok"),
    [(date(2026, 12, 4), False), (date(2026, 12, 5), True), (date(2027, 1, 1), True), (None, True)],
)
def test_birth_date_after_as_of(as_of: date | None, ok: bool) -> None:
    number = with_check("53032320261205001")
    if ok:
        assert parse_id_number(number, as_of=as_of).birth_date == date(2026, 12, 5)
    else:
        with pytest.raises(RuleError) as info:
            parse_id_number(number, as_of=as_of)
        assert info.value.code == "id_number_birth_date"


# --- agreement with the recorded fields (《办法》第四条) -----------------------------------

PARSED = parse_id_number("530323199001011234")  # male, 1990-01-01


@pytest.mark.parametrize(
    ("birth", "sex"),
    [
        (date(1990, 1, 1), "male"),
        (None, None),
        (date(1990, 1, 1), None),
        (None, "male"),
        (date(1990, 1, 1), "男"),
    ],
)
def test_agreeing_fields(birth: date | None, sex: str | None) -> None:
    check_id_agrees(PARSED, birth, sex)


@pytest.mark.parametrize(
    ("birth", "sex", "field", "code"),
    [
        (date(1990, 1, 2), "male", "birth_date", "id_number_birth_mismatch"),
        (date(1990, 1, 2), None, "birth_date", "id_number_birth_mismatch"),
        (date(1990, 1, 1), "female", "sex", "id_number_sex_mismatch"),
        (None, "女", "sex", "id_number_sex_mismatch"),
        (None, "unknown", "sex", "sex_invalid"),
    ],
)
def test_disagreeing_fields(birth: date | None, sex: str | None, field: str, code: str) -> None:
    with pytest.raises(RuleError) as info:
        check_id_agrees(PARSED, birth, sex)
    assert (info.value.field, info.value.code) == (field, code)
    assert "《办法》第四条" in info.value.message


def test_female_number_disagrees_with_male() -> None:
    parsed = parse_id_number("11010519491231002X")
    with pytest.raises(RuleError, match="性别"):
        check_id_agrees(parsed, date(1949, 12, 31), "male")


@pytest.mark.parametrize("bad", ["", "1234567890123456", "123456789012345678", "1234567890123456a"])
def test_id_check_char_needs_17_digits(bad: str) -> None:
    with pytest.raises(ValueError):
        id_check_char(bad)


# --- properties ----------------------------------------------------------------------------


@settings(max_examples=200, deadline=None, database=None)
@given(
    province=st.sampled_from(sorted(PROVINCE_CODES)),
    rest=st.from_regex(r"[0-9]{4}", fullmatch=True),
    birth=st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
    seq=st.integers(min_value=0, max_value=999),
)
def test_generated_numbers_round_trip(province: str, rest: str, birth: date, seq: int) -> None:
    first17 = f"{province}{rest}{birth:%Y%m%d}{seq:03d}"
    number = with_check(first17)
    parsed = parse_id_number(number.lower())
    assert parsed.number == number
    assert parsed.birth_date == birth
    assert parsed.sex == ("male" if seq % 2 else "female")
    # Any other check character is refused.
    for wrong in "0123456789X":
        if wrong != number[-1]:
            with pytest.raises(RuleError) as info:
                parse_id_number(first17 + wrong)
            assert info.value.code == "id_number_checksum"
