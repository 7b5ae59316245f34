"""民政's part of ``juzhu demo generate``: the coming committee elections (第十八条（一）) of
every community (居委会, codes 001–) and village (村委会, codes 201–) where generated holders
live, held 30–120 days after ``as_of`` with registration closing 20 days before; and voter
applications (《村民委员会组织法》第十三条) from about one in ten adult holders for the election
of the community or village they live in, made in the 60 days up to ``as_of`` (never before
they arrived), so before registration closes.

Each application stores what ``services.apply`` (and the ``reassess`` run on each later
permit issue or endorsement) would: the engine's 第十八条（一） decision on the election day —
the permit's reason on that day, then ``rules.voter_decision`` with the parameters in force
on it — computed from the holder's latest permit (``population.permits_of``) with the same
pure rules, never one engine call per holder. A holder whose permit was revoked applies after
the revocation: no hook reassesses an application when a permit is revoked, so one made
before would still carry the earlier decision. The meeting's decision (第十三条) is recorded for
about one in ten, between the application and ``as_of``; the others are pending."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from sqlalchemy import select

from core import api

from . import rules
from .entitlements import MIN_YEARS, VOTING_AGE
from .models import Election, VoterApplication

COLUMNS = ("id", "name", "division_code", "kind", "held_on", "registration_closes_on")
APPLICATION_COLUMNS = ("id", "election_id", "holder_id", "applied_on", "approved",
                       "approved_on", "eligible", "reasons", "note")
APPLIED_SHARE = 0.1
CHUNK = 5000  # holders drawn per read
DECIDED_SHARE = 0.1
APPLYING_DAYS = 60  # applications come in over the two months before as_of


def generate(session: Any, population: api.Population) -> None:
    rng = population.rng("civil_affairs")
    first, last = population.holder_ids.start, population.holder_ids.stop - 1
    codes = session.scalars(select(api.Residence.division_code).where(
        api.Residence.holder_id.between(first, last)).group_by(api.Residence.division_code)
        .order_by(api.Residence.division_code)).all()
    divisions = population.profile.divisions
    row_id = population.next_id(Election)
    rows = []
    for code in codes:
        kind = "community" if int(code[9:]) < 200 else "village"
        rules.check_division(code, kind, divisions)  # the admin's own check
        town = divisions.township_of(code)
        held = population.as_of + dt.timedelta(days=rng.randint(30, 120))
        name = (f"{town.name}{code[9:]}{'社区居民委员会' if kind == 'community' else '村民委员会'}"
                f"换届选举（合成）")
        rows.append((row_id, name, code, kind, held, held - dt.timedelta(days=20)))
        row_id += 1
    population.bulk_insert(Election, rows, COLUMNS)
    applications(population, {code: (election_id, held, closes)
                              for election_id, _name, code, _kind, held, closes in rows})


def applications(population: api.Population,
                 elections: dict[str, tuple[int, dt.date, dt.date]]) -> None:
    """Voter applications for ``elections`` (by division code: id, election day, closing
    day of registration), drawn from a stream of their own so that the elections' draws
    stay as they were."""
    rng = population.rng("civil_affairs.voter_applications")
    as_of = population.as_of
    # The parameters of 第十八条（一） on an election day (a few dozen distinct days).
    thresholds = lru_cache(maxsize=None)(lambda day: (population.parameter(VOTING_AGE, day),
                                                      population.parameter(MIN_YEARS, day)))
    row_id = population.next_id(VoterApplication)
    ids = population.holder_ids
    for start in range(ids.start, ids.stop, CHUNK):
        chunk = range(start, min(start + CHUNK, ids.stop))
        # Drawn by id first and only those read: nine in ten never apply.
        drawn = [i for i in chunk if rng.random() < APPLIED_SHARE]
        voters = [h for h in population.holders_among(drawn)
                  if population.age(h.birth_date) >= 18]
        permits = population.permits_of(voters)
        rows = []
        for h in voters:
            election_id, held, closes = elections[h.residence_division_code]
            permit = permits.get(h.id)
            earliest = max(h.arrived_on, as_of - dt.timedelta(days=APPLYING_DAYS))
            if permit is not None and permit.revoked_on is not None:
                earliest = max(earliest, permit.revoked_on)
            applied = earliest + dt.timedelta(days=rng.randint(0, (as_of - earliest).days))
            rules.check_applied_on(applied, closes, h.birth_date)  # the service's own check
            since = permit.continuous_residence_since if permit is not None else None
            own = rules.voter_decision(h.birth_date, since, held, *thresholds(held))
            decision = population.with_permit(permit, held, own)
            approved = approved_on = None
            if rng.random() < DECIDED_SHARE:  # the meeting has met (第十三条)
                approved = rng.random() < (0.9 if decision.eligible else 0.3)
                approved_on = applied + dt.timedelta(days=rng.randint(0, (as_of - applied).days))
                rules.check_approval(approved, approved_on, applied, held)
            rows.append((row_id, election_id, h.id, applied, approved, approved_on,
                         decision.eligible, [r.as_dict() for r in decision.reasons], None))
            row_id += 1
        population.bulk_insert(VoterApplication, rows, APPLICATION_COLUMNS)
        population.progress(len(chunk))
