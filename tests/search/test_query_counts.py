"""The catalog list endpoint and page run the same number of queries for 1 result and for 50."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import FacilityFactory, StoreLocationFactory
from tests.search.conftest import make_item

pytestmark = pytest.mark.django_db


def _queries(client, url, params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.mark.parametrize("url", ["/api/v1/agencies/city-of-alpha/catalog/items/", "/agencies/city-of-alpha/catalog/"])
@pytest.mark.parametrize("q", ["widget", ""])
def test_same_query_count_for_1_and_50_results(client, shop, url, q):
    FacilityFactory(agency=shop.agency, latitude="28.5", longitude="-81.3")
    StoreLocationFactory(supplier=shop.supplier)
    client.force_login(shop.requester)
    params = {"q": q, "category": "coin-button-cells"}
    make_item(shop.contract, "W-000", "Widget coin cell 0", category="coin-button-cells", manufacturer="M0")
    one, response = _queries(client, url, params)

    for n in range(1, 50):
        make_item(
            shop.contract, f"W-{n:03d}", f"Widget coin cell {n}", category="coin-button-cells", manufacturer=f"M{n}"
        )
    many, response = _queries(client, url, params)

    assert one == many
    assert response.content.count(b"Widget coin cell") >= 24
