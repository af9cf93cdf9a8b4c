"""API errors, item detail and the OpenAPI schema."""

import pytest

from contracts.models import PriceChange
from tests.factories import FacilityFactory, StoreLocationFactory
from tests.search.conftest import api

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"min_price": "abc"}, "min_price"),
        ({"max_price": "-5"}, "max_price"),
        ({"sort": "bogus"}, "sort"),
        ({"min_price": "50", "max_price": "10"}, "max_price"),
        ({"page": "0"}, "page"),
        ({"page": "abc"}, "page"),
        ({"page_size": "1000"}, "page_size"),
    ],
)
def test_bad_parameters_are_400_with_field_messages(client, shop, params, field):
    response = api(client, shop.requester, **params)

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and error["message"]
    assert field in error["fields"] and error["fields"][field][0]


def test_item_detail_has_attributes_history_contract_and_stores(client, shop):
    item = shop.items["PS-12180-NB"]
    item.attributes = {"voltage": "12", "capacity_ah": 18}
    item.save()
    PriceChange.objects.create(item=item, new_price="45.00", status="applied", effective_date="2026-01-01")
    PriceChange.objects.create(
        item=item, old_price="45.00", new_price="40.00", status="applied", effective_date="2026-03-01"
    )
    PriceChange.objects.create(item=item, old_price="40.00", new_price="48.00", status="pending")
    FacilityFactory(agency=shop.agency, name="Garage", latitude="28.500000", longitude="-81.300000")
    StoreLocationFactory(supplier=shop.supplier, name="Near store", latitude="28.510000", longitude="-81.310000")
    client.force_login(shop.requester)

    data = client.get(f"/api/v1/agencies/city-of-alpha/catalog/items/{item.id}/").json()

    assert data["sku"] == "PS-12180-NB" and data["attributes"] == {"voltage": "12", "capacity_ah": 18}
    assert [h["new_price"] for h in data["price_history"]] == ["40.00", "45.00"]  # the pending increase is not history
    assert data["contract"]["number"] == "AC-2026-01" and data["contract"]["public_url"] == "/contracts/ac-2026-01/"
    assert data["facility"] == "Garage"
    assert [s["name"] for s in data["nearest_stores"]] == ["Near store"]
    assert data["nearest_stores"][0]["distance_miles"] == "0.9"


def test_unknown_item_is_404_in_the_error_shape(client, shop):
    client.force_login(shop.requester)

    response = client.get("/api/v1/agencies/city-of-alpha/catalog/items/999999/")

    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_schema_documents_the_catalog_endpoints_with_real_types(client):
    schema = client.get("/api/schema/?format=json").json()

    search = schema["paths"]["/api/v1/agencies/{org}/catalog/items/"]["get"]
    assert {p["name"] for p in search["parameters"]} >= {"q", "category", "min_price", "max_price", "sort", "page"}
    ref = search["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    props = schema["components"]["schemas"][ref]["properties"]
    assert {"count", "facets", "results", "did_you_mean"} <= set(props)
    assert "/api/v1/agencies/{org}/catalog/items/{id}/" in schema["paths"]


def test_result_rows_are_written_exactly_as_the_generic_serializer_would(client, shop):
    """The search writes its result rows by hand (speed); every field, its order and its type must be what the
    declared serializer (the one the OpenAPI schema documents) gives, for items with and without pictures."""
    import hashlib

    from agencies.api.serializers import CatalogItemResultSerializer
    from agencies.selectors import catalog_page
    from contracts.catalog.search.query import SearchParams
    from contracts.models import CatalogImage, ImageStatus

    digest = hashlib.sha256(b"fake").hexdigest()
    ready = CatalogImage.objects.create(
        digest=digest, format="PNG", width=64, height=64, size_bytes=4, status=ImageStatus.READY
    )
    pending = CatalogImage.objects.create(
        digest="0" * 64, format="PNG", width=64, height=64, size_bytes=4, status=ImageStatus.PROCESSING
    )
    items = list(shop.items.values())
    items[0].image, items[0].lead_time_days = ready, 3
    items[1].image, items[1].mpn = pending, ""
    items[2].list_price = items[2].contract_price  # no savings
    for item in items[:3]:
        item.save()

    page = catalog_page(agency=shop.agency, params=SearchParams(q="battery", page_size=100))
    page_all = catalog_page(agency=shop.agency, params=SearchParams(page_size=100))
    hits = page.result.hits + page_all.result.hits
    assert len(hits) > len(items) // 2
    serializer = CatalogItemResultSerializer()
    for hit in hits:
        fast, generic = serializer.to_representation(hit), serializer.generic_representation(hit)
        assert list(fast) == list(generic)
        assert fast == generic
        assert [type(v) for v in fast.values()] == [type(v) for v in generic.values()]
    assert {ready.pk, pending.pk} <= {hit.item.image_id for hit in hits}
    assert {hit.item.lead_time_days for hit in hits} >= {3, None}


@pytest.mark.parametrize(
    "params",
    [
        {"q": "battery"},
        {"q": "battery", "page": "2", "page_size": "2"},
        {"category": "alkaline-lithium-cells", "sort": "price"},
        {"q": "zqxv wibblefrump"},  # nothing: suggestions
        {"q": "bateries"},  # corrected
    ],
)
def test_the_search_response_is_written_exactly_as_the_generic_serializer_would(rf, shop, params):
    from rest_framework.request import Request

    from agencies.api.serializers import CatalogSearchSerializer
    from agencies.api.views import search_response_data
    from agencies.selectors import catalog_page
    from contracts.catalog.search.query import parse_params

    request = Request(rf.get("/api/v1/agencies/city-of-alpha/catalog/items/", params))
    parsed = parse_params(request.query_params, page_size=50, max_page_size=100)
    data = search_response_data(request, parsed, catalog_page(agency=shop.agency, params=parsed).result)

    serializer = CatalogSearchSerializer()
    fast, generic = serializer.to_representation(data), serializer.generic_representation(data)
    assert list(fast) == list(generic)
    assert fast == generic
    assert fast["results"] or fast["suggestions"]
    for name in ("category", "manufacturer", "contract", "price_band"):
        assert [list(v) for v in fast["facets"][name]] == [list(v) for v in generic["facets"][name]]
