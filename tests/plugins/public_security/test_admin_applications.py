"""The counter's application form (《办法》第十一条至第十三条): the facts go to the same
service as ``POST /applications``; the clerk lands on the application with its outcome and
the paper to print; a refusal shows beside its field and writes nothing."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sqlalchemy import func, select

from core import api as kernel
from core.db import db
from core.models import AuditEvent, Permit
from plugins.public_security.models import Application

from .conftest import DANFENG, XIONGBI
from .test_admin_views import login_as, text_of, web  # noqa: F401

NEW = "/admin/public_security_applications/new/"
COMPLETE = ["id_card", "rental_contract"]


def count(model: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def post(client: Any, id_number: str, **fields: Any) -> Any:
    data = {"holder_id_number": id_number, "basis": ["residence"], "materials": COMPLETE,
            "photos": "2", "applicant": "self", **fields}
    return client.post(NEW, data=data)


def registered(ps: Any, station: str = DANFENG) -> Any:
    holder = ps.holder(name="申领人")
    ps.registration(holder, station_code=station,
                    registered_on=kernel.today() - dt.timedelta(days=200))
    return holder


def test_the_form_is_labelled_and_defaults_to_two_photos_and_self(web: Any, users: Any,
                                                                   ps: Any) -> None:
    html = login_as(web, users, "station_clerk").get(NEW).text
    for label in ("公民身份号码", "受理日期", "申领条件（第十一条，至少一项）", "提交材料（第十二条）",
                  "证件照张数（需2张）", "申领人", "代办人公民身份号码"):
        assert label in text_of(html), label
    assert re.search(r'<input[^>]*id="accepted_on"[^>]*type="date"', html) or \
        re.search(r'<input[^>]*type="date"[^>]*id="accepted_on"', html)
    assert re.search(r'id="photos"[^>]*value="2"', html) or re.search(r'value="2"[^>]*id="photos"',
                                                                      html)
    assert re.search(r'<option selected value="self">', html)
    # every checkbox has its label (keyboard and screen reader), and none is "required" (the
    # browser would demand every box of the list)
    for box in re.findall(r'<input[^>]*type="checkbox"[^>]*>', html):
        assert "required" not in box, box
        box_id = re.search(r'id="([^"]+)"', box).group(1)
        assert f'for="{box_id}"' in html, box


def test_a_complete_application_is_issued_and_opens_with_its_card(web: Any, users: Any,
                                                                  ps: Any) -> None:
    ps.number_range(DANFENG, 5303230019001, 5303230019100)
    holder = registered(ps)
    client = login_as(web, users, "station_clerk")
    r = post(client, holder.id_number)
    assert r.status_code == 302, text_of(r.text)[:500]
    app = db.session.scalar(select(Application).where(Application.holder_id == holder.id))
    assert app.outcome == "issued" and app.materials.count("photo") == 2
    assert r.headers["Location"].endswith(f"/details/?id={app.id}")
    page = client.get(r.headers["Location"]).text
    permit = db.session.scalar(select(Permit).where(Permit.holder_id == holder.id))
    assert f'/api/v1/permits/{permit.number}/card' in page and "打印居住证" in page
    assert "已签发" in text_of(page)
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "application.create")) >= 1


def test_missing_photos_give_the_one_time_notice(web: Any, users: Any, ps: Any) -> None:
    ps.number_range(DANFENG, 5303230019101, 5303230019200)
    holder = registered(ps)
    client = login_as(web, users, "station_clerk")
    r = post(client, holder.id_number, photos="0")
    page = client.get(r.headers["Location"]).text
    app = db.session.scalar(select(Application).where(Application.holder_id == holder.id))
    assert app.outcome == "incomplete" and app.permit_id is None
    assert f"/api/v1/applications/{app.id}/notice" in page and "打印一次性告知书" in page
    assert "证件照" in text_of(page)


def test_refusals_show_beside_the_field_and_write_nothing(web: Any, users: Any,
                                                          ps: Any) -> None:
    ps.number_range(DANFENG, 5303230019201, 5303230019300)
    elsewhere = registered(ps, XIONGBI)
    client = login_as(web, users, "station_clerk")
    before = (count(Application), count(Permit), count(AuditEvent))
    cases = [("530302199001010000", "未找到该持证人"),  # nobody has it
             (elsewhere.id_number, "雄壁派出所")]  # registered at another station (第十三条)
    for number, says in cases:
        r = post(client, number)
        assert r.status_code == 200, number
        errors = re.search(r'(?s)id="holder_id_number".*?</div>\s*</div>', r.text)
        assert says in text_of(r.text) and errors, number
        assert f'value="{number}"' in r.text  # what was typed is kept
    r = post(client, elsewhere.id_number, basis=[])
    assert "请至少选择一项申领条件" in r.text
    assert (count(Application), count(Permit), count(AuditEvent)) == before
