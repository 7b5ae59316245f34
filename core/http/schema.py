"""Request and answer schemas: pydantic models validate requests and generate OpenAPI.

Field titles are Chinese; a field's article goes in ``json_schema_extra={"basis": ...}`` so
every 422 names the field and the article. Dates are strict ``YYYY-MM-DD`` strings.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import (BaseModel, BeforeValidator, ConfigDict, Field, ValidationError,
                      WithJsonSchema, model_validator)
from pydantic_core import InitErrorDetails, PydanticCustomError

from core.rules.errors import RuleError

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date(value: Any) -> Any:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or not _DATE_RE.match(value):
        raise ValueError("日期格式应为 YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError("不是有效的日期") from None


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date),
                    WithJsonSchema({"type": "string", "format": "date"})]


def field(title: str, basis: str | None = None, **kw: Any) -> Any:
    extra = {"basis": basis} if basis else None
    return Field(title=title, json_schema_extra=extra, **kw)


#: The largest value of a database id column (PostgreSQL INTEGER) and of any other integer
#: column (BIGINT; card serials and number ranges).
DB_INT_MAX = 2**31 - 1
DB_BIGINT_MAX = 2**63 - 1


class In(BaseModel):
    """Base of request bodies: unknown fields are refused, strings are stripped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @model_validator(mode="after")
    def _fits_a_column(self) -> Any:
        """An integer the database cannot hold names nothing and counts nothing: refuse it
        as invalid input (422 naming the field) instead of letting the driver fail (500:
        SQLite OverflowError, PostgreSQL "integer out of range"). Ids (``id``, ``*_id``) are
        INTEGER columns; other integers at most BIGINT. Text with a NUL character is refused
        the same way.

        One check per model over its values, not a validator per field: a field validator
        on "*" cost a Python call for every field of every request, 60 % of validating a
        bulk import's row."""
        errors = []
        for name, value in self.__dict__.items():
            kind = type(value)
            if kind is str or kind is list:
                # A NUL character is no text anyone types: PostgreSQL refuses it in a text
                # column (500 "cannot contain NUL"), SQLite would store it silently. A plain
                # ``in`` for the common case, a str: no generator per field.
                if ("\x00" in value if kind is str
                        else any(type(t) is str and "\x00" in t for t in value)):
                    errors.append(InitErrorDetails(
                        type=PydanticCustomError("value_error", "不能含有空字符（NUL）"),
                        loc=(name,), input=value))
            elif kind is int:  # not bool
                bound = DB_INT_MAX if name == "id" or name.endswith("_id") else DB_BIGINT_MAX
                if not -bound <= value <= bound:
                    errors.append(InitErrorDetails(
                        type=PydanticCustomError(
                            "value_error", "数值超出可处理的范围（绝对值不超过 {bound}）",
                            {"bound": bound}),
                        loc=(name,), input=value))
        if errors:
            raise ValidationError.from_exception_data(type(self).__name__, errors)
        return self


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class ReasonOut(Out):
    """One reason of an entitlement decision (DESIGN §4), shared by every answer that carries
    reasons, so the OpenAPI document has one schema for it."""

    code: str
    passed: bool
    text: str = Field(description="中文说明")
    basis: str = Field(description="依据，例如《办法》第十四条")


class ErrorBody(Out):
    error: str = Field(description="机器可读的错误代码")
    message: str = Field(description="中文说明")
    fields: dict[str, list[str]] = Field(default_factory=dict, description="字段 → 错误说明")


_TYPE_MESSAGES = {
    "missing": "必须填写",
    "extra_forbidden": "不允许的字段",
    "string_type": "应为字符串",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "list_type": "应为数组",
    "string_too_short": "不能为空",
    "string_too_long": "过长",
    "string_pattern_mismatch": "格式不正确",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
    "greater_than": "数值过小",
    "less_than": "数值过大",
    "model_type": "应为 JSON 对象",
    "dict_type": "应为 JSON 对象",
}


def _describe(model: type[BaseModel], loc: tuple[Any, ...]) -> tuple[str, str | None]:
    """The Chinese title and article of the field at `loc` (top-level fields)."""
    if loc and isinstance(loc[0], str) and loc[0] in model.model_fields:
        info = model.model_fields[loc[0]]
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        return info.title or str(loc[0]), extra.get("basis")  # type: ignore[return-value]
    return ".".join(str(p) for p in loc) or "请求体", None


def translate(model: type[BaseModel], exc: ValidationError) -> dict[str, list[str]]:
    """Pydantic errors → {field: [Chinese message naming the field and its article]}."""
    fields: dict[str, list[str]] = {}
    for err in exc.errors():
        loc = tuple(err["loc"])
        name = ".".join(str(p) for p in loc) or "_body"
        title, basis = _describe(model, loc)
        original = (err.get("ctx") or {}).get("error")
        if isinstance(original, RuleError):
            text, basis = original.message, None  # already names field and article
            name = original.field if original.field in model.model_fields else name
        elif err["type"] in ("literal_error", "enum"):
            text = f"{title}：取值无效，可选 {err['ctx'].get('expected', '')}"
        elif err["type"] == "value_error":
            text = f"{title}：{original or err['msg']}"
        else:
            text = f"{title}：{_TYPE_MESSAGES.get(err['type'], '取值无效')}"
        if basis:
            text += f"（{basis}）"
        fields.setdefault(name, []).append(text)
    return fields
