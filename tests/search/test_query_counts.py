"""The catalog list endpoint and page run the same number of queries for 1 result and for 50 (at most
QUERY_BUDGET)."""

import pytest

from tests.factories import FacilityFactory, StoreLocationFactory
from tests.search.conftest import make_item

pytestmark = pytest.mark.django_db

QUERY_BUDGET = 25  # a list page at 1 row; at 50 rows it must run exactly as many


@pytest.mark.parametrize("url", ["/api/v1/agencies/city-of-alpha/catalog/items/", "/agencies/city-of-alpha/catalog/"])
@pytest.mark.parametrize("q", ["widget", ""])
def test_same_query_count_for_1_and_50_results(
    client, shop, url, q, django_assert_max_num_queries, django_assert_num_queries
):
    FacilityFactory(agency=shop.agency, latitude="28.5", longitude="-81.3")
    StoreLocationFactory(supplier=shop.supplier)
    client.force_login(shop.requester)
    params = {"q": q, "category": "coin-button-cells"}
    make_item(shop.contract, "W-000", "Widget coin cell 0", category="coin-button-cells", manufacturer="M0")
    client.get(url, params)  # the worker builds the agency's scope and the categories once (reference.py)
    with django_assert_max_num_queries(QUERY_BUDGET) as one:
        assert client.get(url, params).status_code == 200

    for n in range(1, 50):
        make_item(
            shop.contract, f"W-{n:03d}", f"Widget coin cell {n}", category="coin-button-cells", manufacturer=f"M{n}"
        )
    with django_assert_num_queries(len(one)):
        response = client.get(url, params)
    assert response.status_code == 200
    assert response.content.count(b"Widget coin cell") >= 24
