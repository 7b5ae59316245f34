"""The counter's endorsement form (《办法》第十四条): the endorsement service decides the
window, lateness, the new validity and the restarted residence date; the clerk lands on the
permit with its new dates; refusals show beside their field and write nothing."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sqlalchemy import func, select

from core import api as kernel
from core.db import db
from core.models import AuditEvent, Endorsement

from .conftest import XIONGBI
from .test_admin_views import login_as, text_of, web  # noqa: F401

NEW = "/admin/public_security_endorsements/new/"
FULL = ["id_card", "permit_card", "rental_contract"]


def count(model: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_late_endorsement_restarts_the_residence_date_on_the_permit_page(
        web: Any, users: Any, ps: Any) -> None:
    today = kernel.today()
    permit = ps.permit(issued_on=today - dt.timedelta(days=400))  # lapsed about a month ago
    lapsed_until = permit.valid_until
    client = login_as(web, users, "station_clerk")
    r = client.post(NEW, data={"permit_number": permit.number, "materials": FULL})
    assert r.status_code == 302, text_of(r.text)[:400]
    assert r.headers["Location"].endswith(f"/public_security_permits/details/?id={permit.id}")
    db.session.expire_all()
    done = db.session.scalar(select(Endorsement).where(Endorsement.permit_id == permit.id))
    assert done.late and done.valid_until_before == lapsed_until
    assert permit.continuous_residence_since == today  # 第十四条: years restart
    page = text_of(client.get(r.headers["Location"]).text)
    assert f"连续居住起算日 {today.isoformat()}" in page
    assert f"有效期至 {permit.valid_until.isoformat()}" in page


def test_refusals_show_beside_the_field_and_write_nothing(web: Any, users: Any,
                                                          ps: Any) -> None:
    today = kernel.today()
    fresh = ps.permit(issued_on=today - dt.timedelta(days=10))  # window not open
    lapsed = ps.permit(issued_on=today - dt.timedelta(days=400))
    other = ps.permit(station_code=XIONGBI, issued_on=today - dt.timedelta(days=400))
    client = login_as(web, users, "station_clerk")
    before = (count(Endorsement), count(AuditEvent))
    cases = [({"permit_number": "999"}, "permit_number", "未找到居住证"),
             ({"permit_number": other.number}, "permit_number", "雄壁派出所"),
             ({"permit_number": fresh.number}, "endorsed_on", "签注"),
             ({"permit_number": lapsed.number, "materials": ["id_card"]}, "materials", "居住证")]
    for data, field, says in cases:
        r = client.post(NEW, data={"materials": FULL, **data})
        assert r.status_code == 200, data
        block = re.search(r'(?s)id="' + field + r'".*?(?=<div class="form-group|</form>)',
                          r.text)
        assert block and says in text_of(block.group(0)), (data, text_of(r.text)[-800:])
    assert (count(Endorsement), count(AuditEvent)) == before
