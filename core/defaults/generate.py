"""The kernel's part of ``juzhu demo generate``: the holders (《办法》第四条) and the residence
each one came to, with realistic spreads — ages (working age the majority, some children and
elderly), both sexes, many ethnicities, hukou from real counties near and far and from other
townships of the county (《办法》第二条: floating only when the move crosses a township, not
between two county-seat subdistricts), arrivals over the last six years.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from typing import Any

from sqlalchemy.orm import Session

from core.api import hookimpl
from core.generate import Population
from core.generate_places import (COMMUNITIES, COUNTIES, ETHNICITY_WEIGHTS, GIVEN_FEMALE,
                                  GIVEN_MALE, STREETS, SURNAMES, VILLAGES)
from core.models import Holder, Residence
from core.rules import add_years

# (lowest age, highest age, weight): 9% minors, 83% of working age, 8% over 60.
AGES = ((0, 15, 7), (16, 17, 2), (18, 29, 25), (30, 44, 33), (45, 59, 25), (60, 80, 8))
IN_COUNTY_SHARE = 0.12  # hukou in another township of the county
ARRIVAL_DAYS = 6 * 365  # arrivals spread over the last six years

HOLDER_COLUMNS = ("id", "name", "sex", "ethnicity", "birth_date", "id_number", "hukou_address",
                  "hukou_division_code", "phone")
RESIDENCE_COLUMNS = ("id", "holder_id", "address", "division_code", "from_date", "to_date")


class Places:
    """Where generated people come from and live, drawn with weights."""

    def __init__(self, population: Population) -> None:
        towns = list(population.profile.divisions.townships.values())
        self.towns = towns
        self.counties = [c for c in COUNTIES if c[0] != population.profile.county_code]
        self.county_weights = list(itertools.accumulate(c[2] for c in self.counties))
        # the county seat draws more people than the townships
        self.town_weights = list(itertools.accumulate(3 if t.county_seat else 1 for t in towns))
        self.prefix = (population.profile.divisions.county_name, population.profile.county_code)
        self.province_city = "云南省曲靖市"

    def hukou(self, rng: random.Random, here: Any) -> tuple[str, str, str]:
        """(division code, address, ID region code) of a hukou from which living in ``here``
        makes a floating person."""
        if rng.random() < IN_COUNTY_SHARE:
            choices = [t for t in self.towns if t.code9 != here.code9
                       and not (t.county_seat and here.county_seat)]
            home = rng.choice(choices)
            village = rng.randint(1, 8)
            code = f"{home.code9}{200 + village:03d}"
            address = (f"{self.province_city}{self.prefix[0]}{home.name}"
                       f"{VILLAGES[village - 1]}村{rng.randint(1, 120)}号")
            return code, address, self.prefix[1]
        code, prefix, _w = rng.choices(self.counties, cum_weights=self.county_weights)[0]
        return code, f"{prefix}{rng.choice(STREETS)}{rng.randint(1, 300)}号", code

    def residence(self, rng: random.Random) -> tuple[Any, str, str]:
        """(township, 12-digit code, address) of a residence in the county."""
        town = rng.choices(self.towns, cum_weights=self.town_weights)[0]
        if rng.random() < 0.6:
            n = rng.randint(1, len(COMMUNITIES))
            code = f"{town.code9}{n:03d}"
            place = f"{COMMUNITIES[n - 1]}社区{rng.choice(STREETS)}{rng.randint(1, 400)}号"
        else:
            n = rng.randint(1, len(VILLAGES))
            code = f"{town.code9}{200 + n:03d}"
            place = f"{VILLAGES[n - 1]}村{rng.randint(1, 200)}号"
        return town, code, f"{town.name}{place}"


def _birth(rng: random.Random, as_of: dt.date) -> dt.date:
    low, high, _w = rng.choices(AGES, weights=[a[2] for a in AGES])[0]
    age = rng.randint(low, high)
    return add_years(as_of, -age) - dt.timedelta(days=rng.randint(1, 364))


def _name(rng: random.Random, sex: str) -> str:
    pool = GIVEN_MALE if sex == "male" else GIVEN_FEMALE
    given = rng.choice(pool) + (rng.choice(pool) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def generate(session: Session, population: Population) -> None:
    rng = population.rng("holders")
    places = Places(population)
    ethnicities = [e for e, _w in ETHNICITY_WEIGHTS]
    eth_weights = list(itertools.accumulate(w for _e, w in ETHNICITY_WEIGHTS))
    as_of = population.as_of
    residence_id = population.next_id(Residence)
    ids = iter(population.holder_ids)
    left = population.count
    adult_from = add_years(as_of, -16)  # phones for those over 16
    while left:
        size = min(left, 5000)
        holders, residences = [], []
        for holder_id in itertools.islice(ids, size):
            sex = "male" if rng.random() < 0.52 else "female"
            town, res_code, res_address = places.residence(rng)
            hukou_code, hukou_address, region = places.hukou(rng, town)
            id_number, birth = population.new_id_number(region, _birth(rng, as_of), sex)
            earliest = max(birth, as_of - dt.timedelta(days=ARRIVAL_DAYS))
            arrived = earliest + dt.timedelta(days=rng.randint(0, (as_of - earliest).days))
            phone = f"1{rng.choice('3456789')}{rng.randint(0, 999_999_999):09d}" \
                if birth < adult_from else None
            holders.append((holder_id, _name(rng, sex), sex,
                            rng.choices(ethnicities, cum_weights=eth_weights)[0], birth,
                            id_number, hukou_address, hukou_code, phone))
            residences.append((residence_id, holder_id, res_address, res_code, arrived, None))
            residence_id += 1
        population.bulk_insert(Holder, holders, HOLDER_COLUMNS)
        population.bulk_insert(Residence, residences, RESIDENCE_COLUMNS)
        population.progress(size)
        left -= size


@hookimpl
def generate_demo(session: Session, population: Population) -> None:
    generate(session, population)
