"""QR codes for print views, drawn on the server as inline SVG (segno, pure Python): a county
intranet prints without image files, CDNs or client-side scripts."""

from __future__ import annotations

import segno
from markupsafe import Markup


def qr_code(data: str) -> segno.QRCode:
    """A regular (not micro) QR code at error level M (segno raises it when room allows):
    a card is handled daily, and M survives the scratches of a wallet."""
    return segno.make(data, error="m", micro=False)


def svg_inline(data: str, *, title: str = "二维码") -> Markup:
    """The code as an ``<svg>`` element sized by CSS (viewBox only), with the standard
    4-module quiet zone. Markup is safe here: segno writes only paths and the fixed title."""
    return Markup(qr_code(data).svg_inline(border=4, omitsize=True, svgclass="qr",
                                           title=title))
