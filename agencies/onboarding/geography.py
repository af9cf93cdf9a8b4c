"""U.S. states and their counties (or county equivalents: parishes, boroughs, independent cities) from the Census
county list shipped in the `addfips` package, so an applicant's county is checked against a real list offline."""

from __future__ import annotations

import csv
import difflib
import re
from functools import lru_cache
from importlib.resources import files

from addfips import AddFIPS

from contracts.services.contracts import US_STATES

STATE_CHOICES = [("", "— choose a state —"), *sorted(US_STATES.items(), key=lambda kv: kv[1])]


@lru_cache(maxsize=1)
def _fips() -> AddFIPS:
    return AddFIPS()


@lru_cache(maxsize=1)
def _county_names() -> dict[str, dict[str, str]]:
    """{state FIPS: {county FIPS: official name}} (the first name listed for a code)."""
    names: dict[str, dict[str, str]] = {}
    with files("addfips").joinpath("data/counties_2020.csv").open("rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            names.setdefault(row["statefp"], {}).setdefault(row["countyfp"], row["name"])
    return names


def counties_of(state: str) -> list[str]:
    """The official county names of a state (two-letter code), sorted; [] for an unknown state."""
    state_fips = _fips().get_state_fips(state) if state else None
    if state_fips is None:
        return []
    return sorted(_county_names().get(state_fips, {}).values())


def county_lookup(*, state: str, county: str) -> tuple[str, str] | None:
    """(official name, five-digit FIPS) of `county` in `state`, accepting "Orange", "orange county", "St. Johns";
    None when the state has no such county."""
    county = re.sub(r"\s+", " ", (county or "").strip())
    if not state or not county or len(county) > 100:
        return None
    state_fips = _fips().get_state_fips(state)
    if state_fips is None:
        return None
    code = _fips().get_county_fips(county, state)
    if code is None:
        return None
    name = _county_names().get(state_fips, {}).get(code[2:])
    return (name, code) if name else None


_SUFFIX = re.compile(r" (County|Parish|Borough|Census Area|Municipality|City and Borough)$", re.IGNORECASE)


def county_suggestions(*, state: str, county: str, limit: int = 3) -> list[str]:
    """Official names close to a county that was not found ("Orang" -> ["Orange County"])."""
    by_bare = {_SUFFIX.sub("", name).lower(): name for name in counties_of(state)}
    wanted = _SUFFIX.sub("", (county or "").strip()[:100]).lower()
    return [by_bare[bare] for bare in difflib.get_close_matches(wanted, list(by_bare), n=limit, cutoff=0.6)]
