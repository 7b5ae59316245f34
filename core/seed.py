"""`juzhu init`: bring the schema up to date, seed the county profile, add demo data once."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from sqlalchemy import func, select

from core import audit, migrate
from core.auth import ensure_roles
from core.db import db
from core.models import AuditHead, OrgUnit, User
from core.profile import Profile


def seed_profile(profile: Profile) -> int:
    """Create or update the org units of the profile; returns how many changed. Audited."""
    session = db.session
    ensure_roles(session)
    if session.get(AuditHead, profile.county_code) is None:
        session.add(AuditHead(county_code=profile.county_code, seq=0, seal=audit.GENESIS))
        session.flush()
    existing = {o.code: o for o in session.scalars(select(OrgUnit))}
    changed = 0
    for seed in profile.orgs:
        new = {"name": seed.name, "kind": seed.kind, "division_code": seed.division_code,
               "county_code": profile.county_code}
        org = existing.get(seed.code)
        if org is None:
            session.add(OrgUnit(code=seed.code, **new))
            audit.record(session, action="org.create", entity="org_unit", entity_id=seed.code,
                         new=new)
            changed += 1
        else:
            old = {k: getattr(org, k) for k in new}
            if old != new:
                for k, v in new.items():
                    setattr(org, k, v)
                audit.record(session, action="org.update", entity="org_unit",
                             entity_id=seed.code, old=old, new=new)
                changed += 1
    return changed


def init(app: Flask, demo: bool, as_of: dt.date) -> dict[str, int | bool]:
    """Upgrade, seed and (first time only) add demo data, each in one transaction."""
    migrate.upgrade(app)
    state = app.extensions["juzhu"]
    with app.app_context():
        changed = seed_profile(state.profile)
        db.session.commit()
        seeded_demo = False
        if demo and not db.session.scalar(select(func.count()).select_from(User)):
            state.hooks.seed_demo(session=db.session, profile=state.profile, as_of=as_of)
            db.session.commit()
            seeded_demo = True
    return {"orgs_changed": changed, "demo_seeded": seeded_demo}
