"""The county profile: divisions, stations and departments, loaded from a data file.

The measures are the same for any county that adopts them; what differs is in the profile
(`core/data/shizong.json` by default, `JUZHU_PROFILE` for another file).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from core.rules.divisions import CountyProfile, Township

DEFAULT_PROFILE = Path(__file__).parent / "data" / "shizong.json"


@dataclass(frozen=True)
class OrgSeed:
    code: str
    name: str
    kind: str
    division_code: str | None = None


@dataclass(frozen=True)
class Profile:
    """Everything the kernel knows about its county, as data."""

    divisions: CountyProfile
    province: str
    city: str
    measures_title: str
    measures_issued_on: dt.date | None
    measures_expires_on: dt.date
    orgs: tuple[OrgSeed, ...]
    source: str

    @property
    def county_code(self) -> str:
        return self.divisions.county_code

    @property
    def county_name(self) -> str:
        return self.divisions.county_name

    def station_code_for(self, division_code: str) -> str | None:
        """The police station serving the township of a 9- or 12-digit division code."""
        township = self.divisions.township_of(division_code)
        return f"station-{township.code9}" if township else None


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def parse_profile(data: dict[str, Any], source: str = "<dict>") -> Profile:
    townships = {
        t["code"]: Township(code9=t["code"], name=t["name"], kind=t["kind"],
                            county_seat=bool(t.get("county_seat")))
        for t in data["townships"]
    }
    divisions = CountyProfile(county_code=data["county_code"], county_name=data["county_name"],
                              townships=townships)
    psb = data["county_psb"]
    orgs = [OrgSeed(psb["code"], psb["name"], "county_psb")]
    orgs += [OrgSeed(t["station"]["code"], t["station"]["name"], "police_station", t["code"])
             for t in data["townships"]]
    orgs += [OrgSeed(d["code"], d["name"], "department") for d in data.get("departments", [])]
    measures = data.get("measures", {})
    return Profile(
        divisions=divisions,
        province=data.get("province", ""),
        city=data.get("city", ""),
        measures_title=measures.get("title", ""),
        measures_issued_on=_date(measures.get("issued_on")),
        measures_expires_on=_date(measures.get("expires_on")) or dt.date(2030, 1, 31),
        orgs=tuple(orgs),
        source=source,
    )


@lru_cache(maxsize=8)
def load_profile(path: str | None = None) -> Profile:
    """Load (and cache) the profile at `path`, `JUZHU_PROFILE`, or the Shizong default."""
    file = Path(path or os.environ.get("JUZHU_PROFILE") or DEFAULT_PROFILE)
    with file.open(encoding="utf-8") as fh:
        return parse_profile(json.load(fh), source=str(file))
