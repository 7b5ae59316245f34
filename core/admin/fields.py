"""Form fields the admin's forms share, so that a clerk can use every form fast (issue 7):

- :class:`DateField`: a native ``<input type="date">`` (the browser's own picker, typed with the
  keyboard, no script), whose refusal of a malformed date names the field in Chinese. The
  model views' scaffolded date columns get it too (:class:`ModelConverter`), instead of
  Flask-Admin's script date picker (``data-role="datepicker"``).
- :class:`HolderIdNumberField`: a holder taken by citizen ID number, marked
  ``data-juzhu-lookup="holder"``; ``core/static/juzhu/lookup.js`` checks its GB 11643 check
  character as it is typed and asks the 持证人 view's look-up (``/admin/holders/lookup/``)
  who it is. :func:`holder_lookup_kw` is the same mark for a field built another way.

Plugins use them through ``core.api`` (``api.DateField``, ``api.HolderIdNumberField``).
"""

from __future__ import annotations

from typing import Any

from flask_admin.contrib.sqla.form import AdminModelConverter
from flask_admin.model.form import converts
from wtforms import DateField as WtDateField
from wtforms import StringField
from wtforms.validators import DataRequired, InputRequired

#: The attribute lookup.js attaches to, and its value for a holder's ID number.
LOOKUP_ATTRIBUTE = "data-juzhu-lookup"
LOOKUP_HOLDER = "holder"


def holder_lookup_kw(**extra: Any) -> dict[str, Any]:
    """``render_kw`` of an input taking a holder's citizen ID number: the look-up's mark, and
    no browser autocompletion or spell check (a number, typed at the counter)."""
    return {LOOKUP_ATTRIBUTE: LOOKUP_HOLDER, "autocomplete": "off", "spellcheck": "false",
            **extra}


class HolderIdNumberField(StringField):
    """The holder of a form, by citizen ID number (公民身份号码), with the look-up while typing.

    ``api.HolderIdNumberField("公民身份号码", validators=[...])``: a ``StringField`` whose input
    carries :func:`holder_lookup_kw`; the form's own validators and service still decide."""

    def __init__(self, label: Any = "公民身份号码", validators: Any = None, **kwargs: Any) -> None:
        kwargs["render_kw"] = holder_lookup_kw(**(kwargs.get("render_kw") or {}))
        super().__init__(label, validators, **kwargs)


def invalid_date_message(label: Any) -> str:
    return f"{label}：不是有效的日期值，请按“年-月-日”填写，例如2026-05-01"


class DateField(WtDateField):
    """A date as a native ``<input type="date">`` (WTForms' ``DateInput``): the browser's picker,
    keyboard entry segment by segment, ISO ``YYYY-MM-DD`` sent. A malformed value is refused
    with a Chinese message naming the field (WTForms' own, "不是有效的日期值", names none)."""

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any) -> None:
        super().__init__(label, validators, **kwargs)
        if self.invalid_value_message is None:
            self.invalid_value_message = invalid_date_message(self.label.text)


class ModelConverter(AdminModelConverter):
    """Flask-Admin's converter for scaffolded model forms, with native date inputs: a Date
    column becomes :class:`DateField` (not the script picker), labelled by the view's
    ``column_labels``; its "required" message names the field."""

    @converts("Date")
    def convert_date(self, field_args: Any, **extra: Any) -> DateField:
        field_args.pop("widget", None)
        label = field_args.get("label")
        for validator in field_args.get("validators", ()):
            if isinstance(validator, (InputRequired, DataRequired)) and not validator.message \
                    and label:
                validator.message = f"请填写{label}"
        return DateField(**field_args)
