"""Public pages: the page a card's QR code opens (no login; nothing personal beyond §3 masking)."""

from __future__ import annotations

from flask import Blueprint


def blueprint() -> Blueprint:
    return Blueprint("public_security_pages", __name__)
