"""Distances and the nearest-store rule (within the store's service radius, nearest two)."""

from decimal import Decimal

import pytest

from suppliers.nearby import haversine_miles, nearest_stores
from tests.factories import StoreLocationFactory

pytestmark = pytest.mark.django_db


def test_haversine_matches_a_known_distance():
    # Orlando (28.5383, -81.3792) to Tampa (27.9506, -82.4572): about 77 miles
    assert 76 < haversine_miles(28.5383, -81.3792, 27.9506, -82.4572) < 79


def test_nearest_two_within_radius(world):
    for name, lat, radius in [("a", "28.60", 50), ("b", "28.52", 50), ("c", "28.55", 50), ("d", "28.51", 0)]:
        StoreLocationFactory(supplier=world.supplier, name=name, latitude=lat, service_radius_miles=radius)
    StoreLocationFactory(supplier=world.supplier, name="closed", latitude="28.5", is_active=False)

    found = nearest_stores(supplier_ids=[world.supplier.id], latitude=Decimal("28.5"), longitude=Decimal("-81.3"))

    assert [(s.name, s.distance_miles) for s in found[world.supplier.id]] == [
        ("b", Decimal("1.4")),
        ("c", Decimal("3.5")),
    ]


def test_no_coordinates_no_stores(world):
    StoreLocationFactory(supplier=world.supplier)

    assert nearest_stores(supplier_ids=[world.supplier.id], latitude=None, longitude=None) == {}
