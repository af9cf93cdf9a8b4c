"""The search page (full page and htmx partial, facets, stores) and the item page."""

import pytest

from contracts.models import PriceChange
from tests.factories import FacilityFactory, StoreLocationFactory

pytestmark = pytest.mark.django_db

URL = "/agencies/city-of-alpha/catalog/"


def test_search_page_shows_prices_savings_contract_and_facets(client, shop):
    client.force_login(shop.requester)

    html = client.get(URL, {"q": "aa batery"}).content.decode()

    assert 'for="catalog-q"' in html and "Search items, SKUs or part numbers" in html
    assert "Duracell Procell AA Alkaline Battery, 24-pack" in html
    assert "$13.00" in html and "$20.00" in html and "You save $7.00 (35.0%)" in html
    assert "Contract AC-2026-01" in html
    assert "Including results for <strong>aa battery</strong>" in html
    assert "Filter results" in html and "Duracell</a>" in html
    assert 'hx-trigger="keyup changed delay:300ms from:#catalog-q' in html


def test_htmx_request_gets_only_the_results_partial(client, shop):
    client.force_login(shop.requester)

    response = client.get(URL, {"q": "flashlight"}, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results"')
    assert "Streamlight Stinger 2020" in html and "<html" not in html


def test_facet_link_filters_and_can_be_removed(client, shop):
    client.force_login(shop.requester)

    html = client.get(URL, {"q": "battery", "manufacturer": "Duracell"}).content.decode()

    assert "1 item for" in html and "Manufacturer: Duracell" in html
    assert '<input type="hidden" name="manufacturer" value="Duracell">' in html
    assert 'href="?q=battery&amp;sort=relevance">Remove' in html


def test_bad_options_show_a_message_not_an_error(client, shop):
    client.force_login(shop.requester)

    html = client.get(URL, {"min_price": "abc", "sort": "bogus"}).content.decode()

    assert "Some search options are not valid" in html and "Lowest price: Enter a number" in html


def test_results_show_the_nearest_stores_to_the_facility(client, shop):
    FacilityFactory(agency=shop.agency, name="A Garage", latitude="28.500000", longitude="-81.300000")
    other = FacilityFactory(agency=shop.agency, name="B Station", latitude="30.000000", longitude="-81.300000")
    StoreLocationFactory(supplier=shop.supplier, name="Store 5mi", latitude="28.570000", longitude="-81.300000")
    StoreLocationFactory(supplier=shop.supplier, name="Store 1mi", latitude="28.510000", longitude="-81.300000")
    StoreLocationFactory(supplier=shop.supplier, name="Store 20mi", latitude="28.790000", longitude="-81.300000")
    StoreLocationFactory(supplier=shop.supplier, name="Store far", latitude="29.200000", longitude="-81.300000")
    StoreLocationFactory(supplier=shop.other_supplier, name="Not our supplier", latitude="28.5", longitude="-81.3")
    client.force_login(shop.requester)

    html = client.get(URL, {"q": "duracell"}).content.decode()
    assert "<strong>Store 1mi</strong> (0.7 mi), <strong>Store 5mi</strong> (4.8 mi)" in html
    assert "Store 20mi" not in html and "Not our supplier" not in html

    html = client.get(URL, {"q": "duracell", "facility": other.id}).content.decode()
    assert "Local pickup shown for B Station" in html and "Store 1mi" not in html  # no store within its radius


def test_item_page_shows_attributes_history_and_contract(client, shop):
    item = shop.items["DUR-AA24"]
    item.attributes = {"capacity_mah": 2850, "voltage": "1.5"}
    item.save()
    PriceChange.objects.create(
        item=item, new_price="13.00", new_list_price="20.00", status="applied", effective_date="2026-01-01"
    )
    client.force_login(shop.requester)

    html = client.get(f"{URL}items/{item.id}/").content.decode()

    assert "<h1" in html and item.name in html
    assert "<dt>Capacity (mAh)</dt><dd>2850</dd>" in html and "PC1500BKD" in html
    assert "Price history" in html and "Jan 1, 2026" in html
    assert "Contract AC-2026-01" in html and 'href="/contracts/ac-2026-01/"' in html


def test_home_page_links_to_the_catalog(client, shop):
    client.force_login(shop.requester)

    html = client.get("/agencies/city-of-alpha/").content.decode()

    assert 'action="/agencies/city-of-alpha/catalog/"' in html and 'for="home-q">Search the catalog' in html
