"""Vetting list pages and endpoints run the same number of queries for 1 row and for many."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from suppliers.models import Supplier
from suppliers.vetting.models import SupplierDocument
from tests.factories import OrganizationFactory, StoreLocationFactory, SupplierFactory

pytestmark = pytest.mark.django_db


def _grow(world, n):
    """n suppliers vetted by world.coop, and n documents and stores of world.supplier."""
    Supplier.objects.filter(organization=world.supplier).update(cooperative=world.coop)
    for _ in range(n):
        SupplierFactory(organization=OrganizationFactory(kind="supplier"), cooperative=world.coop)
        SupplierDocument.objects.create(
            supplier=world.supplier, kind="coi", file="x.pdf", original_name="coi.pdf", uploaded_by=world.supplier_admin
        )
        StoreLocationFactory(supplier=world.supplier)


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("url", "who"),
    [
        ("/coops/alpha-coop/suppliers/", "coop_staff"),
        ("/coops/alpha-coop/suppliers/alpha-cells/", "coop_staff"),
        ("/api/v1/coops/alpha-coop/suppliers/", "coop_staff"),
        ("/api/v1/coops/alpha-coop/suppliers/alpha-cells/", "coop_staff"),
        ("/suppliers/alpha-cells/profile/", "supplier_admin"),
        ("/suppliers/alpha-cells/profile/stores/", "supplier_admin"),
        ("/api/v1/suppliers/alpha-cells/documents/", "supplier_admin"),
        ("/api/v1/suppliers/alpha-cells/stores/", "supplier_admin"),
    ],
)
def test_same_query_count_for_1_and_many_rows(client, world, url, who, django_assert_num_queries):
    client.force_login(getattr(world, who))
    _grow(world, 1)
    one = _queries(client, url)
    _grow(world, 20)
    with django_assert_num_queries(one):
        client.get(url)
