"""Facets: counts per category, manufacturer, contract and price band for the current query.

They are computed by the main search statement (GROUPING SETS over the rank window, see engine.py);
this module turns those rows into labelled, ordered values. `exact` is False when the query matched
more items than the window holds: the counts are then those of the first window of matches.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from contracts.catalog.search.query import PRICE_BANDS

MAX_VALUES = 12


@dataclass(frozen=True)
class FacetValue:
    value: str  # what to pass back as the filter (category slug, manufacturer, contract slug, band key)
    label: str
    count: int
    min_price: str = ""
    max_price: str = ""


@dataclass
class Facets:
    category: list[FacetValue] = field(default_factory=list)
    manufacturer: list[FacetValue] = field(default_factory=list)
    contract: list[FacetValue] = field(default_factory=list)
    price_band: list[FacetValue] = field(default_factory=list)
    exact: bool = True

    def as_dict(self) -> dict[str, list[FacetValue]]:
        return {
            "category": self.category,
            "manufacturer": self.manufacturer,
            "contract": self.contract,
            "price_band": self.price_band,
        }


def _top(values: list[FacetValue]) -> list[FacetValue]:
    return sorted(values, key=lambda v: (-v.count, v.label.lower()))[:MAX_VALUES]


def facets_from_rows(rows, *, categories, contracts, exact: bool) -> Facets:
    """rows: (dimension, key, count) as the search statement returns them."""
    facets = Facets(exact=exact)
    bands = {key: (label, low, high) for key, label, low, high in PRICE_BANDS}
    band_values: dict[str, FacetValue] = {}
    for dimension, key, count in rows:
        if key is None:
            continue
        if dimension == "category":
            category = categories.get(int(key))
            if category:
                facets.category.append(FacetValue(category.slug, category.path, count))
        elif dimension == "manufacturer":
            if key:
                facets.manufacturer.append(FacetValue(key, key, count))
        elif dimension == "contract":
            contract = contracts.get(int(key))
            if contract:
                facets.contract.append(FacetValue(contract.slug, f"{contract.number} — {contract.title}", count))
        elif dimension == "price_band" and key in bands:
            label, low, high = bands[key]
            top = "" if high is None else str(high - Decimal("0.01"))
            band_values[key] = FacetValue(key, label, count, min_price=str(low), max_price=top)
    facets.category = _top(facets.category)
    facets.manufacturer = _top(facets.manufacturer)
    facets.contract = _top(facets.contract)
    facets.price_band = [band_values[key] for key, *_ in PRICE_BANDS if key in band_values]
    return facets
