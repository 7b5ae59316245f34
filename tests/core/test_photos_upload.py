"""Photo uploads on the holder form (issue 5 item 5): Pillow checks, generated names in
<instance>/photos/, re-upload replaces the reference, audited; real images made with Pillow."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import select

from core.clock import today
from core.db import db
from core.defaults.demo import demo_id
from core.models import AuditEvent, Holder
from core.photos import NAME_RE, PhotoError, check_photo, photo_data_uri, photo_folder

PASSWORD = "pass-word-1"
BIRTH = dt.date(1990, 3, 7)


def image_bytes(size: tuple[int, int] = (358, 441), kind: str = "JPEG", **save: Any) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (210, 228, 245)).save(out, kind, **save)
    return out.getvalue()


def form(seq: int, **extra: Any) -> dict[str, Any]:
    return {"name": "上传人", "sex": "male", "ethnicity": "汉族", "birth_date": BIRTH.isoformat(),
            "id_number": demo_id("360102", BIRTH, seq, "male"), "hukou_address": "江西省南昌市东湖区",
            "hukou_division_code": "360102", "phone": "", **extra}


def login(app: Any, users: Any, role: str, org: str | None = None) -> Any:
    user, _ = users(role, org)
    client = app.test_client()
    assert client.post("/login", data={"username": user.username, "password": PASSWORD}
                       ).status_code == 302
    return client


def upload(data: bytes, filename: str) -> tuple[io.BytesIO, str]:
    return (io.BytesIO(data), filename)


def holder_by_seq(seq: int) -> Holder | None:
    db.session.expire_all()
    return db.session.scalar(select(Holder).where(
        Holder.id_number == demo_id("360102", BIRTH, seq, "male")))


def test_check_photo_accepts_jpeg_and_png_and_refuses_the_rest() -> None:
    assert check_photo(image_bytes()).extension == "jpg"
    assert check_photo(image_bytes(kind="PNG")).extension == "png"
    for raw, word in [
        (b"\xff\xd8\xff not really a jpeg, just text", "不是可识别的图片"),
        (image_bytes(kind="GIF"), "只接受 JPEG 或 PNG"),
        (image_bytes((200, 260)), "太小"),
        (image_bytes((600, 400)), "横幅"),
        (b"", "文件为空"),
    ]:
        with pytest.raises(PhotoError) as err:
            check_photo(raw)
        assert word in err.value.message and err.value.message.startswith("相片：")
        assert "《办法》第四条" in err.value.message


def test_re_encoding_drops_exif_and_appended_bytes() -> None:
    exif = Image.Exif()
    exif[0x010F] = "Secret Camera Maker"  # Make
    raw = image_bytes(exif=exif.tobytes()) + b"<?php echo 1; ?>"
    checked = check_photo(raw)
    assert b"Secret Camera Maker" not in checked.data and b"<?php" not in checked.data
    with Image.open(io.BytesIO(checked.data)) as again:
        assert again.size == (358, 441) and again.format == "JPEG"


def test_station_clerk_uploads_a_photo_with_a_chinese_file_name(app: Any, users: Any) -> None:
    client = login(app, users, "station_clerk", "station-530323001")
    r = client.post("/admin/holders/new/", data=form(31, photo_upload=upload(
        image_bytes(), "张三 证件照（正面）.jpg")), content_type="multipart/form-data")
    assert r.status_code == 302, r.get_data(as_text=True)[:2000]
    holder = holder_by_seq(31)
    assert holder is not None and NAME_RE.match(holder.photo)
    assert "张三" not in holder.photo and holder.photo.endswith(".jpg")
    files = [p.name for p in photo_folder().iterdir()]
    assert holder.photo in files and not any("张三" in f or "证件照" in f for f in files)
    assert photo_data_uri(holder.photo).startswith("data:image/jpeg;base64,")
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "holder.create", AuditEvent.entity_id == str(holder.id))).one()
    assert event.new["photo"] == holder.photo


@pytest.mark.parametrize(("data", "filename", "message"), [
    (b"this is a text file, not a photo\n" * 20, "照片.jpg", "不是可识别的图片文件"),
    (image_bytes((2400, 3200), quality=100, subsampling=0) + b"\0" * (2 * 1024 * 1024),
     "big.jpg", "超过 2 MB"),
    (image_bytes((240, 320)), "small.png", "太小"),
])
def test_a_bad_upload_is_refused_beside_the_field(app: Any, users: Any, data: bytes,
                                                  filename: str, message: str) -> None:
    client = login(app, users, "station_clerk", "station-530323001")
    r = client.post("/admin/holders/new/", data=form(32, photo_upload=upload(data, filename)),
                    content_type="multipart/form-data")
    assert r.status_code == 200  # the form again, with the message
    page = r.get_data(as_text=True)
    assert message in page and "相片" in page and "《办法》第四条" in page
    assert holder_by_seq(32) is None  # nothing saved
    folder = photo_folder()
    assert not folder.exists() or list(folder.iterdir()) == []


def test_re_upload_replaces_the_reference_and_is_audited(app: Any, users: Any) -> None:
    clerk = login(app, users, "station_clerk", "station-530323001")
    assert clerk.post("/admin/holders/new/", data=form(33, photo_upload=upload(
        image_bytes(), "a.jpg")), content_type="multipart/form-data").status_code == 302
    holder = holder_by_seq(33)
    first = holder.photo
    admin = login(app, users, "county_admin")
    r = admin.post(f"/admin/holders/edit/?id={holder.id}", data=form(33, photo_upload=upload(
        image_bytes((400, 533), kind="PNG"), "新照片.png")), content_type="multipart/form-data")
    assert r.status_code == 302, r.get_data(as_text=True)[:2000]
    holder = holder_by_seq(33)
    assert holder.photo != first and holder.photo.endswith(".png")
    assert not (photo_folder() / first).exists() and (photo_folder() / holder.photo).exists()
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "holder.update", AuditEvent.entity_id == str(holder.id))).one()
    assert (event.old["photo"], event.new["photo"]) == (first, holder.photo)
    # an edit without a file keeps the photo
    r = admin.post(f"/admin/holders/edit/?id={holder.id}", data=form(33, phone="13912345678"),
                   content_type="multipart/form-data")
    assert r.status_code == 302 and holder_by_seq(33).photo == holder.photo


def test_the_form_offers_the_upload_only_to_who_writes(app: Any, users: Any) -> None:
    page = login(app, users, "station_clerk", "station-530323001").get("/admin/holders/new/")
    assert 'type="file"' in page.get_data(as_text=True)
    assert login(app, users, "auditor").get("/admin/holders/new/").status_code in (302, 403)
    assert Path(photo_folder()).name == "photos" and today()
