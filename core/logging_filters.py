"""Application logs never carry a full ID number or phone (DESIGN §5, 条例第十七条).

:class:`PersonalDataFilter` rewrites every record that passes a handler: the formatted
message, the exception text and the stack are masked like the rest of the platform
(ID numbers first 6 + last 4, phones first 3 + last 4). It masks what *looks* like one — an
18-character run of 17 digits and a digit or X, an 11-digit run starting with 1 — standing
alone (not part of a longer run of digits or letters), so permit numbers (14 digits), card
serials and years are left alone. ``create_app`` installs it on the root logger's handlers
(Python applies a logger's filters only to records logged on that very logger, a handler's
to every record it emits, propagated ones included).
"""

from __future__ import annotations

import logging
import re

ID_NUMBER_RE = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[0-9Xx])(?![0-9A-Za-z])")
PHONE_RE = re.compile(r"(?<![0-9A-Za-z])(1\d{2})\d{4}(\d{4})(?![0-9A-Za-z])")


def mask_text(text: str) -> str:
    """Every ID-number-looking and phone-looking substring of ``text``, masked."""
    text = ID_NUMBER_RE.sub(lambda m: f"{m.group(1)}********{m.group(2)}", text)
    return PHONE_RE.sub(lambda m: f"{m.group(1)}****{m.group(2)}", text)


class PersonalDataFilter(logging.Filter):
    """Masks ID numbers and phones in a record's message, exception and stack; never drops
    a record."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: let the handler report it as usual
            return True
        masked = mask_text(message)
        if masked != message or record.args:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_text(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_text(record.stack_info)
        return True


def install(*loggers: logging.Logger) -> None:
    """Put one :class:`PersonalDataFilter` on every handler of the root logger and of
    ``loggers`` (Flask's default handler included); idempotent. With no root handler, a
    stderr handler for warnings is added, so Python's unfiltered last-resort handler never
    writes a record."""
    from flask.logging import default_handler

    root = logging.getLogger()
    if not root.handlers:
        fallback = logging.StreamHandler()
        fallback.setLevel(logging.WARNING)
        fallback.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(fallback)
    handlers = [*root.handlers, default_handler]
    for logger in loggers:
        handlers += logger.handlers
    for handler in handlers:
        if not any(isinstance(f, PersonalDataFilter) for f in handler.filters):
            handler.addFilter(PersonalDataFilter())
