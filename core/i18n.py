"""The kernel's own translation catalogues (core/translations), which fill gaps in the
catalogues the pinned libraries ship."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).parent / "translations"


def compiled(po: Path) -> bytes:
    with po.open("rb") as fh:
        catalog = read_po(fh)
    out = BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def compile_catalogues() -> list[Path]:
    written = []
    for po in sorted(TRANSLATIONS.rglob("*.po")):
        mo = po.with_suffix(".mo")
        mo.write_bytes(compiled(po))
        written.append(mo)
    return written
