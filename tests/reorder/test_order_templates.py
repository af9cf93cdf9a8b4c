"""Order templates: agency admins and approvers make, rename, change and delete them (audited); any member loads
one into their cart (checked as adding to the cart is; what cannot be ordered is skipped with the reason).
Another agency's template through our URL is 404; a requester cannot change one; nothing else changes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contracts.models import CatalogItem
from marketplace.core.models import AuditEvent
from orders.models import CartLine, OrderTemplate, OrderTemplateLine
from tests.factories import ContractFactory
from tests.orders.factories import priced_item
from tests.orders.shopping import cart_state, make_shop, put_in_cart
from tests.reorder.isolation_routes import _other_template

pytestmark = pytest.mark.django_db

API = "/api/v1/agencies/city-of-alpha/order-templates/"
PAGES = "/agencies/city-of-alpha/order-templates/"


@pytest.fixture
def shop(world):
    return make_shop(world)


def _kit(world, shop, name="Emergency backup power kit"):
    template = OrderTemplate.objects.create(agency=world.agency, name=name, created_by=world.agency_admin)
    OrderTemplateLine.objects.create(template=template, item=shop.battery, quantity=24)
    OrderTemplateLine.objects.create(template=template, item=shop.lamp, quantity=6)
    return template


def _templates():
    return (
        tuple(OrderTemplate.objects.order_by("pk").values_list("pk", "name", "description")),
        tuple(OrderTemplateLine.objects.order_by("pk").values_list("pk", "template_id", "item_id", "quantity")),
    )


def _audit(action):
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


# --- making and changing templates -------------------------------------------------------------------------


def test_admin_makes_a_template_through_the_api_and_it_is_audited(client, world, shop):
    client.force_login(world.agency_admin)
    response = client.post(
        API,
        {
            "name": "Storm kit",
            "description": "Hurricane season",
            "lines": [{"item": shop.battery.id, "quantity": 24}, {"item": shop.lamp.id, "quantity": 6}],
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "Storm kit" and body["total"] == "285.00"  # 24 × 10.00 + 6 × 7.50
    assert [(line["item"]["sku"], line["quantity"], line["orderable"]) for line in body["lines"]] == [
        ("AA-24", 24, True),
        ("LED-9W", 6, True),
    ]
    template = OrderTemplate.objects.get(public_id=body["id"])
    assert template.created_by == world.agency_admin
    [event] = _audit("order_template.created")
    assert event.after["lines"] == [{"sku": "AA-24", "quantity": 24}, {"sku": "LED-9W", "quantity": 6}]


def test_save_cart_as_template_takes_the_lines_to_order_only(client, world, shop, make_member):
    approver = make_member(world.agency, "approver", email="approver@alpha.test")
    put_in_cart(world, shop.battery, quantity=3, user=approver)
    put_in_cart(world, shop.lamp, quantity=2, user=approver, saved_for_later=True)
    before = cart_state(world, approver)
    client.force_login(approver)

    response = client.post(f"{PAGES}new/", {"name": "Fleet top-up", "from_cart": "on"})

    template = OrderTemplate.objects.get(name="Fleet top-up")
    assert response.status_code == 302 and response["Location"] == f"{PAGES}{template.public_id}/"
    assert list(template.lines.values_list("item_id", "quantity")) == [(shop.battery.id, 3)]
    assert cart_state(world, approver) == before  # the cart stays as it was


def test_requester_cannot_make_change_or_delete_a_template(client, world, shop):
    template = _kit(world, shop)
    before = (_templates(), AuditEvent.objects.exclude(action__startswith="auth.").count())
    client.force_login(world.requester)

    assert client.post(API, {"name": "Mine"}, content_type="application/json").status_code == 403
    assert (
        client.patch(f"{API}{template.public_id}/", {"name": "X"}, content_type="application/json").status_code == 403
    )
    assert client.delete(f"{API}{template.public_id}/").status_code == 403
    assert client.get(f"{PAGES}new/").status_code == 403
    assert client.post(f"{PAGES}new/", {"name": "Mine"}).status_code == 403
    for data in ({"action": "rename", "name": "X"}, {"action": "delete"}, {"action": "remove", "item": shop.lamp.id}):
        assert client.post(f"{PAGES}{template.public_id}/edit/", data).status_code == 403

    assert (_templates(), AuditEvent.objects.exclude(action__startswith="auth.").count()) == before
    page = client.get(f"{PAGES}{template.public_id}/").content.decode()
    assert "Load into cart" in page and "Delete template" not in page and "Add an item" not in page


def test_a_template_refuses_items_the_agency_cannot_buy_and_bad_quantities(client, world, shop):
    other_contract = ContractFactory(cooperative=world.other_coop, supplier=world.other_supplier, number="BETA-1")
    theirs = priced_item(contract=other_contract, sku="BETA-ONLY")
    gone = priced_item(contract=shop.contract, sku="GONE-1")
    CatalogItem.objects.filter(pk=gone.pk).update(status="discontinued")
    _kit(world, shop)
    before = _templates()
    client.force_login(world.agency_admin)

    response = client.post(
        API,
        {
            "name": "Emergency Backup Power Kit",
            "lines": [
                {"item": theirs.id, "quantity": 1},
                {"item": gone.id, "quantity": 1},
                {"item": shop.battery.id, "quantity": 0},
            ],
        },
        content_type="application/json",
    )

    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert fields["name"] == ["Your agency already has a template with this name."]
    assert "BETA-1" not in str(fields)  # another tenant's contract is never named
    assert fields["lines.0.item"] == fields["lines.1.item"]
    assert fields["lines.2.quantity"] == ["The quantity must be at least 1."]
    assert _templates() == before


def test_admin_renames_and_replaces_lines_and_the_audit_row_says_what_changed(client, world, shop):
    template = _kit(world, shop)
    client.force_login(world.agency_admin)

    response = client.patch(
        f"{API}{template.public_id}/",
        {"name": "Generator kit", "lines": [{"item": shop.battery.id, "quantity": 48}]},
        content_type="application/json",
    )

    assert response.status_code == 200 and response.json()["name"] == "Generator kit"
    assert list(template.lines.values_list("item_id", "quantity")) == [(shop.battery.id, 48)]
    [event] = _audit("order_template.updated")
    assert event.before == {
        "name": "Emergency backup power kit",
        "lines": [{"sku": "AA-24", "quantity": 24}, {"sku": "LED-9W", "quantity": 6}],
    }
    assert event.after == {"name": "Generator kit", "lines": [{"sku": "AA-24", "quantity": 48}]}


def test_template_page_forms_add_by_sku_change_remove_rename_and_delete(client, world, shop):
    template = _kit(world, shop)
    extra = priced_item(contract=shop.contract, sku="D-CELL-12")
    client.force_login(world.agency_admin)
    edit = f"{PAGES}{template.public_id}/edit/"

    assert client.post(edit, {"action": "add", "sku": "d-cell-12", "quantity": "4"}).status_code == 302
    client.post(edit, {"action": "update", "item": shop.battery.id, "quantity": "30"})
    client.post(edit, {"action": "remove", "item": shop.lamp.id})
    client.post(edit, {"action": "rename", "name": "Generator kit", "description": "Station 3"})
    refused = client.post(edit, {"action": "update", "item": shop.battery.id, "quantity": "1.5"})

    assert [str(m) for m in get_messages(refused.wsgi_request)][-1] == "Enter a whole number, like 1 or 12."
    template.refresh_from_db()
    assert (template.name, template.description) == ("Generator kit", "Station 3")
    assert sorted(template.lines.values_list("item_id", "quantity")) == sorted([(shop.battery.id, 30), (extra.id, 4)])
    assert client.post(edit, {"action": "add", "sku": "NO-SUCH", "quantity": "1"}).status_code == 302
    assert template.lines.count() == 2

    response = client.post(edit, {"action": "delete"})

    assert response.status_code == 302 and response["Location"] == PAGES
    assert not OrderTemplate.objects.filter(pk=template.pk).exists()
    assert not OrderTemplateLine.objects.filter(template_id=template.pk).exists()
    [event] = _audit("order_template.deleted")
    assert event.before["name"] == "Generator kit" and len(event.before["lines"]) == 2


def test_another_agencys_template_through_our_url_is_404_and_changes_nothing(client, world, shop):
    theirs = _other_template(world)["template"]
    put_in_cart(world, shop.battery)
    before = (_templates(), cart_state(world))
    client.force_login(world.agency_admin)

    assert client.get(f"{PAGES}{theirs}/").status_code == 404
    assert client.post(f"{PAGES}{theirs}/load/").status_code == 404
    assert client.post(f"{PAGES}{theirs}/edit/", {"action": "delete"}).status_code == 404
    for method, path in (("get", ""), ("patch", ""), ("delete", ""), ("post", "load/")):
        response = getattr(client, method)(f"{API}{theirs}/{path}", {"name": "x"}, content_type="application/json")
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found", (method, path)

    client.force_login(world.requester)
    assert client.post(f"{API}{theirs}/load/", content_type="application/json").status_code == 404
    assert (_templates(), cart_state(world)) == before


# --- loading into the cart -----------------------------------------------------------------------------------


def test_any_requester_loads_a_template_at_todays_prices_and_skips_what_cannot_be_ordered(client, world, shop):
    template = _kit(world, shop)
    gone = priced_item(contract=shop.contract, sku="GONE-2")
    OrderTemplateLine.objects.create(template=template, item=gone, quantity=1)
    CatalogItem.objects.filter(pk=gone.pk).update(status="discontinued")
    CatalogItem.objects.filter(pk=shop.battery.pk).update(contract_price=Decimal("9.50"))
    put_in_cart(world, shop.lamp, quantity=2)
    before = _templates()
    client.force_login(world.requester)

    page = client.get(f"{PAGES}{template.public_id}/").content.decode()
    response = client.post(f"{PAGES}{template.public_id}/load/")

    assert "GONE-2 is no longer offered on contract CT-BATT." in page
    assert response.status_code == 302 and response["Location"] == "/agencies/city-of-alpha/cart/"
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert texts == [
        "Added 2 lines from “Emergency backup power kit” to your cart.",
        "Not added: GONE-2 Item GONE-2 — GONE-2 is no longer offered on contract CT-BATT.",
    ]
    lines = {line.item_id: line for line in CartLine.objects.filter(cart__user=world.requester)}
    assert (lines[shop.battery.id].quantity, lines[shop.battery.id].unit_price_snapshot) == (24, Decimal("9.50"))
    assert lines[shop.lamp.id].quantity == 8
    assert _templates() == before


def test_api_load_reports_added_and_skipped(client, world, shop):
    template = _kit(world, shop)
    shop.contract.status = "expired"
    shop.contract.save(update_fields=["status"])
    client.force_login(world.requester)

    body = client.post(f"{API}{template.public_id}/load/", content_type="application/json").json()

    assert [a["item"]["sku"] for a in body["added"]] == ["LED-9W"]
    assert body["skipped"][0]["sku"] == "AA-24"
    assert body["skipped"][0]["reason"].startswith("Contract CT-BATT can no longer be used: its term ended on")
    assert body["cart_count"] == 1


def test_template_list_and_page_show_the_templates(client, world, shop):
    _kit(world, shop)
    client.force_login(world.requester)

    page = client.get(PAGES).content.decode()
    api = client.get(API).json()

    assert "Emergency backup power kit" in page and "2 items" in page and "New template" not in page
    assert api["count"] == 1 and api["results"][0]["line_count"] == 2


# --- query counts ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [PAGES, API])
def test_template_list_query_count_is_the_same_for_1_and_30_templates(client, world, shop, path):
    client.force_login(world.requester)

    def count(n):
        OrderTemplate.objects.all().delete()
        for i in range(n):
            _kit(world, shop, name=f"Kit {i:02d}")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    count(1)
    assert count(1) == count(30)


@pytest.mark.parametrize("api", [False, True])
def test_load_query_count_is_the_same_for_5_and_50_lines(client, world, shop, api):
    client.force_login(world.requester)

    def run(n):
        contract = ContractFactory(cooperative=world.coop, supplier=world.supplier)
        template = OrderTemplate.objects.create(agency=world.agency, name=f"Kit {contract.number}")
        for i in range(n):
            OrderTemplateLine.objects.create(
                template=template, item=priced_item(contract=contract, sku=f"K{i}"), quantity=i + 1
            )
        CartLine.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            if api:
                assert (
                    client.post(f"{API}{template.public_id}/load/", content_type="application/json").status_code == 200
                )
            else:
                assert client.post(f"{PAGES}{template.public_id}/load/").status_code == 302
        assert CartLine.objects.count() == n
        return len(queries)

    run(1)
    assert run(5) == run(50)


def test_template_page_query_count_is_the_same_for_5_and_50_lines(client, world, shop):
    client.force_login(world.agency_admin)

    def run(n):
        contract = ContractFactory(cooperative=world.coop, supplier=world.supplier)
        template = OrderTemplate.objects.create(agency=world.agency, name=f"Kit {contract.number}")
        for i in range(n):
            OrderTemplateLine.objects.create(
                template=template, item=priced_item(contract=contract, sku=f"P{i}"), quantity=1
            )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"{PAGES}{template.public_id}/").status_code == 200
        return len(queries)

    run(1)
    assert run(5) == run(50)
