"""Nearest stores: a supplier's locally owned stores closest to a point (an agency's facility).

Suppliers have few stores, so the distance (haversine, in miles) is computed in Python over one query
of the suppliers' active stores. Used by buyer search and item pages (and later for local fulfilment).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from suppliers.models import StoreLocation

EARTH_RADIUS_MILES = 3958.8


@dataclass(frozen=True)
class NearbyStore:
    id: int
    supplier_id: int
    name: str
    address: str
    city: str
    state: str
    postal_code: str
    phone: str
    locally_owned: bool
    distance_miles: Decimal


def haversine_miles(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(math.sqrt(a))


def nearest_stores(*, supplier_ids, latitude, longitude, limit: int = 2) -> dict[int, list[NearbyStore]]:
    """supplier id -> its `limit` nearest active stores whose service radius covers the point."""
    if latitude is None or longitude is None or not supplier_ids:
        return {}
    stores = StoreLocation.objects.filter(supplier_id__in=set(supplier_ids), is_active=True)
    found: dict[int, list[NearbyStore]] = defaultdict(list)
    for store in stores:
        miles = haversine_miles(float(latitude), float(longitude), float(store.latitude), float(store.longitude))
        if miles <= store.service_radius_miles:
            found[store.supplier_id].append(
                NearbyStore(
                    id=store.id,
                    supplier_id=store.supplier_id,
                    name=store.name,
                    address=store.address,
                    city=store.city,
                    state=store.state,
                    postal_code=store.postal_code,
                    phone=store.phone,
                    locally_owned=store.locally_owned,
                    distance_miles=Decimal(str(round(miles, 1))),
                )
            )
    return {sid: sorted(rows, key=lambda s: (s.distance_miles, s.name))[:limit] for sid, rows in found.items()}
