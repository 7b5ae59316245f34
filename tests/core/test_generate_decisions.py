"""What ``api.Population`` gives a plugin to store decisions in bulk (core/generate.py): the
permit's reason of a day in the engine's wording (第十四条、第十八条), the engine's verdict from a
check's own decision, the dated parameters as the engine reads them, and reading a sample of
holders (``holders_among``, a sparse ``permits_of``) the same as reading them all."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from core import api as kernel
from core.db import db
from core.engine import permit_reason, permit_state
from core.generate import Population
from core.parameters import current_store
from tests.support import GENERATED_AS_OF as AS_OF
from tests.support import generate_demo

COUNT = 300


@pytest.fixture
def population(app: Any) -> Population:
    generate_demo(app, COUNT)
    return Population(db.session, app.extensions["juzhu"].profile, AS_OF, 7, 1, COUNT)


def test_with_permit_is_the_engines_answer(population: Population) -> None:
    holders = next(population.holders(COUNT))
    permits = population.permits_of(holders)
    passing, failing = kernel.Decision(True, ()), kernel.Decision(False, ())
    seen = set()
    for h in holders:
        permit = permits.get(h.id)
        for day in (AS_OF, AS_OF + dt.timedelta(days=90)):
            first = permit_reason(permit_state(db.session, h.id, day))
            got = population.with_permit(permit, day, passing)
            assert got.reasons == (first,) and got.eligible == first.passed, h.id
            assert not population.with_permit(permit, day, failing).eligible
            seen.add(first.text[:4])
        if permit is not None:  # before the issue the engine reads an earlier permit, or none
            with pytest.raises(ValueError):
                population.with_permit(permit, permit.issued_on - dt.timedelta(days=1), passing)
    assert seen == {"持有有效", "居住证（", "未持有《"}  # valid; suspended or revoked; none


def test_parameters_are_the_engines(population: Population) -> None:
    store = current_store(db.session)
    for day in (dt.date(2016, 1, 1), AS_OF, AS_OF + dt.timedelta(days=100)):
        for name in ("housing.max_monthly_income", "civil_affairs.voting_age"):
            assert population.parameter(name, day) == store.value_on(name, day).value
    with pytest.raises(kernel.ParameterError):
        population.parameter("housing.max_monthly_income", dt.date(2015, 12, 31))


def test_a_sample_reads_as_the_whole(population: Population) -> None:
    everyone = next(population.holders(COUNT))
    ids = [h.id for h in everyone][::7]
    sample = population.holders_among(ids)
    assert sample == [h for h in everyone if h.id in set(ids)]
    assert population.holders_among([]) == []
    dense = population.permits_of(everyone)
    sparse = population.permits_of(sample)  # one in seven: its own permits only
    assert sparse == {i: p for i, p in dense.items() if i in set(ids)} and sparse
