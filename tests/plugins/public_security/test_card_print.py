"""GET /api/v1/permits/{number}/card: the ID-1 card print view with every item of 《办法》第四条
and a QR code that decodes to the public verification page."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
import zxingcpp
from PIL import Image, ImageDraw

from core import api as kernel
from core.db import db
from plugins.public_security import qr, verification

from .conftest import DANFENG, DANFENG_CODE, XIONGBI


def card_permit(ps: Any, name: str = "张伟", **kw: Any) -> Any:
    holder = ps.holder(name=name, ethnicity="彝族", sex="female",
                       hukou_address="云南省曲靖市麒麟区南宁街道幸福路8号")
    db.session.add(kernel.Residence(holder_id=holder.id, address="丹凤街道龙庆路12号",
                                    division_code=DANFENG_CODE, from_date=dt.date(2025, 7, 1)))
    db.session.commit()
    return ps.permit(holder, issued_on=kw.pop("issued_on", kernel.today() - dt.timedelta(days=30)),
                     **kw)


def get_card(api: Any, permit: Any, token: str | None) -> Any:
    return api("GET", f"/permits/{permit.number}/card", token)


def svg_to_png(svg: str) -> Image.Image:
    """Draw the page's inline SVG (segno: one path of M/m moves and h runs, one module per
    unit) with Pillow, as a phone camera would see the printed code."""
    match = re.search(r'viewBox="0 0 (\d+) (\d+)".*?\sd="([^"]+)"', svg, re.S)
    assert match, svg[:200]
    width, height, path = int(match[1]), int(match[2]), match[3]
    scale = 10
    img = Image.new("L", (width * scale, height * scale), 255)
    draw = ImageDraw.Draw(img)
    x = y = 0.0
    for cmd, args in re.findall(r"([MmHh])([^MmHh]*)", path):
        nums = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", args)]
        if cmd == "M":
            x, y = nums
        elif cmd == "m":
            x, y = x + nums[0], y + nums[1]
        elif cmd == "h":
            row = int(y)  # segno draws each row's run along its middle (y + .5)
            draw.rectangle([x * scale, row * scale, (x + nums[0]) * scale - 1,
                            (row + 1) * scale - 1], fill=0)
            x += nums[0]
        else:
            raise AssertionError(f"unexpected SVG path command {cmd}")
    return img


def decode(img: Image.Image) -> str:
    found = zxingcpp.read_barcodes(img)
    assert len(found) == 1, found
    return found[0].text


def test_segno_png_round_trip() -> None:
    url = "http://localhost/verify/abcd1234.5x.AbCdEfGhIjKlMnOpQrStUv"
    buf = io.BytesIO()
    qr.qr_code(url).save(buf, kind="png", scale=8)
    buf.seek(0)
    assert decode(Image.open(buf)) == url


@pytest.mark.parametrize("role, org", [("county_admin", None), ("station_clerk", DANFENG),
                                       ("police_officer", None)])
def test_card_renders_every_item_of_article_4(ps, users, api, role, org) -> None:  # type: ignore[no-untyped-def]
    permit = card_permit(ps)
    holder, card = permit.holder, permit.live_card
    db.session.add(kernel.Endorsement(permit_id=permit.id, station_id=permit.station_id,
                                      endorsed_on=dt.date(2026, 12, 20), late=False,
                                      valid_until_before=dt.date(2027, 1, 15),
                                      valid_until_after=dt.date(2028, 1, 15)))
    db.session.commit()
    _, token = users(role, org)
    r = get_card(api, permit, token)
    assert r.status_code == 200 and r.mimetype == "text/html"
    assert r.headers["Cache-Control"] == "no-store"
    html = r.get_data(as_text=True)
    assert '<html lang="zh-CN">' in html and "85.6mm 54mm" in html
    for label in ("姓名", "性别", "民族", "出生日期", "公民身份号码", "相片", "常住户口所在地住址",
                  "居住地住址", "签发机关", "办证单位", "居住证号码", "卡号", "签发日期", "有效期至",
                  "签注记录"):
        assert f">{label}<" in html or f">{label}" in html, label
    for value in ("张伟", "女", "彝族", kernel.zh_date(holder.birth_date), holder.id_number,
                  "云南省曲靖市麒麟区南宁街道幸福路8号", "丹凤街道龙庆路12号", "师宗县公安局",
                  "丹凤派出所", permit.number, str(card.serial), kernel.zh_date(permit.issued_on),
                  kernel.zh_date(permit.valid_until), "2026年12月20日签注，有效期至2028年1月15日"):
        assert value in html, value
    assert html.count('class="face ') == 2  # front and back: two printed pages
    assert '<div class="photo">相片</div>' in html  # no photo yet: an empty framed box
    assert not re.search(r"<(img|script)\b|https?://(?!localhost)", html)


def test_qr_decodes_to_the_verification_page_showing_the_masked_name(ps, users, api, client) -> None:  # type: ignore[no-untyped-def]
    permit = card_permit(ps)
    _, token = users("police_officer")
    html = get_card(api, permit, token).get_data(as_text=True)
    svgs = re.findall(r"<svg\b.*?</svg>", html, re.S)
    assert len(svgs) == 1
    url = decode(svg_to_png(svgs[0]))
    assert url == f"http://localhost/verify/{verification.token_for(permit.live_card)}"
    page = client.get(url.removeprefix("http://localhost")).get_data(as_text=True)
    assert "张*" in page and "张伟" not in page and "有效" in page


def test_public_url_setting_is_the_base_of_the_qr(ps, users, make_app) -> None:  # type: ignore[no-untyped-def]
    permit = card_permit(ps)
    tok = verification.token_for(permit.live_card)
    _, token = users("county_admin")
    public = make_app(JUZHU_PUBLIC_URL="https://juzhu.shizong.example/")
    r = public.test_client().get(f"/api/v1/permits/{permit.number}/card",
                                 headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200
    svg = re.search(r"<svg\b.*?</svg>", r.get_data(as_text=True), re.S)[0]
    assert decode(svg_to_png(svg)) == f"https://juzhu.shizong.example/verify/{tok}"


def test_markup_in_the_name_is_escaped(ps, users, api) -> None:  # type: ignore[no-untyped-def]
    permit = card_permit(ps, name="<b>张</b>三<script>alert(1)</script>")
    _, token = users("county_admin")
    html = get_card(api, permit, token).get_data(as_text=True)
    assert "&lt;b&gt;张&lt;/b&gt;三&lt;script&gt;" in html
    assert "<b>张" not in html and "<script>" not in html


def test_who_may_print(ps, users, api) -> None:  # type: ignore[no-untyped-def]
    permit = card_permit(ps)
    assert get_card(api, permit, users("station_clerk", XIONGBI)[1]).status_code == 403
    for role, org in (("dept_clerk", "dept-education"), ("assistant", None), ("auditor", None)):
        assert get_card(api, permit, users(role, org)[1]).status_code == 403
    assert get_card(api, permit, None).status_code == 401
    r = api("GET", "/permits/404404/card", users("county_admin")[1])
    assert r.status_code == 404 and r.get_json()["error"] == "permit_not_found"


@pytest.mark.parametrize("state, says", [
    ("lost", "挂失作废，尚未补领"), ("detained", "被公安机关扣押"), ("revoked", "void"),
    ("revoked", "live"),  # revoked, its card never voided: still nothing to print
])
def test_permit_without_a_live_card_says_so_without_qr(ps, users, api, state, says) -> None:  # type: ignore[no-untyped-def]
    permit = card_permit(ps)
    card = permit.live_card
    if state == "revoked":
        permit.revoked_on, card.status = kernel.today(), says
        says = f"{kernel.zh_date(kernel.today())}注销"
    else:
        card.status = state
    card.status_on = kernel.today()
    db.session.commit()
    r = get_card(api, permit, users("county_admin")[1])
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert says in html and permit.number in html
    assert "<svg" not in html and 'class="face' not in html


def test_the_holders_photo_is_embedded_and_foreign_names_are_ignored(ps, users, api, app) -> None:  # type: ignore[no-untyped-def]
    from core.photos import photo_folder

    permit = card_permit(ps)
    folder = photo_folder()
    folder.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    Image.new("RGB", (60, 80), (200, 180, 160)).save(buf, "PNG")
    (folder / "a1b2c3d4e5f60718.png").write_bytes(buf.getvalue())
    _, token = users("police_officer")

    permit.holder.photo = "a1b2c3d4e5f60718.png"
    db.session.commit()
    html = get_card(api, permit, token).get_data(as_text=True)
    assert '<img src="data:image/png;base64,' in html and 'alt="持证人相片"' in html
    assert "http" not in html.split('<div class="photo">')[1].split("</div>")[0]  # no request

    # only generated names inside the photo folder are read: nothing else can be reached
    permit.holder.photo = "../keys.json"
    db.session.commit()
    assert '<div class="photo">相片</div>' in get_card(api, permit, token).get_data(as_text=True)
