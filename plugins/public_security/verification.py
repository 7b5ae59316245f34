"""The signed token on a card's QR code, and what a scan may learn (《办法》第四条; DESIGN §2).

A token names one card serial and the key that sealed it: ``<key id>.<serial in base 36>.<seal>``
where the seal is HMAC-SHA256 over the first two parts, cut to 128 bits and base64url-encoded.
The key lives in configuration (``JUZHU_QR_KEY``); older keys stay in ``JUZHU_QR_OLD_KEYS`` so
cards printed before a rotation still verify. Nothing personal is in the token itself.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from core import api


def _seal(key: str, body: str) -> str:
    digest = hmac.new(key.encode(), body.encode(), hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _b36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if n == 0:
            return out


def token_for(card: Any) -> str:
    """The verification token printed (as a URL) in the card's QR code."""
    cfg = current_app.config
    key_id = cfg["JUZHU_QR_KEY_ID"]
    body = f"{key_id}.{_b36(card.serial)}"
    return f"{body}.{_seal(cfg['JUZHU_QR_KEYS'][key_id], body)}"


def serial_of(token: str) -> int | None:
    """The card serial a genuine token names; None for a forged, garbled or unknown-key token."""
    parts = (token or "").split(".")
    if len(parts) != 3 or len(token) > 120:
        return None
    key_id, serial36, seal = parts
    key = current_app.config["JUZHU_QR_KEYS"].get(key_id)
    if key is None or not hmac.compare_digest(_seal(key, f"{key_id}.{serial36}"), seal):
        return None
    try:
        return int(serial36, 36)
    except ValueError:
        return None


@dataclass(frozen=True)
class Verification:
    """What a scan answers (DESIGN §5 ``GET /verify/{token}``): nothing else personal."""

    valid: bool
    status: str | None  # the permit's status on the day asked
    masked_name: str | None
    valid_until: dt.date | None

    def as_dict(self) -> dict[str, Any]:
        return {"valid": self.valid, "status": self.status, "masked_name": self.masked_name,
                "valid_until": self.valid_until.isoformat() if self.valid_until else None}


FORGED = Verification(False, None, None, None)


def verify(session: Session, token: str, as_of: dt.date) -> Verification:
    """``valid`` when the seal checks and the card is its permit's live card (not void, lost,
    returned or detained). A genuine token of a retired card still says whose permit it was
    (masked) and the permit's status, so the person checking knows the card is not usable."""
    serial = serial_of(token)
    if serial is None:
        return FORGED
    card = session.scalar(select(api.Card).where(api.Card.serial == serial))
    if card is None:
        return FORGED
    permit = card.permit
    status = api.rules.permit_status(permit.valid_until, as_of, permit.revoked_on)
    # Revocation voids the card; the status check is a second lock on the same door.
    return Verification(valid=card.status == "live" and status != "revoked", status=status,
                        masked_name=api.rules.mask_name(permit.holder.name),
                        valid_until=permit.valid_until)
