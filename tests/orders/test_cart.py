"""The cart: add (htmx and plain form, API), change, save for later, remove, warnings, badge, refusals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from contracts.models import CatalogItem
from orders.models import CartLine
from tests.factories import ContractFactory
from tests.orders.factories import priced_item
from tests.orders.shopping import cart_state, make_shop, put_in_cart

pytestmark = pytest.mark.django_db

API = "/api/v1/agencies/city-of-alpha/cart/lines/"


@pytest.fixture
def shop(world):
    return make_shop(world)


def test_add_from_search_with_htmx_returns_the_form_and_the_badge(client, world, shop):
    client.force_login(world.requester)
    response = client.post(
        "/agencies/city-of-alpha/cart/add/",
        {"item": shop.battery.id, "quantity": "3", "next": "/agencies/city-of-alpha/catalog/?q=aa"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Added. 3 in your cart" in body
    assert 'id="cart-badge"' in body and 'hx-swap-oob="true"' in body
    assert "<html" not in body  # a partial, no page reload
    line = CartLine.objects.get()
    assert (line.quantity, line.unit_price_snapshot, line.list_price_snapshot) == (
        3,
        Decimal("10.00"),
        Decimal("14.00"),
    )


def test_plain_form_post_redirects_back_and_adding_again_adds_up(client, world, shop):
    client.force_login(world.requester)
    back = f"/agencies/city-of-alpha/catalog/items/{shop.battery.id}/"
    response = client.post(
        "/agencies/city-of-alpha/cart/add/", {"item": shop.battery.id, "quantity": "2", "next": back}
    )
    assert response.status_code == 302 and response["Location"] == back
    client.post("/agencies/city-of-alpha/cart/add/", {"item": shop.battery.id, "quantity": "5"})
    assert CartLine.objects.get().quantity == 7


def test_add_refuses_an_offsite_next(client, world, shop):
    client.force_login(world.requester)
    response = client.post(
        "/agencies/city-of-alpha/cart/add/", {"item": shop.battery.id, "quantity": "1", "next": "https://evil.test/"}
    )
    assert response["Location"] == "/agencies/city-of-alpha/cart/"


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        ("0", "at least 1"),
        ("-2", "at least 1"),
        ("100001", "at most 100,000"),
        ("1.5", "whole number"),
        ("abc", "whole number"),
    ],
)
def test_add_refuses_bad_quantities_and_changes_nothing(client, world, shop, quantity, message):
    client.force_login(world.requester)
    response = client.post(
        "/agencies/city-of-alpha/cart/add/", {"item": shop.battery.id, "quantity": quantity}, HTTP_HX_REQUEST="true"
    )
    assert message in response.content.decode()
    api = client.post(API, {"item": shop.battery.id, "quantity": quantity}, content_type="application/json")
    assert api.status_code == 400
    assert "quantity" in api.json()["error"]["fields"]
    assert CartLine.objects.count() == 0


def test_quantity_counts_the_unit_of_measure_not_the_pack_contents(client, world, shop):
    """A case of 12 is priced per case: 3 means three cases (36 cells), not a refused "3 of 12"."""
    CatalogItem.objects.filter(pk=shop.battery.pk).update(pack_size=12, unit="CS")
    client.force_login(world.requester)
    response = client.post(API, {"item": shop.battery.id, "quantity": 3}, content_type="application/json")
    assert response.status_code == 201
    assert CartLine.objects.get().quantity == 3


def test_item_of_another_agencys_contract_is_refused(client, world, shop):
    foreign = ContractFactory(cooperative=world.other_coop, supplier=world.other_supplier, number="CT-BETA")
    item = priced_item(contract=foreign, sku="BETA-1")
    client.force_login(world.requester)
    assert client.post("/agencies/city-of-alpha/cart/add/", {"item": item.id, "quantity": "1"}).status_code == 404
    response = client.post(API, {"item": item.id, "quantity": 1}, content_type="application/json")
    assert response.status_code == 400
    assert "No such item" in response.json()["error"]["fields"]["item"][0]
    discontinued = priced_item(contract=shop.contract, sku="OLD-1")
    CatalogItem.objects.filter(pk=discontinued.pk).update(status="discontinued")
    assert (
        client.post(API, {"item": discontinued.id, "quantity": 1}, content_type="application/json").status_code == 400
    )
    assert CartLine.objects.count() == 0


def test_cart_page_shows_totals_per_contract_and_savings(client, world, shop):
    put_in_cart(world, shop.battery, 3)  # 30.00 of list 42.00
    put_in_cart(world, shop.lamp, 2)  # 15.00 of list 24.00
    client.force_login(world.requester)
    body = client.get("/agencies/city-of-alpha/cart/").content.decode()
    assert "$45.00" in body  # contract total
    assert "$66.00" in body  # list total
    assert "$21.00 (31.8%)" in body  # savings
    assert "Contract CT-BATT" in body and "Contract CT-LAMP" in body
    assert "$30.00" in body and "$15.00" in body  # subtotals
    assert 'id="cart-badge"' in body and ">2<" in body


def test_cart_warns_about_price_item_and_contract_changes(client, world, shop):
    put_in_cart(world, shop.battery, 1, unit_price_snapshot=Decimal("9.00"))
    put_in_cart(world, shop.lamp, 1)
    CatalogItem.objects.filter(pk=shop.lamp.pk).update(status="discontinued")
    other = priced_item(contract=ContractFactory(cooperative=world.coop, supplier=world.supplier), sku="EXP-1")
    put_in_cart(world, other, 1)
    other.contract.status = "expired"
    other.contract.save(update_fields=["status"])
    client.force_login(world.requester)
    body = client.get("/agencies/city-of-alpha/cart/").content.decode()
    assert "The contract price rose from $9.00 to $10.00" in body
    assert "no longer offered" in body
    assert f"Contract {other.contract.number} can no longer be used" in body
    data = client.get(API).json()
    warnings = {line["item"]["sku"]: line["warnings"] for line in data["results"]}
    assert warnings["AA-24"] and warnings["LED-9W"] and warnings["EXP-1"]


def test_change_quantity_save_for_later_move_back_accept_price_and_remove(client, world, shop):
    line = put_in_cart(world, shop.battery, 1, unit_price_snapshot=Decimal("9.00"))
    client.force_login(world.requester)
    url = f"/agencies/city-of-alpha/cart/lines/{line.id}/"
    client.post(url, {"action": "update", "quantity": "4"})
    client.post(url, {"action": "save"})
    line.refresh_from_db()
    assert (line.quantity, line.saved_for_later) == (4, True)
    body = client.get("/agencies/city-of-alpha/cart/").content.decode()
    assert "Saved for later (1)" in body
    client.post(url, {"action": "move"})
    client.post(url, {"action": "accept_price"})
    line.refresh_from_db()
    assert (line.saved_for_later, line.unit_price_snapshot) == (False, Decimal("10.00"))
    response = client.post(url, {"action": "update", "quantity": "0"}, follow=True)
    assert "at least 1" in response.content.decode()
    line.refresh_from_db()
    assert line.quantity == 4
    client.post(url, {"action": "remove"})
    assert not CartLine.objects.exists()


def test_api_patch_and_delete(client, world, shop):
    line = put_in_cart(world, shop.battery, 1)
    client.force_login(world.requester)
    response = client.patch(
        f"{API}{line.id}/", {"quantity": 6, "saved_for_later": True}, content_type="application/json"
    )
    assert response.status_code == 200
    assert (response.json()["quantity"], response.json()["saved_for_later"]) == (6, True)
    response = client.patch(f"{API}{line.id}/", {"quantity": 2.5}, content_type="application/json")
    assert response.status_code == 400
    assert client.delete(f"{API}{line.id}/").status_code == 204
    assert not CartLine.objects.exists()


def test_another_members_line_is_not_found(client, world, shop):
    theirs = put_in_cart(world, shop.battery, 1, user=world.agency_admin)
    before = cart_state(world, world.agency_admin)
    client.force_login(world.requester)
    assert client.patch(f"{API}{theirs.id}/", {"quantity": 9}, content_type="application/json").status_code == 404
    assert client.delete(f"{API}{theirs.id}/").status_code == 404
    assert client.post(f"/agencies/city-of-alpha/cart/lines/{theirs.id}/", {"action": "remove"}).status_code == 404
    assert cart_state(world, world.agency_admin) == before


def test_badge_counts_lines_to_order_on_agency_pages(client, world, shop):
    put_in_cart(world, shop.battery, 1)
    put_in_cart(world, shop.lamp, 1, saved_for_later=True)
    client.force_login(world.requester)
    body = client.get("/agencies/city-of-alpha/").content.decode()
    assert 'id="cart-badge"' in body
    assert '<span class="usa-tag bg-primary">1</span>' in body


def test_search_results_and_item_page_have_add_to_cart(client, world, shop):
    client.force_login(world.requester)
    search = client.get("/agencies/city-of-alpha/catalog/").content.decode()
    assert f'id="cart-add-{shop.battery.id}"' in search
    item = client.get(f"/agencies/city-of-alpha/catalog/items/{shop.battery.id}/").content.decode()
    assert f'id="cart-add-{shop.battery.id}"' in item


@pytest.mark.parametrize("url", ["/agencies/city-of-alpha/cart/", API])
def test_cart_query_count_is_constant(client, world, shop, django_assert_num_queries, url):
    client.force_login(world.requester)
    for n in range(5):
        put_in_cart(world, priced_item(contract=shop.contract if n % 2 else shop.contract2, sku=f"Q-{n}"), 1)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as five:
        assert client.get(url).status_code == 200
    for n in range(5, 50):
        put_in_cart(world, priced_item(contract=shop.contract if n % 2 else shop.contract2, sku=f"Q-{n}"), 1)
    with django_assert_num_queries(len(five.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    assert "Q-49" in response.content.decode()
