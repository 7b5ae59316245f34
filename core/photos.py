"""Holders' photos (《办法》第四条): files in ``<instance>/photos/`` under generated names.

Only the name is in the database (``Holder.photo``). Names are generated (hex + extension),
never the uploader's, so Chinese file names cannot collide or vanish and no name can reach
outside the folder; anything else is treated as no photo.

Uploads (the holder form, :func:`check_photo` then :func:`store_photo`): at most 2 MB; Pillow
must decode it as a JPEG or PNG (the file name and the browser's content type are ignored: a
text file renamed ``.jpg`` is refused); at least 300×400 pixels (a 26×32 mm 证件照 at about
300 dpi), at most 6000×8000, portrait (not wider than high). The picture is re-encoded, so
EXIF (place, device) and anything appended to the file are not kept. Pages show photos only
to the police roles and the county admin (the card print view); no department clerk or
auditor page embeds one.
"""

from __future__ import annotations

import base64
import io
import os
import re
import secrets
from dataclasses import dataclass
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


B4 = "《办法》第四条"
MAX_BYTES = 2 * 1024 * 1024
MIN_SIZE = (300, 400)  # width, height in pixels
MAX_SIZE = (6000, 8000)
FORMATS = {"JPEG": "jpg", "PNG": "png"}


class PhotoError(ValueError):
    """An upload refused; the message is Chinese and names the field (相片) and the article."""

    field = "photo"

    def __init__(self, message: str) -> None:
        super().__init__(f"相片：{message}（{B4}）")
        self.message = str(self)


@dataclass(frozen=True)
class CheckedPhoto:
    data: bytes  # re-encoded: no EXIF, nothing appended
    extension: str  # "jpg" | "png"
    width: int
    height: int


def check_photo(raw: bytes) -> CheckedPhoto:
    """Check an uploaded photo (see the module's docstring) and re-encode it; PhotoError
    says what is wrong. The uploader's file name plays no part."""
    from PIL import Image, UnidentifiedImageError

    if not raw:
        raise PhotoError("文件为空")
    if len(raw) > MAX_BYTES:
        raise PhotoError(f"文件 {len(raw) / 1024 / 1024:.1f} MB，超过 2 MB 上限")
    try:
        with Image.open(io.BytesIO(raw)) as probe:
            kind = probe.format
            width, height = probe.size
            probe.verify()  # the whole file, not just the header
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombError):
        raise PhotoError("不是可识别的图片文件（只接受 JPEG 或 PNG）") from None
    if kind not in FORMATS:
        raise PhotoError(f"格式为 {kind}，只接受 JPEG 或 PNG")
    if width < MIN_SIZE[0] or height < MIN_SIZE[1]:
        raise PhotoError(f"{width}×{height} 像素太小，至少 {MIN_SIZE[0]}×{MIN_SIZE[1]} 像素")
    if width > MAX_SIZE[0] or height > MAX_SIZE[1]:
        raise PhotoError(f"{width}×{height} 像素太大，至多 {MAX_SIZE[0]}×{MAX_SIZE[1]} 像素")
    if width > height:
        raise PhotoError(f"{width}×{height} 为横幅，证件照应为竖幅（高不小于宽）")
    try:
        with Image.open(io.BytesIO(raw)) as image:
            image.load()
            out = io.BytesIO()
            if kind == "JPEG":
                image.convert("RGB").save(out, "JPEG", quality=92)
            else:
                image.save(out, "PNG")
    except (OSError, ValueError):
        raise PhotoError("图片数据损坏，无法读取") from None
    return CheckedPhoto(out.getvalue(), FORMATS[kind], width, height)


def store_photo(photo: CheckedPhoto) -> str:
    """Write a checked photo under a new generated name (32 hex digits + extension) in the
    photo folder, atomically; returns the name for ``Holder.photo``."""
    folder = photo_folder()
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.{photo.extension}"
    temporary = folder / f".{name}.part"
    temporary.write_bytes(photo.data)
    os.replace(temporary, folder / name)
    return name


def remove_photo(name: str | None) -> None:
    """Delete a replaced photo's file (only a name of ours, only inside the folder)."""
    match = NAME_RE.match(name or "")
    if match:
        (photo_folder() / match.group(0)).unlink(missing_ok=True)
