"""Holders' photos (《办法》第四条): files in ``<instance>/photos/`` under generated names.

Only the name is in the database (``Holder.photo``). Names are generated (hex + extension),
never the uploader's, so Chinese file names cannot collide or vanish and no name can reach
outside the folder; anything else is treated as no photo. Uploading (with Pillow checks)
belongs to the privacy work; here a photo is only read, for pages that may show it.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

from flask import current_app

NAME_RE = re.compile(r"^[0-9a-f]{16,64}\.(jpg|png)$")
MIME = {"jpg": "image/jpeg", "png": "image/png"}


def photo_folder() -> Path:
    return Path(current_app.config["JUZHU_INSTANCE"]) / "photos"


def photo_data_uri(name: str | None) -> str | None:
    """A ``data:`` URI of the photo called ``name`` (embedded: print views make no request
    a second role could replay), or None when there is none or the name is not ours."""
    match = NAME_RE.match(name or "")
    if not match:
        return None
    path = photo_folder() / match.group(0)
    if not path.is_file():
        return None
    return f"data:{MIME[match.group(1)]};base64,{base64.b64encode(path.read_bytes()).decode()}"
