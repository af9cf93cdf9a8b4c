"""Reorder: every line of one of the agency's past purchase orders into the member's cart, checked as adding to
the cart is (item active and in the agency's scope, today's contract price as the new snapshot, quantity limits);
what cannot be ordered is skipped with the reason and nothing else changes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contracts.models import CatalogItem, Contract
from marketplace.core.models import AuditEvent
from orders.models import CartLine, PurchaseOrder, PurchaseOrderLine
from tests.factories import ContractFactory
from tests.orders.factories import purchase_order
from tests.orders.shopping import cart_state, make_shop, put_in_cart
from tests.reorder.isolation_routes import _other_po

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(world):
    return make_shop(world)


def _po(world, shop, lines=2):
    return purchase_order(world=world, status="sent", lines=lines, contract=shop.contract)


def _url(po):
    return f"/agencies/city-of-alpha/purchase-orders/{po.public_id}/reorder/"


def _api(po):
    return f"/api/v1/agencies/city-of-alpha/orders/{po.public_id}/reorder/"


def _orders_state():
    return (
        tuple(PurchaseOrder.objects.order_by("pk").values_list("pk", "status", "subtotal", "number")),
        tuple(PurchaseOrderLine.objects.order_by("pk").values_list("pk", "quantity", "unit_price")),
        tuple(CatalogItem.objects.order_by("pk").values_list("pk", "status", "contract_price")),
        AuditEvent.objects.exclude(action__startswith="auth.").count(),
    )


def test_po_page_offers_reorder(client, world, shop):
    po = _po(world, shop)
    client.force_login(world.requester)
    body = client.get(f"/agencies/city-of-alpha/orders/{po.public_id}/").content.decode()
    assert f'action="{_url(po)}"' in body and ">Reorder<" in body


def test_reorder_puts_every_line_into_the_cart_at_todays_contract_price(client, world, shop):
    po = _po(world, shop)
    first, second = po.lines.order_by("pk")
    CatalogItem.objects.filter(pk=second.item_id).update(contract_price=Decimal("9.25"))  # a decrease since
    before = _orders_state()
    client.force_login(world.requester)

    response = client.post(_url(po))

    assert response.status_code == 302 and response["Location"] == "/agencies/city-of-alpha/cart/"
    lines = {line.item_id: line for line in CartLine.objects.filter(cart__user=world.requester)}
    assert set(lines) == {first.item_id, second.item_id}
    assert (lines[first.item_id].quantity, lines[first.item_id].unit_price_snapshot) == (2, Decimal("10.00"))
    assert (lines[second.item_id].quantity, lines[second.item_id].unit_price_snapshot) == (2, Decimal("9.25"))
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Added 2 lines from purchase order not yet numbered to your cart."
    ]
    assert _orders_state() == before  # the past order, the catalog and the audit log are untouched


def test_reorder_adds_to_a_line_already_in_the_cart_and_brings_back_a_saved_one(client, world, shop):
    po = _po(world, shop)
    first, second = po.lines.order_by("pk")
    put_in_cart(world, first.item, quantity=5)
    put_in_cart(world, second.item, quantity=7, saved_for_later=True)
    client.force_login(world.requester)

    client.post(_url(po))

    lines = {line.item_id: line for line in CartLine.objects.all()}
    assert (lines[first.item_id].quantity, lines[first.item_id].saved_for_later) == (7, False)
    assert (lines[second.item_id].quantity, lines[second.item_id].saved_for_later) == (2, False)
    assert CartLine.objects.count() == 2


def test_discontinued_items_and_expired_contract_lines_are_skipped_with_the_reason(client, world, shop):
    po = _po(world, shop, lines=3)
    ok, gone, _third = po.lines.order_by("pk")
    CatalogItem.objects.filter(pk=gone.item_id).update(status="discontinued")
    expired_contract = ContractFactory(cooperative=world.coop, supplier=world.supplier, number="CT-OLD")
    old = purchase_order(world=world, status="sent", lines=1, contract=expired_contract)
    Contract.objects.filter(pk=expired_contract.pk).update(status="expired")
    before = _orders_state()
    client.force_login(world.requester)

    response = client.post(_url(po))
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    api = client.post(_api(old), content_type="application/json")

    assert texts[0] == "Added 2 lines from purchase order not yet numbered to your cart."
    assert texts[1] == f"Not added: {gone.sku} {gone.name} — {gone.sku} is no longer offered on contract CT-BATT."
    assert api.status_code == 200
    assert api.json()["added"] == [] and api.json()["cart_count"] == 2
    [skipped] = api.json()["skipped"]
    assert skipped["sku"] == old.lines.get().sku
    assert skipped["reason"].startswith("Contract CT-OLD can no longer be used: its term ended on")
    assert set(CartLine.objects.values_list("item_id", flat=True)) == {ok.item_id, _third.item_id}
    assert _orders_state() == before


def test_a_quantity_that_would_overflow_the_cart_line_is_skipped(client, world, shop):
    po = _po(world, shop, lines=1)
    line = po.lines.get()
    put_in_cart(world, line.item, quantity=99_999)
    before = cart_state(world)
    client.force_login(world.requester)

    body = client.post(_api(po), content_type="application/json").json()

    assert body["added"] == []
    assert body["skipped"][0]["reason"] == "Your cart already holds 99,999; together that would be more than 100,000."
    assert cart_state(world) == before


def test_api_reorder_answers_what_was_added(client, world, shop):
    po = _po(world, shop, lines=1)
    client.force_login(world.requester)

    response = client.post(_api(po), content_type="application/json")

    assert response.status_code == 200
    [added] = response.json()["added"]
    assert added["item"]["sku"] == po.lines.get().sku and added["quantity"] == 2 and added["unit_price"] == "10.00"
    assert response.json()["cart_count"] == 1


def test_another_agencys_po_through_our_url_is_404_and_changes_nothing(client, world, shop):
    theirs = PurchaseOrder.objects.get(public_id=_other_po(world)["po"])
    put_in_cart(world, shop.battery)
    before = (cart_state(world), _orders_state())
    client.force_login(world.requester)

    assert client.post(_url(theirs)).status_code == 404
    response = client.post(_api(theirs), content_type="application/json")

    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert (cart_state(world), _orders_state()) == before


def test_another_member_of_the_agency_fills_their_own_cart(client, world, shop):
    po = _po(world, shop, lines=1)
    put_in_cart(world, shop.battery, quantity=4)
    before = cart_state(world)
    client.force_login(world.agency_admin)

    client.post(_url(po))

    assert cart_state(world) == before  # the requester's cart
    assert CartLine.objects.filter(cart__user=world.agency_admin).count() == 1


@pytest.mark.parametrize("path", ["html", "api"])
def test_reorder_query_count_is_the_same_for_5_and_50_lines(client, world, shop, path):
    def run(lines):
        contract = ContractFactory(cooperative=world.coop, supplier=world.supplier)
        po = purchase_order(world=world, status="sent", lines=lines, contract=contract)
        CartLine.objects.all().delete()
        client.force_login(world.requester)
        url = _url(po) if path == "html" else _api(po)
        with CaptureQueriesContext(connection) as queries:
            response = client.post(url, content_type="application/json") if path == "api" else client.post(url)
        assert response.status_code in (200, 302)
        assert CartLine.objects.count() == lines
        return len(queries)

    run(1)  # the cart row and the session exist from now on, as for any member who has shopped
    assert run(5) == run(50)
