"""U.S. states and ZIP-code centroids for store locations, offline: the `zipcodes` package (PyPI) ships the USPS ZIP
list with each ZIP's state and centroid, so a store's coordinates are found without calling any service."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import zipcodes

STATES: dict[str, str] = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California", "CO": "Colorado",
    "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia", "FL": "Florida", "GA": "Georgia",
    "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa", "KS": "Kansas",
    "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan",
    "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York", "NC": "North Carolina",
    "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island",
    "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont",
    "VA": "Virginia", "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
    "PR": "Puerto Rico", "GU": "Guam", "VI": "U.S. Virgin Islands", "AS": "American Samoa",
    "MP": "Northern Mariana Islands",
}  # fmt: skip


@dataclass(frozen=True)
class ZipCentroid:
    zip_code: str
    city: str
    state: str
    latitude: Decimal
    longitude: Decimal


@lru_cache(maxsize=4096)
def zip_centroid(zip_code: str) -> ZipCentroid | None:
    """The centroid of a 5-digit ZIP code (ZIP+4 is cut to its first five digits), or None if it is not a known
    U.S. ZIP code (or has no coordinates)."""
    five = (zip_code or "").strip()[:5]
    if len(five) != 5 or not five.isdigit():
        return None
    try:
        found = zipcodes.matching(five)
    except (TypeError, ValueError):
        return None
    if not found or not found[0].get("lat") or not found[0].get("long"):
        return None
    row = found[0]
    return ZipCentroid(
        zip_code=five,
        city=row.get("city") or "",
        state=row.get("state") or "",
        latitude=Decimal(str(row["lat"])).quantize(Decimal("0.000001")),
        longitude=Decimal(str(row["long"])).quantize(Decimal("0.000001")),
    )
