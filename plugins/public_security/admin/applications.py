"""居住证申领 (《办法》第十一条至第十三条) in the admin: read-only.

Applications are decided by the application service through the API; the admin shows every
application with its outcome and links to its printable notice or decision. There is no
form to issue or to override eligibility here (第九条).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from markupsafe import Markup

from ..materials import BASIS_NAMES, MATERIALS
from ..models import Application
from .base import StationScopedView, chosen, link, masked_id, yes_no

OUTCOMES = {"issued": "已签发", "incomplete": "材料不全（一次性告知）", "ineligible": "不予签发"}
APPLICANTS = {"self": "本人", "guardian": "监护人代为申领", "relative": "近亲属代为申领"}
DOCUMENTS = {"incomplete": "打印一次性告知书", "ineligible": "打印不予签发决定书"}


def _basis(view: Any, context: Any, model: Any, name: str) -> str:
    return "、".join(BASIS_NAMES.get(b, b) for b in model.basis or []) or "（未填）"


def _materials(view: Any, context: Any, model: Any, name: str) -> str:
    counts = Counter(model.materials or [])
    return "、".join(MATERIALS.get(code, code) + (f"×{n}" if n > 1 else "")
                    for code, n in counts.items()) or "（无）"


def _missing(view: Any, context: Any, model: Any, name: str) -> str:
    return "；".join(str(item.get("name", item.get("code"))) for item in model.missing or []) \
        or "无"


def _reasons(view: Any, context: Any, model: Any, name: str) -> Markup:
    """One line per reason: passed or not, its Chinese text and its article (escaped)."""
    lines = [Markup("{}{}（{}）").format("✓ " if r.get("passed") else "✗ ", r.get("text", ""),
                                          r.get("basis", ""))
             for r in model.reasons or []]
    return Markup("<br>").join(lines) if lines else Markup("无")


def _document(view: Any, context: Any, model: Any, name: str) -> Any:
    """The printable paper of the outcome: the card when issued, else the notice."""
    if model.outcome == "issued" and model.permit is not None:
        return link(f"/api/v1/permits/{model.permit.number}/card", "打印居住证")
    if model.outcome in DOCUMENTS:
        return link(f"/api/v1/applications/{model.id}/notice", DOCUMENTS[model.outcome])
    return ""


class ApplicationView(StationScopedView):
    """Every application, whatever its outcome, at the station of the registration."""

    column_list = ["document_number", "holder.name", "holder.id_number", "accepted_on",
                   "outcome", "basis", "permit", "station", "document"]
    column_details_list = ["document_number", "holder.name", "holder.id_number", "station",
                           "registration", "accepted_on", "applicant", "agent_id_number",
                           "limited_mobility", "basis", "materials", "outcome", "missing",
                           "reasons", "permit", "created_at", "document"]
    column_labels = {
        "document_number": "文书编号", "holder.name": "姓名", "holder.id_number": "公民身份号码",
        "station": "受理派出所", "registration": "所依据的暂住登记", "accepted_on": "受理日期",
        "applicant": "申领人", "agent_id_number": "代办人公民身份号码",
        "limited_mobility": "行动不便", "basis": "申领条件（第十一条）",
        "materials": "提交材料（第十二条）", "outcome": "办理结果", "missing": "缺少材料",
        "reasons": "审核理由", "permit": "居住证号码", "created_at": "录入时间",
        "document": "文书",
    }
    column_searchable_list = ["document_number", "holder.name", "holder.id_number"]
    column_filters = ["outcome", "accepted_on"]
    column_choices = {"outcome": list(OUTCOMES.items())}
    column_formatters = {
        "holder.id_number": masked_id("holder.id_number"),
        "agent_id_number": masked_id("agent_id_number"),
        "outcome": chosen("outcome", OUTCOMES),
        "applicant": chosen("applicant", APPLICANTS),
        "limited_mobility": yes_no("limited_mobility", "是", "否"),
        "basis": _basis,
        "materials": _materials,
        "missing": _missing,
        "reasons": _reasons,
        "permit": lambda v, c, m, n: m.permit.number if m.permit else "",
        "registration": lambda v, c, m, n: m.registration.receipt_number if m.registration else "",
        "document": _document,
    }


def views() -> list[Any]:
    return [ApplicationView(Application, "居住证申领", "applications")]
