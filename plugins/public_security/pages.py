"""Public pages: the page a card's QR code opens (no login; nothing personal beyond §3 masking).

Whoever scans a card — a landlord, an employer, a clinic — learns only whether the card is
good today, the masked name, the permit's status and its last day of validity (《办法》第四条,
DESIGN §5 ``GET /verify/{token}``). The page is standalone: no admin base, no external
resources, so it loads on any phone; it is never cached or indexed, and the token in its URL is
not sent on as a referrer.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, current_app, render_template, url_for

from core import api

from . import verification

#: Headers of both verification answers (this page and its JSON).
PUBLIC_HEADERS = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex",
                  "Referrer-Policy": "no-referrer"}
STATUS_ZH = {"valid": "有效", "suspended": "使用功能中止", "revoked": "已注销"}


def verify_url(token: str) -> str:
    """The absolute URL a card's QR code carries. ``JUZHU_PUBLIC_URL`` (scheme and host the
    public reaches, e.g. ``https://juzhu.example.gov.cn``) wins when set, because cards are
    often printed from an intranet address that a phone outside cannot open; otherwise the
    URL of the request that printed the card."""
    base = current_app.config.get("JUZHU_PUBLIC_URL")
    if base:
        return base.rstrip("/") + url_for("public_security_pages.verify_page", token=token)
    return url_for("public_security_pages.verify_page", token=token, _external=True)


def blueprint() -> Blueprint:
    bp = Blueprint("public_security_pages", __name__,
                   template_folder=str(Path(__file__).parent / "templates"))

    @bp.get("/verify/<token>")
    def verify_page(token: str) -> Response:
        """居住证核验 for a phone that scanned the card: masked name, status, valid until."""
        result = verification.verify(api.db.session, token, api.today())
        html = render_template(
            "public_security/verify_page.html", result=result,
            status_zh=STATUS_ZH.get(result.status or "", ""),
            valid_until=api.zh_date(result.valid_until) if result.valid_until else None)
        resp = Response(html, mimetype="text/html")
        resp.headers.update(PUBLIC_HEADERS)
        # Inline CSS only, nothing else may load.
        resp.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
        return resp

    return bp
