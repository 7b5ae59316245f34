"""Division codes and who counts as floating population (《办法》第二条).

Codes follow GB/T 2260 (6-digit county codes) and the statistical division codes (9-digit
townships, 12-digit villages/communities). Only the county's own townships are known, as
data (a :class:`CountyProfile`); every other code is checked for shape only, because the
platform cannot keep the whole country's list current and a retired code is still a real
hukou address.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from .errors import RuleError

__all__ = [
    "PROVINCE_CODES",
    "Township",
    "CountyProfile",
    "Classification",
    "check_division_code",
    "classify_floating",
]

BASIS = "《办法》第二条"

#: Province-level prefixes of GB/T 2260 (incl. 71 台湾, 81 香港, 82 澳门).
PROVINCE_CODES: frozenset[str] = frozenset(
    [str(n) for n in range(11, 16)]
    + [str(n) for n in range(21, 24)]
    + [str(n) for n in range(31, 38)]
    + [str(n) for n in range(41, 47)]
    + [str(n) for n in range(50, 55)]
    + [str(n) for n in range(61, 66)]
    + ["71", "81", "82"]
)

# Chinese names of the fields that carry a division code, for messages.
FIELD_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "hukou_division_code": "户籍地区划代码",
        "residence_division_code": "居住地区划代码",
        "premises_division_code": "房屋所在地区划代码",
        "division_code": "区划代码",
    }
)

_CODE_SHAPE = re.compile(r"[0-9]{6}|[0-9]{9}|[0-9]{12}")

TownshipKind = Literal["subdistrict", "town", "township"]


def _label(field: str) -> str:
    return FIELD_LABELS.get(field, f"区划代码（{field}）")


@dataclass(frozen=True)
class Township:
    """A township-level division (街道, 镇 or 乡) of the county.

    ``county_seat`` marks the subdistricts of the county seat; moving between two of them is
    the "县城区跨街道" case that 《办法》第二条 excludes from floating population.
    """

    code9: str
    name: str
    kind: TownshipKind
    county_seat: bool = False


@dataclass(frozen=True)
class CountyProfile:
    """The county's own divisions, loaded from data so another county needs only its file."""

    county_code: str
    county_name: str
    townships: Mapping[str, Township]

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[0-9]{6}", self.county_code):
            raise ValueError(f"county_code must be 6 digits, got {self.county_code!r}")
        for key, township in self.townships.items():
            if key != township.code9 or not re.fullmatch(r"[0-9]{9}", key):
                raise ValueError(f"township key {key!r} must be its 9-digit code")
            if not key.startswith(self.county_code):
                raise ValueError(f"township {key} is not inside county {self.county_code}")
        # A read-only view: the profile is shared by every request.
        object.__setattr__(self, "townships", MappingProxyType(dict(self.townships)))

    @classmethod
    def build(
        cls, county_code: str, county_name: str, townships: Iterable[Township]
    ) -> CountyProfile:
        """Make a profile from a list of townships (as read from the profile's data file)."""
        return cls(county_code, county_name, {t.code9: t for t in townships})

    def in_county(self, code: str) -> bool:
        """Whether a 6-, 9- or 12-digit code lies inside this county (a prefix test)."""
        return code[:6] == self.county_code and _CODE_SHAPE.fullmatch(code) is not None

    def township_of(self, code: str) -> Township | None:
        """The township of a 9- or 12-digit code inside the county, or None."""
        if len(code) not in (9, 12) or not self.in_county(code):
            return None
        return self.townships.get(code[:9])


@dataclass(frozen=True)
class Classification:
    """Whether a person is floating population, with the reason in Chinese."""

    floating: bool
    reason: str
    basis: str = BASIS


def check_division_code(code: str, field: str, label: str | None = None) -> str:
    """Check the shape of a division code and return it stripped.

    6, 9 or 12 digits with a real province prefix (GB/T 2260); nothing more is checked for
    codes outside the county. ``label`` overrides the Chinese field name in the message.
    """
    name = label or _label(field)
    value = code.strip() if isinstance(code, str) else ""
    if not _CODE_SHAPE.fullmatch(value) or value[:2] not in PROVINCE_CODES:
        raise RuleError(
            field=field,
            code="division_code_format",
            message=(
                f"{name}格式错误：应为6位、9位或12位数字，且以有效的省级代码开头"
                "（GB/T 2260、统计用区划代码；《办法》第二条）"
            ),
            basis=BASIS,
        )
    return value


def classify_floating(
    hukou_code: str, residence_code: str, profile: CountyProfile
) -> Classification:
    """Decide whether a person is floating population under 《办法》第二条.

    Floating: hukou outside the county (外省 or 本省其他县（市、区）), or hukou in the county
    and residence in another township — except between two county-seat subdistricts
    (县城区跨街道). Not floating: same township, or 县城区跨街道.

    The residence must be a 9- or 12-digit code of a known township of the county
    (``outside_county``, ``residence_township_required`` or ``unknown_township`` otherwise).
    A hukou in the county needs its township: a bare 6-digit county code is refused with
    ``hukou_township_required`` rather than guessed, and an unknown township with
    ``unknown_township``.
    """
    residence = check_division_code(residence_code, "residence_division_code")
    hukou = check_division_code(hukou_code, "hukou_division_code")
    county = profile.county_name

    if not profile.in_county(residence):
        raise RuleError(
            field="residence_division_code",
            code="outside_county",
            message=f"居住地不在{county}辖区内，不适用本办法（《办法》第二条）",
            basis=BASIS,
        )
    if len(residence) == 6:
        raise RuleError(
            field="residence_division_code",
            code="residence_township_required",
            message=(
                f"居住地区划代码只到县级，请填写居住地所在乡镇、街道的9位或12位区划代码"
                "（《办法》第二条）"
            ),
            basis=BASIS,
        )
    here = profile.township_of(residence)
    if here is None:
        raise RuleError(
            field="residence_division_code",
            code="unknown_township",
            message=f"居住地区划代码{residence}不是{county}的乡镇、街道（《办法》第二条）",
            basis=BASIS,
        )

    if not profile.in_county(hukou):
        where = (
            "本省其他县（市、区）" if hukou[:2] == profile.county_code[:2] else "外省"
        )
        return Classification(
            floating=True,
            reason=(
                f"户籍所在地在{where}，离开户籍所在地来到{county}居住，"
                "属于流动人口（《办法》第二条）"
            ),
        )
    if len(hukou) == 6:
        raise RuleError(
            field="hukou_division_code",
            code="hukou_township_required",
            message=(
                f"户籍地在{county}，请填写户籍所在乡镇、街道的9位或12位区划代码，"
                "以判断是否跨乡镇、街道居住（《办法》第二条）"
            ),
            basis=BASIS,
        )
    home = profile.township_of(hukou)
    if home is None:
        raise RuleError(
            field="hukou_division_code",
            code="unknown_township",
            message=f"户籍地区划代码{hukou}不是{county}的乡镇、街道（《办法》第二条）",
            basis=BASIS,
        )

    if home.code9 == here.code9:
        return Classification(
            floating=False,
            reason=(
                f"户籍所在地与居住地同在{here.name}，未跨乡镇、街道居住，"
                "不属于流动人口（《办法》第二条）"
            ),
        )
    if home.county_seat and here.county_seat:
        return Classification(
            floating=False,
            reason=(
                f"由{home.name}到{here.name}居住，属县城区跨街道之间居住，"
                "不属于流动人口（《办法》第二条）"
            ),
        )
    return Classification(
        floating=True,
        reason=(
            f"户籍在{county}{home.name}，在{here.name}居住，"
            "属于在本县内跨乡镇、街道居住的流动人口（《办法》第二条）"
        ),
    )
