"""Masking of personal data shown to roles or pages that need not see it in full (DESIGN §3;
居住证暂行条例第十七条: staff keep holders' personal information confidential).

Shapes: ID numbers keep the first 6 and last 4 characters (530323********1234), phones the
first 3 and last 4 (138****5678), names the first character (张*) or a compound surname
(欧阳**). Every hidden character becomes one ``*``.

Edge cases, decided once: ``None`` stays ``None`` and ``""`` stays ``""`` (nothing to hide);
a value too short to keep its visible parts without revealing everything is masked fully,
so masking never shows a whole value.
"""

from __future__ import annotations

import unicodedata
from typing import overload

__all__ = ["COMPOUND_SURNAMES", "mask_id_number", "mask_phone", "mask_name"]

#: Common two-character surnames (复姓) whose both characters stay visible.
COMPOUND_SURNAMES: frozenset[str] = frozenset(
    """
    欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 夏侯 轩辕 令狐 宇文 司徒 端木 申屠
    独孤 南宫 呼延 西门 东郭 太史 澹台 公冶 宗政 濮阳 淳于 单于 太叔 仲孙 钟离 闻人 万俟
    赫连 鲜于 闾丘 司空 亓官 司寇 子车 颛孙 壤驷 公良 漆雕 乐正 宰父 谷梁 拓跋 夹谷
    百里 东门 南门 羊舌 微生 梁丘 左丘 公西 第五 公羊 巫马 段干
    """.split()
)

# Separators inside a name (minority and foreign names: 买买提·艾力) stay visible; they
# reveal nothing a length does not.
_SEPARATORS = frozenset("·•・‧ ")


def _keep_ends(value: str, head: int, tail: int) -> str:
    if len(value) <= head + tail:
        return "*" * len(value)
    return value[:head] + "*" * (len(value) - head - tail) + value[-tail:]


@overload
def mask_id_number(value: str) -> str: ...
@overload
def mask_id_number(value: None) -> None: ...
def mask_id_number(value: str | None) -> str | None:
    """530323199001011234 → 530323********1234 (first 6 and last 4 kept)."""
    if value is None:
        return None
    return _keep_ends(value.strip(), 6, 4)


@overload
def mask_phone(value: str) -> str: ...
@overload
def mask_phone(value: None) -> None: ...
def mask_phone(value: str | None) -> str | None:
    """13812345678 → 138****5678 (first 3 and last 4 kept)."""
    if value is None:
        return None
    return _keep_ends(value.strip(), 3, 4)


def _characters(text: str) -> list[str]:
    """Split into user-perceived characters: a code point plus any combining marks or
    variation selectors after it (a rare GB 18030 character written with an ideographic
    variation sequence is still one character). Python strings are code points, so
    characters outside the BMP already count as one."""
    chars: list[str] = []
    for cp in text:
        attached = unicodedata.combining(cp) or "\ufe00" <= cp <= "\ufe0f" or (
            "\U000e0100" <= cp <= "\U000e01ef"
        )
        if attached and chars:
            chars[-1] += cp
        else:
            chars.append(cp)
    return chars


@overload
def mask_name(value: str) -> str: ...
@overload
def mask_name(value: None) -> None: ...
def mask_name(value: str | None) -> str | None:
    """张三 → 张*; 欧阳娜娜 → 欧阳**; 买买提·艾力 → 买**·**.

    The first character stays, or both characters of a known compound surname when the
    name is longer than the surname itself (a two-character name starting with 欧阳 is
    read as 欧 + 阳). A one-character name is masked fully.
    """
    if value is None:
        return None
    chars = _characters(value.strip())
    if not chars:
        return ""
    keep = 2 if len(chars) > 2 and "".join(chars[:2]) in COMPOUND_SURNAMES else 1
    if len(chars) <= keep:
        return "*" * len(chars)
    return "".join(chars[:keep]) + "".join(
        c if c in _SEPARATORS else "*" for c in chars[keep:]
    )
