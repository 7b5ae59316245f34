"""The county profile is data: org units with the codes of DESIGN §2."""

from __future__ import annotations

import json

from sqlalchemy import select

from core.db import db
from core.models import OrgUnit
from core.profile import DEFAULT_PROFILE, load_profile, parse_profile


def test_seeded_org_units(app) -> None:  # type: ignore[no-untyped-def]
    orgs = {o.code: o for o in db.session.scalars(select(OrgUnit))}
    assert orgs["county-psb"].kind == "county_psb"
    assert orgs["station-530323001"].name == "丹凤派出所"
    assert orgs["station-530323001"].division_code == "530323001"
    stations = [o for o in orgs.values() if o.kind == "police_station"]
    assert len(stations) == 10
    assert {"dept-education", "dept-housing", "dept-health", "dept-hrss", "dept-justice",
            "dept-civil-affairs"} <= set(orgs)
    assert {o.county_code for o in orgs.values()} == {"530323"}


def test_profile_comes_from_the_data_file() -> None:
    data = json.loads(DEFAULT_PROFILE.read_text(encoding="utf-8"))
    data["county_code"], data["county_name"] = "530324", "罗平县"
    for t in data["townships"]:
        t["code"] = "530324" + t["code"][6:]
        t["station"]["code"] = "station-" + t["code"]
    other = parse_profile(data)
    assert other.county_code == "530324"
    assert other.station_code_for("530324001005") == "station-530324001"
    shizong = load_profile()
    assert shizong.station_code_for("530323102003") == "station-530323102"
    assert shizong.station_code_for("530324001005") is None
    assert shizong.divisions.township_of("530323001")
    assert shizong.measures_expires_on.isoformat() == "2030-01-31"


def test_profile_changes_are_applied_and_audited(app) -> None:  # type: ignore[no-untyped-def]
    from core.models import AuditEvent
    from core.seed import seed_profile

    org = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "station-530323001"))
    org.name = "旧名称"
    db.session.commit()
    assert seed_profile(app.extensions["juzhu"].profile) == 1
    db.session.commit()
    assert org.name == "丹凤派出所"
    last = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert last.action == "org.update" and last.old["name"] == "旧名称"


def test_floating_classification_with_the_shipped_profile() -> None:
    """《办法》第二条 on the real data file, the cases of DESIGN §3."""
    import pytest

    from core.rules import RuleError, classify_floating

    county = load_profile().divisions
    danfeng, yangyue, xiongbi = "530323001001", "530323002003", "530323102005"
    assert classify_floating("110101", danfeng, county).floating  # another province
    assert classify_floating("530302", danfeng, county).floating  # another county of Yunnan
    assert not classify_floating("530323102000", xiongbi, county).floating  # same township
    assert not classify_floating("530323001000", yangyue, county).floating  # seat to seat
    assert classify_floating("530323102000", danfeng, county).floating  # town to seat
    assert classify_floating("530323001000", xiongbi, county).floating  # seat to town
    with pytest.raises(RuleError) as info:
        classify_floating("530323", danfeng, county)  # only the county code: ask, not guess
    assert info.value.field == "hukou_division_code" and "第二条" in info.value.message
    with pytest.raises(RuleError) as info:
        classify_floating("110101", "530324001001", county)
    assert info.value.code == "outside_county"
