from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.rules import COMPOUND_SURNAMES, mask_id_number, mask_name, mask_phone


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("530323199001011234", "530323********1234"),  # DESIGN §3
        ("11010519491231002X", "110105********002X"),
        (" 530323199001011234 ", "530323********1234"),
        ("530323900101123", "530323*****1123"),  # an old 15-digit number
        ("12345678901", "123456*8901"),
        ("1234567890", "**********"),  # too short to show 6 + 4: fully masked
        ("12", "**"),
        ("", ""),
        (None, None),
    ],
)
def test_mask_id_number(value: str | None, masked: str | None) -> None:
    assert mask_id_number(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("13812345678", "138****5678"),  # DESIGN §3
        (" 13812345678 ", "138****5678"),
        ("087412345678", "087*****5678"),
        ("12345678", "123*5678"),
        ("1234567", "*******"),
        ("", ""),
        (None, None),
    ],
)
def test_mask_phone(value: str | None, masked: str | None) -> None:
    assert mask_phone(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("张三", "张*"),  # DESIGN §3
        ("欧阳娜娜", "欧阳**"),  # DESIGN §3: compound surname kept
        ("欧阳娜", "欧阳*"),
        ("诸葛亮", "诸葛*"),
        ("司马相如", "司马**"),
        ("上官婉儿", "上官**"),
        ("欧阳", "欧*"),  # two characters: read as surname 欧 + given name 阳
        ("张", "*"),  # a single character is masked fully
        ("王小明", "王**"),
        ("欧小明", "欧**"),  # 欧 alone is an ordinary surname
        ("  李四 ", "李*"),
        # Characters outside the BMP (GB 18030 rare characters) count as one each.
        ("𪚥𠀀", "𪚥*"),
        ("王𠀀𠀁", "王**"),
        ("\U00020000明", "\U00020000*"),
        # An ideographic variation sequence is one character.
        ("葛\U000e0100优", "葛\U000e0100*"),
        ("李\U000e0101\U00020001", "李\U000e0101*"),
        # Minority and foreign names keep their separators.
        ("买买提·艾力", "买**·**"),
        ("JOHN SMITH", "J*** *****"),
        ("", ""),
        (None, None),
    ],
)
def test_mask_name(value: str | None, masked: str | None) -> None:
    assert mask_name(value) == masked


def test_compound_surname_list_has_the_common_ones() -> None:
    common = """欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙
                夏侯 轩辕 令狐 宇文 司徒 端木 申屠 独孤 南宫 呼延"""
    for surname in common.split():
        assert surname in COMPOUND_SURNAMES
    assert all(len(s) == 2 for s in COMPOUND_SURNAMES)


NAME_CHARS = st.characters(
    min_codepoint=0x4E00, max_codepoint=0x2A6DF,
    categories=("Lo",),
)


@settings(max_examples=200, deadline=None, database=None)
@given(name=st.text(NAME_CHARS, min_size=2, max_size=8))
def test_masked_name_keeps_length_and_hides_the_given_name(name: str) -> None:
    masked = mask_name(name)
    assert len(masked) == len(name)
    assert masked[0] == name[0]
    assert masked[-1] == "*"
    assert masked != name


@settings(max_examples=200, deadline=None, database=None)
@given(value=st.text(st.characters(min_codepoint=0x30, max_codepoint=0x39), max_size=20))
def test_masked_numbers_never_show_the_whole_value(value: str) -> None:
    for masked in (mask_id_number(value), mask_phone(value)):
        assert len(masked) == len(value)
        if value:
            assert "*" in masked
