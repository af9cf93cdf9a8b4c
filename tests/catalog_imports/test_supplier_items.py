"""A supplier's own items: the list (scoped, filtered, paginated), one item's page with its price history and
the single-item price change (decrease applies, increase waits, refusals change nothing), and the API."""

from decimal import Decimal

import pytest

from contracts.models import CatalogItem, PriceChange
from marketplace.core.models import AuditEvent
from tests.catalog_imports.conftest import make_item
from tests.factories import ContractFactory

pytestmark = pytest.mark.django_db

QUERY_BUDGET = 25  # a list page at 1 row; at 50 rows it must run exactly as many


def _items(world):
    return f"/suppliers/{world.supplier.slug}/catalog/items/"


def _api(world):
    return f"/api/v1/suppliers/{world.supplier.slug}/catalog/items/"


def _state():
    """Everything a price change could touch, for 'nothing changed' assertions."""
    items = tuple(CatalogItem.objects.order_by("pk").values_list("pk", "contract_price", "list_price", "updated_at"))
    changes = tuple(PriceChange.objects.order_by("pk").values_list("pk", "status", "new_price"))
    return items, changes, AuditEvent.objects.count()


@pytest.fixture
def items(world, contract, other_contract):
    second = ContractFactory(cooperative=world.coop, supplier=world.supplier, number="CT-GAMMA")
    return {
        "a1": make_item(contract, "A-1", name="AA battery"),
        "a2": make_item(contract, "A-2", name="AAA battery", status="discontinued"),
        "g1": make_item(second, "G-1", name="Lantern battery"),
        "other": make_item(other_contract, "Z-9", name="Someone else's lamp"),
    }


# --- List page ------------------------------------------------------------------------------------------------


def test_list_shows_only_own_items_with_contract_and_prices(client, world, items):
    client.force_login(world.catalog_manager)
    body = client.get(_items(world)).content.decode()
    assert "A-1" in body and "A-2" in body and "G-1" in body and "CT-ALPHA" in body and "CT-GAMMA" in body
    assert "Z-9" not in body and "Someone else" not in body
    assert "$20.00" in body and "$14.00" in body


def test_list_filters_search_contract_and_status(client, world, items):
    client.force_login(world.supplier_admin)
    body = client.get(_items(world), {"q": "lantern"}).content.decode()
    assert "G-1" in body and "A-1" not in body
    body = client.get(_items(world), {"q": "a-2"}).content.decode()
    assert "A-2" in body and "A-1" not in body
    body = client.get(_items(world), {"contract": "CT-GAMMA"}).content.decode()
    assert "G-1" in body and "A-1" not in body
    body = client.get(_items(world), {"status": "discontinued"}).content.decode()
    assert "A-2" in body and "A-1" not in body and "G-1" not in body
    body = client.get(_items(world), {"q": "nothing-like-this"}).content.decode()
    assert "No items match" in body


def test_list_paginates_and_tags_pending_increase(client, world, contract, items):
    client.force_login(world.catalog_manager)
    response = client.post(_items(world) + f"{items['a1'].pk}/", {"contract_price": "14.50", "list_price": "21.00"})
    assert response.status_code == 302
    body = client.get(_items(world)).content.decode()
    assert "Pending increase to $14.50" in body
    for n in range(50):
        make_item(contract, f"P-{n:02d}")
    first = client.get(_items(world)).content.decode()
    assert "Page 1 of 2" in first
    assert "P-49" not in first and "P-49" in client.get(_items(world), {"page": 2}).content.decode()


def test_catalog_page_links_to_items(client, world):
    client.force_login(world.catalog_manager)
    assert f'href="{_items(world)}"' in client.get(f"/suppliers/{world.supplier.slug}/catalog/").content.decode()


def test_order_desk_gets_403(client, world, make_member, items):
    desk = make_member(world.supplier, "order_desk")
    client.force_login(desk)
    before = _state()
    assert client.get(_items(world)).status_code == 403
    assert client.get(_items(world) + f"{items['a1'].pk}/").status_code == 403
    assert client.post(_items(world) + f"{items['a1'].pk}/", {"contract_price": "1.00"}).status_code == 403
    assert client.get(_api(world)).status_code == 403
    assert client.post(_api(world) + f"{items['a1'].pk}/price/", {"contract_price": "1.00"}).status_code == 403
    assert _state() == before


def test_other_suppliers_item_is_404_and_unchanged(client, world, items):
    client.force_login(world.catalog_manager)
    other = items["other"]
    before = _state()
    assert client.get(_items(world) + f"{other.pk}/").status_code == 404
    assert client.post(_items(world) + f"{other.pk}/", {"contract_price": "1.00"}).status_code == 404
    response = client.post(_api(world) + f"{other.pk}/price/", {"contract_price": "1.00"})
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert _state() == before


# --- Item page and price changes --------------------------------------------------------------------------------


def test_detail_shows_history_and_form(client, world, items):
    client.force_login(world.catalog_manager)
    body = client.get(_items(world) + f"{items['a1'].pk}/").content.decode()
    assert "A-1 — AA battery" in body and "Price history" in body and "Change price" in body
    assert 'name="contract_price"' in body and "at least 30% off" in body


def test_decrease_applies_at_once(client, world, items):
    item = items["a1"]
    client.force_login(world.catalog_manager)
    response = client.post(_items(world) + f"{item.pk}/", {"contract_price": "13.00", "reason": "Volume deal"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.contract_price == Decimal("13.00") and item.list_price == Decimal("20.00")
    change = PriceChange.objects.filter(item=item).first()
    assert (
        change.status == "applied" and change.old_price == Decimal("14.00") and change.request_reason == "Volume deal"
    )
    assert AuditEvent.objects.filter(action="price_change.apply", organization=world.supplier).exists()
    body = client.get(response["Location"]).content.decode()
    assert "It applies now" in body and "Volume deal" in body


def test_increase_waits_for_coop(client, world, items):
    item = items["a1"]
    client.force_login(world.catalog_manager)
    response = client.post(_items(world) + f"{item.pk}/", {"contract_price": "14.00", "list_price": "22.00"})
    assert response.status_code == 302  # a list-only change applies
    response = client.post(_items(world) + f"{item.pk}/", {"contract_price": "15.00"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.contract_price == Decimal("14.00")
    change = PriceChange.objects.get(item=item, status="pending")
    assert change.new_price == Decimal("15.00")
    body = client.get(response["Location"]).content.decode()
    assert "sent to the co-op for approval" in body and 'id="pending-increase"' in body


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"contract_price": "19.00"}, "above $14.00"),  # 30% minimum discount off 20.00
        ({"contract_price": "abc"}, "Enter a number."),
        ({"contract_price": "-1.00"}, "must be more than zero"),
        ({"contract_price": "14.00"}, "already the item"),
        ({"contract_price": ""}, "This field is required."),
        ({"contract_price": "10.00", "list_price": "12.00"}, "above $8.40"),
    ],
)
def test_refusals_show_errors_and_change_nothing(client, world, items, data, message):
    client.force_login(world.catalog_manager)
    before = _state()
    response = client.post(_items(world) + f"{items['a1'].pk}/", data)
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="error-summary"' in body and message in body
    assert _state() == before


# --- API ---------------------------------------------------------------------------------------------------------


def test_api_list_scoped_filtered_paginated(client, world, items):
    client.force_login(world.catalog_manager)
    data = client.get(_api(world)).json()
    assert data["count"] == 3 and {r["sku"] for r in data["results"]} == {"A-1", "A-2", "G-1"}
    row = next(r for r in data["results"] if r["sku"] == "A-1")
    assert row["contract"] == "CT-ALPHA" and row["list_price"] == "20.00" and row["contract_price"] == "14.00"
    assert row["pending_price"] is None and row["status"] == "active"
    assert [r["sku"] for r in client.get(_api(world), {"contract": "CT-GAMMA"}).json()["results"]] == ["G-1"]
    assert [r["sku"] for r in client.get(_api(world), {"status": "discontinued"}).json()["results"]] == ["A-2"]
    assert [r["sku"] for r in client.get(_api(world), {"q": "aaa"}).json()["results"]] == ["A-2"]
    bad = client.get(_api(world), {"status": "gone"})
    assert bad.status_code == 400 and "status" in bad.json()["error"]["fields"]


def test_api_decrease_and_increase(client, world, items):
    item = items["a1"]
    client.force_login(world.supplier_admin)
    url = _api(world) + f"{item.pk}/price/"
    down = client.post(url, {"contract_price": "12.00"}, content_type="application/json")
    assert down.status_code == 200
    body = down.json()
    assert body["status"] == "applied" and body["old_price"] == "14.00" and body["new_price"] == "12.00"
    assert body["item"] == {"id": item.pk, "sku": "A-1", "name": "AA battery"} and body["contract"] == "CT-ALPHA"
    up = client.post(url, {"contract_price": "13.50", "reason": "Cost of cells"}, content_type="application/json")
    assert up.status_code == 200 and up.json()["status"] == "pending" and up.json()["request_reason"] == "Cost of cells"
    item.refresh_from_db()
    assert item.contract_price == Decimal("12.00")
    assert client.get(_api(world), {"q": "A-1"}).json()["results"][0]["pending_price"] == "13.50"


@pytest.mark.parametrize(
    ("data", "code", "field"),
    [
        ({"contract_price": "19.00"}, "price_rule", "contract_price"),
        ({"contract_price": "abc"}, "invalid", "contract_price"),
        ({"contract_price": "-1.00"}, "price_rule", "contract_price"),
        ({"contract_price": "14.00"}, "unchanged", None),
        ({}, "invalid", "contract_price"),
    ],
)
def test_api_refusals_change_nothing(client, world, items, data, code, field):
    client.force_login(world.catalog_manager)
    before = _state()
    response = client.post(_api(world) + f"{items['a1'].pk}/price/", data, content_type="application/json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == code and error["message"]
    if field:
        assert field in error["fields"]
    assert _state() == before


# --- Query counts ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("api", [False, True])
def test_same_query_count_for_1_and_50_items(
    client, world, contract, api, django_assert_max_num_queries, django_assert_num_queries
):
    client.force_login(world.catalog_manager)
    url = _api(world) if api else _items(world)
    first = make_item(contract, "Q-00")
    PriceChange.objects.create(item=first, new_price="15.00", status="pending")
    with django_assert_max_num_queries(QUERY_BUDGET) as one:
        assert client.get(url).status_code == 200
    for n in range(1, 50):
        item = make_item(contract, f"Q-{n:02d}")
        if n % 2:
            PriceChange.objects.create(item=item, new_price="15.00", status="pending")
    with django_assert_num_queries(len(one)):
        assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_supplier_reason_survives_the_coop_decision_and_both_are_shown(client, world, contract):
    from contracts.catalog.services.pricing import catalog_item_price_request, price_change_reject

    item = make_item(contract, sku="WHY-1")
    change = catalog_item_price_request(
        item=item,
        actor=world.catalog_manager,
        contract_price=Decimal("14.50"),
        list_price=Decimal("22.00"),
        reason="Manufacturer surcharge",
    )
    assert AuditEvent.objects.unscoped().get(action="price_change.request").after["request_reason"] == (
        "Manufacturer surcharge"
    )

    price_change_reject(change_id=change.pk, cooperative=world.coop, actor=world.coop_staff, reason="Not justified")

    change.refresh_from_db()
    assert (change.request_reason, change.reason) == ("Manufacturer surcharge", "Not justified")
    client.force_login(world.coop_staff)
    html = client.get("/coops/alpha-coop/price-changes/", {"status": "rejected"}).content.decode()
    assert ">Manufacturer surcharge</td>" in html and "Co-op: Not justified" in html
