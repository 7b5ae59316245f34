"""Print views printed to PDF by Chromium (issue 7 item 3): the page size and count, and the
Chinese text a citizen takes home; the card's QR code decoded to the public verification page.

The people are made through the HTTP API with a county admin's token (as another system would);
the browser, logged in as the county admin, opens the print URLs the answers hand out.
``page.pdf`` prints with the page's own print CSS (``@page`` size: A4, or ID-1 for the card).
"""

from __future__ import annotations

import datetime as dt
import io
import secrets
from typing import Any
from urllib.parse import urlsplit

import requests

from core import clock
from core.rules import id_check_char

from .browser import Watch
from .conftest import Server

MM = 72 / 25.4  # PDF points per millimetre
DANFENG_DIVISION = "530323001001"


def id_number(birth: dt.date, seq: int, male: bool) -> str:
    first17 = f"530302{birth:%Y%m%d}{seq % 500 * 2 + (1 if male else 0):03d}"
    return first17 + id_check_char(first17)


class County:
    """The HTTP API as another system uses it, with a county admin's token."""

    def __init__(self, server: Server) -> None:
        token = server.run("user", "create", f"e2e_api_{secrets.token_hex(3)}", "--role",
                           "county_admin", "--token").strip().splitlines()[-1]
        self.url = server.url
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Bearer {token}"

    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        answer = self.http.post(self.url + "/api/v1" + path, json=body)
        assert answer.status_code == 201, answer.text
        return answer.json()

    def person(self, name: str, registered_on: dt.date) -> tuple[int, dict[str, Any]]:
        """A floating person registered at 丹凤 on ``registered_on``: (holder id, receipt)."""
        birth = dt.date(1991, 5, 17)
        holder = self.post("/holders", {
            "name": name, "sex": "female", "ethnicity": "彝族", "birth_date": birth.isoformat(),
            "id_number": id_number(birth, secrets.randbelow(500), False),
            "hukou_address": "云南省红河州个旧市城区", "hukou_division_code": "532501"})
        registration = self.post("/registrations", {
            "holder_id": holder["id"], "residence_address": "丹凤街道翠云社区8号",
            "residence_division_code": DANFENG_DIVISION, "registered_on": registered_on.isoformat(),
            "arrival_date": (registered_on - dt.timedelta(days=2)).isoformat()})
        return holder["id"], registration

    def apply(self, holder_id: int, materials: list[str],
              accepted_on: dt.date | None = None) -> dict[str, Any]:
        return self.post("/applications", {
            "holder_id": holder_id, "accepted_on": (accepted_on or clock.today()).isoformat(),
            "basis": ["residence"], "materials": materials, "applicant": "self"})


def pdf_of(watch: Watch, path: str) -> Any:
    from pypdf import PdfReader

    watch.goto(path)
    data = watch.page.pdf(prefer_css_page_size=True, print_background=True)
    return PdfReader(io.BytesIO(data))


def is_size(page: Any, mm: tuple[float, float]) -> bool:
    """The PDF page measures ``mm`` (width, height) within half a millimetre (Chromium
    rounds page boxes to whole points)."""
    box = page.mediabox
    return (abs(float(box.width) / MM - mm[0]) <= 0.5
            and abs(float(box.height) / MM - mm[1]) <= 0.5)


def text_of(reader: Any) -> str:
    return "".join(page.extract_text() or "" for page in reader.pages).replace(" ", "")


def test_notice_receipt_and_explanation_print_on_a4(watch: Watch, county: County) -> None:
    name = "阿诗玛" + secrets.choice("甲乙丙丁")
    holder_id, registration = county.person(name, clock.today() - dt.timedelta(days=365))
    incomplete = county.apply(holder_id, ["id_card", "rental_contract"])  # no photos
    assert incomplete["outcome"] == "incomplete"
    watch.login("admin")

    receipt = pdf_of(watch, registration["receipt_url"])
    watch.shot("receipt")
    assert len(receipt.pages) == 1 and is_size(receipt.pages[0], (210, 297))
    text = text_of(receipt)
    assert "暂住登记凭证" in text and name in text and registration["receipt_number"] in text

    notice = pdf_of(watch, incomplete["notice_url"])
    watch.shot("notice")
    assert len(notice.pages) == 1 and is_size(notice.pages[0], (210, 297))
    text = text_of(notice)
    assert "一次性告知" in text and name in text and "证件照" in text  # the missing photos
    assert incomplete["document_number"] in text

    explanation = pdf_of(watch, f"/api/v1/holders/{holder_id}/entitlements/print")
    watch.shot("explanation")
    # eleven items of 第十八条, each with its reasons, bases and the standards it used
    assert 2 <= len(explanation.pages) <= 6
    assert all(is_size(p, (210, 297)) for p in explanation.pages)
    text = text_of(explanation)
    assert name in text and "第十八条" in text


def test_the_card_prints_at_id1_and_its_qr_opens_the_public_page(watch: Watch, county: County,
                                                                 browser: Any,
                                                                 server: Server) -> None:
    import zxingcpp
    from PIL import Image

    name = "李" + secrets.choice("梅兰竹菊") + "芳"
    holder_id, _ = county.person(name, clock.today() - dt.timedelta(days=365))
    issued = county.apply(holder_id, ["id_card", "photo", "photo", "rental_contract"])
    assert issued["outcome"] == "issued", issued
    watch.login("admin")
    card_url = f"/api/v1/permits/{issued['permit_number']}/card"

    card = pdf_of(watch, card_url)
    assert len(card.pages) == 2  # front and back, one face per page
    assert all(is_size(p, (85.6, 54)) for p in card.pages)
    text = text_of(card)
    assert name in text and "居住证" in text and issued["permit_number"] in text

    watch.goto(card_url)
    shot = watch.shot("card")
    qr = watch.page.locator(".qr-box svg").first
    raw = qr.screenshot()
    (watch.artifacts / "qr.png").write_bytes(raw)
    png = Image.open(io.BytesIO(raw)).convert("L")
    # enlarged, on a white margin (the quiet zone a reader needs around the symbol)
    big = png.resize((png.width * 6, png.height * 6), Image.NEAREST)
    framed = Image.new("L", (big.width + 80, big.height + 80), 255)
    framed.paste(big, (40, 40))
    decoded = zxingcpp.read_barcodes(framed)
    assert decoded and shot.exists()
    target = decoded[0].text
    assert target.startswith(server.url + "/verify/"), target

    # The public page, opened by anyone (no login): the masked name, never the full one.
    public = Watch(browser, server.url, watch.artifacts / "public")
    try:
        public.goto(urlsplit(target).path + (f"?{urlsplit(target).query}"
                                             if urlsplit(target).query else ""))
        body = public.page.locator("body").inner_text()
        public.shot("verify")
        assert name not in body
        assert name[0] + "*" in body or name[0] + "＊" in body, body
        assert "有效" in body
        public.assert_clean()
    finally:
        public.close()
