"""人力资源和社会保障: Social insurance, training and employment services, qualification exams (art18.2, art18.7, art18.8).

《办法》第十八条（二）（七）（八）. This plugin talks to the kernel only through :mod:`core.api`.
"""

from __future__ import annotations

from pathlib import Path

from core import api

DEPARTMENT = "dept-hrss"
TITLE = "人力资源和社会保障"
ARTICLES = "《办法》第十八条（二）（七）（八）"


@api.hookimpl
def register_migrations() -> Path:
    return Path(__file__).parent / "migrations" / "versions"
