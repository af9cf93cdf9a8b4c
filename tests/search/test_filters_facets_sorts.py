"""Filters, facet counts for the current query, sorts and pagination."""

from decimal import Decimal

import pytest

from tests.search.conftest import api, make_item, skus

pytestmark = pytest.mark.django_db


def _facet(response, name):
    return {v["value"]: v["count"] for v in response.json()["facets"][name]}


def test_facets_count_the_current_query(client, shop):
    response = api(client, shop.requester, q="battery")

    assert set(skus(response)) == {"DUR-AA24", "EN-AAA24", "PS-12180-NB", "TRAY-1", "APC-RBC7", "FL-1"}
    assert _facet(response, "category") == {
        "alkaline-lithium-cells": 3,  # FL-1 is filed there too
        "sealed-lead-acid": 2,
        "ups-replacement-cartridges": 1,
    }
    assert _facet(response, "manufacturer")["Duracell"] == 1
    assert _facet(response, "contract") == {"ac-2026-01": 5, "fl-1": 1}
    assert _facet(response, "price_band") == {"0-10": 2, "10-50": 3, "50-200": 1}
    assert response.json()["facets"]["exact"] is True and response.json()["count"] == 6


def test_top_level_category_includes_its_children(client, shop):
    found = skus(api(client, shop.requester, category="lighting"))

    assert set(found) == {"SL-78100", "PHL-A19-9W", "JEBL-24L"}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"category": "sealed-lead-acid"}, {"PS-12180-NB", "TRAY-1"}),
        ({"manufacturer": "Duracell"}, {"DUR-AA24"}),
        ({"contract": "fl-1"}, {"FL-1"}),
        ({"contract": "FL-1"}, {"FL-1"}),  # by number too
        ({"min_price": "100", "max_price": "200"}, {"SL-78100", "APC-RBC7"}),
        ({"q": "battery", "max_price": "$12.00"}, {"EN-AAA24", "TRAY-1", "FL-1"}),
        ({"category": "no-such-category"}, set()),
        ({"contract": "someone-elses"}, set()),
    ],
)
def test_filters(client, shop, params, expected):
    assert set(skus(api(client, shop.requester, page_size=200, **params))) == expected


def test_price_band_facet_links_filter_to_the_band(client, shop):
    band = next(v for v in api(client, shop.requester).json()["facets"]["price_band"] if v["value"] == "10-50")

    found = skus(api(client, shop.requester, min_price=band["min_price"], max_price=band["max_price"]))

    assert len(found) == band["count"]


@pytest.mark.parametrize(
    ("sort", "key", "reverse"),
    [
        ("price", lambda r: Decimal(r["contract_price"]), False),
        ("-price", lambda r: Decimal(r["contract_price"]), True),
        ("savings", lambda r: Decimal(r["savings_percent"]), True),
        ("name", lambda r: r["name"].lower(), False),
    ],
)
def test_sorts(client, shop, sort, key, reverse):
    for q in ("", "battery"):
        rows = api(client, shop.requester, q=q, sort=sort).json()["results"]
        assert len(rows) >= 5
        assert [key(r) for r in rows] == sorted((key(r) for r in rows), reverse=reverse)


def test_savings_are_shown_in_dollars_and_percent_with_one_decimal(client, shop):
    row = api(client, shop.requester, q="PHL-A19-9W").json()["results"][0]

    assert (row["list_price"], row["contract_price"], row["savings_amount"], row["savings_percent"]) == (
        "5.00",
        "3.20",
        "1.80",
        "36.0",
    )
    assert row["contract"] == {"number": "AC-2026-01", "title": "Batteries and lighting", "slug": "ac-2026-01"}


def test_pagination(client, shop):
    for n in range(60):
        make_item(shop.contract, f"W-{n:03d}", f"Widget battery number {n}")

    first = api(client, shop.requester, q="widget").json()
    second = client.get(first["next"]).json()

    assert first["count"] == 60 and first["page_size"] == 50 and first["num_pages"] == 2
    assert len(first["results"]) == 50 and len(second["results"]) == 10 and second["next"] is None
    assert not {r["sku"] for r in first["results"]} & {r["sku"] for r in second["results"]}
    assert api(client, shop.requester, q="widget", page=9).json()["results"] == []
