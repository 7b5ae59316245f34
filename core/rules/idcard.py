"""The 18-character citizen ID number (公民身份号码) of GB 11643-1999.

Layout: 6-digit region code (where the number was first issued), 8-digit birth date,
3-digit sequence (the last one odd for men, even for women), and a check character
(ISO 7064 MOD 11-2). 《办法》第四条 puts the number, birth date and sex on the permit, so the
number must agree with the other two fields.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from operator import mul
from typing import Literal

from .divisions import PROVINCE_CODES
from .errors import RuleError, zh_date

__all__ = ["CitizenId", "parse_id_number", "check_id_agrees", "id_check_char"]

STANDARD = "GB 11643-1999"
AGREE_BASIS = "《办法》第四条"

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
_EARLIEST_BIRTH = date(1900, 1, 1)
_SHAPE = re.compile(r"[0-9]{17}[0-9X]")
_FIRST17 = re.compile(r"[0-9]{17}")
_BYTE_OFFSET = 48 * sum(_WEIGHTS)

Sex = Literal["male", "female"]
_SEX_ZH = {"male": "男", "female": "女"}


@dataclass(frozen=True)
class CitizenId:
    """A checked citizen ID number and what it encodes."""

    number: str
    region_code: str
    birth_date: date
    sex: Sex


def id_check_char(first17: str) -> str:
    """The GB 11643-1999 check character (ISO 7064 MOD 11-2) of the first 17 digits."""
    if not _FIRST17.fullmatch(first17):
        raise ValueError("id_check_char needs exactly 17 ASCII digits")
    return _check_char(first17)


def _check_char(first17: str) -> str:
    # The digits' byte values are 48 + digit, so the weighted sum of the bytes less
    # 48 × the weights' sum is the weighted sum of the digits (a bulk import checks a
    # million numbers: this is several times faster than int() per character).
    total = sum(map(mul, first17.encode("ascii"), _WEIGHTS)) - _BYTE_OFFSET
    return _CHECK_CHARS[total % 11]


def _error(code: str, message: str) -> RuleError:
    return RuleError(field="id_number", code=code, message=message, basis=STANDARD)


def parse_id_number(value: str, as_of: date | None = None) -> CitizenId:
    """Check an 18-character citizen ID number and decode it.

    Accepts surrounding spaces, a lower-case trailing ``x`` and full-width characters
    (typed with a Chinese input method; folded by NFKC); the returned ``number`` is the
    canonical ASCII form. Checks, in order, each with its own ``code`` (field ``id_number``):

    - ``id_number_format``: 17 digits and a digit or X;
    - ``id_number_region``: the first two digits are a real province (the rest of the region
      code is checked for shape only: codes of retired counties stay valid in old numbers);
    - ``id_number_birth_date``: a real date, not before 1900-01-01, and not after ``as_of``
      when given (without a date a future birth date cannot be told);
    - ``id_number_checksum``: the ISO 7064 MOD 11-2 check character.
    """
    text = unicodedata.normalize("NFKC", value).strip() if isinstance(value, str) else ""
    if text.endswith("x"):
        text = text[:-1] + "X"
    if not _SHAPE.fullmatch(text):
        raise _error(
            "id_number_format",
            f"公民身份号码格式错误：应为18位，前17位为数字，最后一位为数字或X（{STANDARD}）",
        )
    if text[:2] not in PROVINCE_CODES:
        raise _error(
            "id_number_region",
            f"公民身份号码的地址码错误：前两位{text[:2]}不是有效的省级行政区划代码（{STANDARD}）",
        )
    try:
        birth = date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        birth = None
    if birth is None or birth < _EARLIEST_BIRTH:
        raise _error(
            "id_number_birth_date",
            f"公民身份号码的出生日期码{text[6:14]}不是有效日期（{STANDARD}）",
        )
    if as_of is not None and birth > as_of:
        raise _error(
            "id_number_birth_date",
            f"公民身份号码的出生日期{zh_date(birth)}晚于{zh_date(as_of)}（{STANDARD}）",
        )
    if _check_char(text[:17]) != text[17]:
        raise _error("id_number_checksum", f"公民身份号码校验位错误（{STANDARD}）")
    return CitizenId(
        number=text,
        region_code=text[:6],
        birth_date=birth,
        # The sequence code's last digit (the 17th character) is odd for men.
        sex="male" if int(text[16]) % 2 else "female",
    )


def check_id_agrees(parsed: CitizenId, birth_date: date | None, sex: str | None) -> None:
    """Raise when the recorded birth date or sex disagrees with the ID number.

    ``None`` means "not given" and is not checked. ``sex`` is ``"male"``/``"female"``
    (``"男"``/``"女"`` also accepted). Codes: ``id_number_birth_mismatch`` (field
    ``birth_date``), ``id_number_sex_mismatch`` and ``sex_invalid`` (field ``sex``).
    Basis: 《办法》第四条 (the permit carries all three) and GB 11643-1999.
    """
    if birth_date is not None and birth_date != parsed.birth_date:
        raise RuleError(
            field="birth_date",
            code="id_number_birth_mismatch",
            message=(
                f"出生日期{zh_date(birth_date)}与公民身份号码中的出生日期"
                f"{zh_date(parsed.birth_date)}不一致（《办法》第四条；{STANDARD}）"
            ),
            basis=AGREE_BASIS,
        )
    if sex is None:
        return
    normalized = {"男": "male", "女": "female"}.get(sex, sex)
    if normalized not in _SEX_ZH:
        raise RuleError(
            field="sex",
            code="sex_invalid",
            message=f"性别应为男或女（《办法》第四条），收到“{sex}”",
            basis=AGREE_BASIS,
        )
    if normalized != parsed.sex:
        raise RuleError(
            field="sex",
            code="id_number_sex_mismatch",
            message=(
                f"性别“{_SEX_ZH[normalized]}”与公民身份号码中的性别"
                f"“{_SEX_ZH[parsed.sex]}”不一致（《办法》第四条；{STANDARD}）"
            ),
            basis=AGREE_BASIS,
        )
