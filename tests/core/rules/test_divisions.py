from __future__ import annotations

import pytest

from core.rules import (
    Classification,
    CountyProfile,
    RuleError,
    Township,
    check_division_code,
    classify_floating,
)

# The Shizong profile, from the table in regulation/README.md (the kernel loads the real one
# from its data file).
SHIZONG = CountyProfile.build(
    "530323",
    "师宗县",
    [
        Township("530323001", "丹凤街道", "subdistrict", county_seat=True),
        Township("530323002", "漾月街道", "subdistrict", county_seat=True),
        Township("530323003", "大同街道", "subdistrict", county_seat=True),
        Township("530323102", "雄壁镇", "town", county_seat=False),
        Township("530323103", "葵山镇", "town", county_seat=False),
        Township("530323104", "彩云镇", "town", county_seat=False),
        Township("530323105", "竹基镇", "town", county_seat=False),
        Township("530323202", "龙庆彝族壮族乡", "township", county_seat=False),
        Township("530323203", "五龙壮族乡", "township", county_seat=False),
        Township("530323204", "高良壮族苗族瑶族乡", "township", county_seat=False),
    ],
)

DANFENG = "530323001000"
YANGYUE = "530323002000"
DATONG = "530323003000"
XIONGBI = "530323102000"
GAOLIANG = "530323204000"


# --- shape of codes ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("530323", "530323"),
        ("530323001", "530323001"),
        ("530323001000", "530323001000"),
        (" 110105 ", "110105"),
        ("820000", "820000"),
        ("710000000000", "710000000000"),
        ("539999", "539999"),  # unknown county of a real province: shape only
    ],
)
def test_valid_division_codes(raw: str, expected: str) -> None:
    assert check_division_code(raw, "hukou_division_code") == expected


@pytest.mark.parametrize(
    "raw",
    ["", "53032", "5303231", "53032300100", "5303230010001", "990323", "000000", "72000000",
     "53O323", "５３０３２３", "530-323"],
)
def test_invalid_division_codes(raw: str) -> None:
    with pytest.raises(RuleError) as info:
        check_division_code(raw, "hukou_division_code")
    err = info.value
    assert (err.field, err.code) == ("hukou_division_code", "division_code_format")
    assert "户籍地区划代码" in err.message
    assert "《办法》第二条" in err.message


def test_division_code_message_names_unknown_field_and_label() -> None:
    with pytest.raises(RuleError, match="premises_code"):
        check_division_code("1", "premises_code")
    with pytest.raises(RuleError, match="^房屋地址代码格式错误"):
        check_division_code("1", "premises_code", label="房屋地址代码")


def test_non_string_code_is_a_format_error() -> None:
    with pytest.raises(RuleError):
        check_division_code(530323, "residence_division_code")  # type: ignore[arg-type]


# --- the profile ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("530323001", "丹凤街道"),
        ("530323001000", "丹凤街道"),
        ("530323204205", "高良壮族苗族瑶族乡"),
        ("530323", None),  # a county code has no township
        ("530323999", None),
        ("530302001000", None),
        ("5303230010", None),
    ],
)
def test_township_of(code: str, name: str | None) -> None:
    township = SHIZONG.township_of(code)
    assert (township.name if township else None) == name


@pytest.mark.parametrize(
    ("code", "inside"),
    [("530323", True), ("530323999", True), ("530323001000", True), ("530302", False),
     ("53032", False), ("5303230", False)],
)
def test_in_county(code: str, inside: bool) -> None:
    assert SHIZONG.in_county(code) is inside


def test_profile_is_read_only() -> None:
    with pytest.raises(TypeError):
        new = Township("530323999", "x", "town", False)
        SHIZONG.townships["530323999"] = new  # type: ignore[index]


@pytest.mark.parametrize(
    ("county", "townships"),
    [
        ("53032", {}),
        ("530323", {"530302001": Township("530302001", "x", "town", False)}),
        ("530323", {"530323001": Township("530323002", "x", "town", False)}),
    ],
)
def test_profile_rejects_inconsistent_data(county: str, townships: dict[str, Township]) -> None:
    with pytest.raises(ValueError):
        CountyProfile(county, "x", townships)


# --- 《办法》第二条 -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hukou", "residence", "floating", "phrase"),
    [
        # Hukou outside the county.
        ("110105", DANFENG, True, "外省"),
        ("110105194", DANFENG, True, "外省"),
        ("810000", XIONGBI, True, "外省"),
        ("530302", DANFENG, True, "本省其他县（市、区）"),  # 麒麟区, same province
        ("530302001001", "530323001", True, "本省其他县"),  # a 9-digit residence is accepted
        ("539999", GAOLIANG, True, "本省其他县"),  # unknown county: shape only
        # Same township.
        (DANFENG, DANFENG, False, "同在丹凤街道"),
        ("530323102201", "530323102000", False, "同在雄壁镇"),
        ("530323102", "530323102203", False, "同在雄壁镇"),
        # County seat to county seat: 县城区跨街道.
        (DANFENG, YANGYUE, False, "县城区跨街道"),
        (YANGYUE, DATONG, False, "县城区跨街道"),
        ("530323003", "530323001007", False, "县城区跨街道"),
        # Any other township change inside the county.
        (XIONGBI, DANFENG, True, "跨乡镇、街道"),
        (DANFENG, XIONGBI, True, "跨乡镇、街道"),
        (XIONGBI, GAOLIANG, True, "跨乡镇、街道"),
        ("530323203000", "530323103000", True, "跨乡镇、街道"),
    ],
)
def test_classify_floating(hukou: str, residence: str, floating: bool, phrase: str) -> None:
    result = classify_floating(hukou, residence, SHIZONG)
    assert isinstance(result, Classification)
    assert result.floating is floating
    assert phrase in result.reason
    assert "《办法》第二条" in result.reason
    assert result.basis == "《办法》第二条"


@pytest.mark.parametrize(
    ("hukou", "residence", "field", "code"),
    [
        ("530323", DANFENG, "hukou_division_code", "hukou_township_required"),
        ("530323999000", DANFENG, "hukou_division_code", "unknown_township"),
        ("530323999", XIONGBI, "hukou_division_code", "unknown_township"),
        ("110105", "530302001000", "residence_division_code", "outside_county"),
        ("110105", "110105", "residence_division_code", "outside_county"),
        ("110105", "530323", "residence_division_code", "residence_township_required"),
        ("110105", "530323999000", "residence_division_code", "unknown_township"),
        ("110105", "5303230010", "residence_division_code", "division_code_format"),
        ("99", DANFENG, "hukou_division_code", "division_code_format"),
    ],
)
def test_classify_floating_refuses(hukou: str, residence: str, field: str, code: str) -> None:
    with pytest.raises(RuleError) as info:
        classify_floating(hukou, residence, SHIZONG)
    err = info.value
    assert (err.field, err.code) == (field, code)
    assert "《办法》第二条" in err.message


def test_hukou_township_required_asks_for_the_township_code() -> None:
    with pytest.raises(RuleError) as info:
        classify_floating("530323", XIONGBI, SHIZONG)
    assert "9位或12位" in info.value.message and "乡镇、街道" in info.value.message


def test_same_rule_for_another_county_profile() -> None:
    # Another county with the same measures needs only its own profile.
    other = CountyProfile.build(
        "530302", "麒麟区",
        [Township("530302001", "南宁街道", "subdistrict", True),
         Township("530302100", "某镇", "town", False)],
    )
    assert classify_floating("530323001", "530302001000", other).floating is True
    assert classify_floating("530302100", "530302001000", other).floating is True
    with pytest.raises(RuleError) as info:
        classify_floating("110105", DANFENG, other)
    assert info.value.code == "outside_county"
