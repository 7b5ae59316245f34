"""Form fields the counter's forms share."""

from __future__ import annotations

from wtforms import SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget


class CheckboxList(SelectMultipleField):
    """Several choices as a list of labelled checkboxes (keyboard: Tab and Space), for the
    materials a citizen hands over."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()
