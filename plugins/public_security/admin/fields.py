"""Form fields the counter's forms share."""

from __future__ import annotations

from typing import Any

from wtforms import SelectMultipleField, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget


class CheckboxListWidget(ListWidget):
    """A plain list of checkboxes: Flask-Admin gives every widget ``form-control``, whose fixed
    height would lay the list over the fields below it."""

    def __call__(self, field: Any, **kwargs: Any) -> Any:
        kwargs["class"] = "juzhu-checks"
        return super().__call__(field, **kwargs)


class CheckboxList(SelectMultipleField):
    """Several choices as a list of labelled checkboxes (keyboard: Tab and Space), for the
    materials a citizen hands over."""

    widget = CheckboxListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AtLeastOne:
    """At least one box ticked. Not ``InputRequired``: its ``required`` flag would put
    ``required`` on every checkbox, and the browser would then refuse the form until ALL
    are ticked."""

    def __init__(self, message: str) -> None:
        self.message = message

    def __call__(self, form: Any, field: Any) -> None:
        if not field.data:
            raise ValidationError(self.message)
