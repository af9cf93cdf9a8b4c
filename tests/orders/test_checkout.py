"""Checkout: one requisition split per contract at the price in effect, re-validated in bulk, nothing created
when anything is wrong; tax exemption; local store fulfilment; the HTML form and its one-time token."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agencies.models import TaxExemptionCertificate
from contracts.models import CatalogItem, PriceChange
from marketplace.core.dates import organization_today
from marketplace.core.models import Notification
from orders.models import (
    CartLine,
    IdempotencyRecord,
    OrderEvent,
    PurchaseOrder,
    PurchaseOrderLine,
    Requisition,
)
from tests.factories import FacilityFactory
from tests.orders.factories import FundCodeFactory, priced_item
from tests.orders.shopping import cart_state, make_shop, put_in_cart

pytestmark = pytest.mark.django_db

API = "/api/v1/agencies/city-of-alpha/checkout/"
PAGE = "/agencies/city-of-alpha/checkout/"


@pytest.fixture
def shop(world):
    return make_shop(world)


def _nothing_created():
    return (Requisition.objects.count(), PurchaseOrder.objects.count(), PurchaseOrderLine.objects.count())


def _certificate(world, state="FL", **fields):
    return TaxExemptionCertificate.objects.create(
        agency=world.agency,
        state=state,
        number=fields.pop("number", "FL-EX-123"),
        file="x.pdf",
        sha256="0" * 64,
        **fields,
    )


def test_checkout_splits_per_contract_at_contract_price(client, world, shop):
    _certificate(world)
    put_in_cart(world, shop.battery, 3)
    put_in_cart(world, shop.lamp, 3)
    saved = put_in_cart(world, priced_item(contract=shop.contract, sku="KEEP-1"), 1, saved_for_later=True)
    client.force_login(world.requester)
    response = client.post(
        API,
        {
            "requested_date": (organization_today(world.agency) + dt.timedelta(days=3)).isoformat(),
            "notes": "Dock B",
            "fulfilment": [{"contract": shop.contract.id, "method": "store_pickup"}],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["status"] == "approved"  # no approval rules: approved at once
    assert data["total"] == "52.50" and data["list_total"] == "78.00"
    requisition = Requisition.objects.get()
    pos = {po.contract.number: po for po in requisition.purchase_orders.all()}
    assert set(pos) == {"CT-BATT", "CT-LAMP"}
    batt = pos["CT-BATT"]
    # approved at once, then released: numbered and sent, its PDF queued for the worker
    assert batt.number.startswith(f"{world.agency.code or ''}") and batt.number
    assert (batt.status, batt.subtotal, batt.list_total, batt.fulfilment) == (
        "sent",
        Decimal("30.00"),
        Decimal("42.00"),
        "store_pickup",
    )
    assert batt.store.name == "Alpha Cells Orlando"
    assert batt.tax_exempt and batt.tax_certificate.number == "FL-EX-123" and batt.tax == 0
    assert batt.order_date == organization_today(world.agency)
    line = batt.lines.get()
    assert (line.unit_price, line.amount, line.fund_code, line.price_change.new_price) == (
        Decimal("10.00"),
        Decimal("30.00"),
        shop.fund,
        Decimal("10.00"),
    )
    assert pos["CT-LAMP"].fulfilment == "delivery" and pos["CT-LAMP"].store is None
    # the timeline: submitted -> approved per PO, the requisition's creation and approval
    assert list(batt.events.values_list("from_status", "to_status")) == [
        ("submitted", "approved"),
        ("approved", "sent"),
    ]
    assert OrderEvent.objects.filter(requisition=requisition, purchase_order=None).count() == 2
    # ordered lines left the cart; the saved one stays
    assert list(CartLine.objects.values_list("pk", flat=True)) == [saved.pk]
    assert Notification.objects.filter(
        user=world.requester, title__startswith="Order approved", kind="approved"
    ).exists()


def test_amounts_round_half_up_and_totals_sum_rounded_lines(client, world, shop):
    item = priced_item(contract=shop.contract, sku="HALF", contract_price="0.35", list_price="0.50")
    put_in_cart(world, item, 3)
    client.force_login(world.requester)
    assert client.post(API, {}, content_type="application/json").status_code == 201
    line = PurchaseOrderLine.objects.get()
    assert line.amount == Decimal("1.05") and PurchaseOrder.objects.get().subtotal == Decimal("1.05")


def test_without_certificate_not_tax_exempt_and_page_says_so(client, world, shop):
    _certificate(world, expires_on=dt.date(2020, 1, 1))  # expired
    _certificate(world, number="REMOVED", removed_at="2026-01-01T00:00:00Z")
    put_in_cart(world, shop.battery, 1)
    client.force_login(world.requester)
    page = client.get(PAGE).content.decode()
    assert "no valid tax-exemption certificate for FL" in page
    assert client.post(API, {}, content_type="application/json").status_code == 201
    po = PurchaseOrder.objects.get()
    assert (po.tax_exempt, po.tax_certificate, po.tax) == (False, None, Decimal("0.00"))


def test_another_agencys_certificate_for_the_ship_to_state_is_never_attached(client, world, shop):
    TaxExemptionCertificate.objects.create(
        agency=world.other_agency, state="FL", number="OTHER-FL-EX", file="x.pdf", sha256="0" * 64
    )
    put_in_cart(world, shop.battery, 1)
    client.force_login(world.requester)
    assert "no valid tax-exemption certificate for FL" in client.get(PAGE).content.decode()
    assert client.post(API, {}, content_type="application/json").status_code == 201
    po = PurchaseOrder.objects.get()
    assert (po.tax_exempt, po.tax_certificate) == (False, None)


def _refused(client, body, field_prefix, text):
    before = _nothing_created()
    response = client.post(API, body, content_type="application/json")
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "checkout_invalid"
    matching = [m for key, msgs in error["fields"].items() if key.startswith(field_prefix) for m in msgs]
    assert any(text in m for m in matching), error
    assert _nothing_created() == before
    return error


def test_price_rose_since_added_is_explained_and_nothing_created(client, world, shop):
    line = put_in_cart(world, shop.battery, 2)
    PriceChange.objects.create(
        item=shop.battery,
        old_price="10.00",
        new_price="11.00",
        status="approved",
        effective_date=organization_today(world.agency),
    )
    CatalogItem.objects.filter(pk=shop.battery.pk).update(contract_price="11.00")
    before = cart_state(world)
    client.force_login(world.requester)
    _refused(client, {}, f"lines.{line.id}.price", "rose from $10.00 to $11.00")
    assert cart_state(world) == before
    page = client.post(PAGE, {"checkout_token": "t1", "facility": shop.facility.id, "fund_code": shop.fund.id})
    assert page.status_code == 400
    body = page.content.decode()
    assert "rose from $10.00 to $11.00" in body and 'id="error-summary"' in body
    assert _nothing_created() == (0, 0, 0) and not IdempotencyRecord.objects.exists()


def test_contract_expired_between_cart_and_checkout(client, world, shop):
    line = put_in_cart(world, shop.battery, 1)
    put_in_cart(world, shop.lamp, 1)
    shop.contract.status = "expired"
    shop.contract.save(update_fields=["status"])
    before = cart_state(world)
    client.force_login(world.requester)
    _refused(client, {}, f"lines.{line.id}.contract", "Contract CT-BATT can no longer be used")
    assert cart_state(world) == before


def test_contract_not_started_yet_is_refused_with_its_start_date(client, world, shop):
    """A contract whose term starts tomorrow (the agency's calendar) cannot be ordered on: checkout names the date,
    the cart page warns, adding more is refused, and nothing is written."""
    line = put_in_cart(world, shop.battery, 1)
    put_in_cart(world, shop.lamp, 1)
    start = organization_today(world.agency) + dt.timedelta(days=1)
    shop.contract.term_start = start
    shop.contract.save(update_fields=["term_start"])
    before = cart_state(world)
    client.force_login(world.requester)
    when = f"{start:%b} {start.day}, {start.year}"

    error = _refused(
        client, {}, f"lines.{line.id}.contract", f"AA-24: Contract CT-BATT cannot be used yet: it starts on {when}"
    )
    assert "CT-LAMP" not in str(error["fields"])  # the contract in its term is fine
    cart_page = client.get("/agencies/city-of-alpha/cart/").content.decode()
    assert f"Contract CT-BATT cannot be used yet: it starts on {when}" in cart_page
    added = client.post(
        "/api/v1/agencies/city-of-alpha/cart/lines/",
        {"item": shop.battery.pk, "quantity": 1},
        content_type="application/json",
    )
    assert added.status_code == 400
    assert cart_state(world) == before
    assert _nothing_created() == (0, 0, 0) and not IdempotencyRecord.objects.exists()


def test_contract_ended_yesterday_is_refused_before_the_sweep_marks_it(client, world, shop):
    line = put_in_cart(world, shop.battery, 1)
    end = organization_today(world.agency) - dt.timedelta(days=1)
    shop.contract.term_end = end
    shop.contract.term_start = end - dt.timedelta(days=365)
    shop.contract.save(update_fields=["term_end", "term_start"])  # still "active": the hourly sweep has not run
    client.force_login(world.requester)
    _refused(
        client,
        {},
        f"lines.{line.id}.contract",
        f"Contract CT-BATT can no longer be used: its term ended on {end:%b} {end.day}",
    )


def test_quantity_problems_at_checkout(client, world, shop):
    huge = put_in_cart(world, shop.battery, 1)
    CartLine.objects.filter(pk=huge.pk).update(quantity=100_001)
    fine = put_in_cart(world, shop.lamp, 5)
    client.force_login(world.requester)
    error = _refused(client, {}, f"lines.{huge.id}.quantity", "at most 100,000")
    assert f"lines.{fine.id}.quantity" not in error["fields"]  # only the line at fault is named


def test_fund_code_facility_of_another_agency_are_refused(client, world, shop):
    put_in_cart(world, shop.battery, 1)
    theirs_fund = FundCodeFactory(agency=world.other_agency, code="999-BETA")
    theirs_facility = FacilityFactory(agency=world.other_agency)
    client.force_login(world.requester)
    _refused(client, {"fund_code": theirs_fund.id}, "fund_code", "your agency's active fund codes")
    _refused(client, {"facility": theirs_facility.id}, "facility", "your agency's active ship-to facilities")
    line = CartLine.objects.get()
    _refused(client, {"lines": [{"id": line.id, "fund_code": theirs_fund.id}]}, f"lines.{line.id}.fund_code", "active")


def test_date_in_the_past_emergency_without_reason_and_bad_store(client, world, shop):
    put_in_cart(world, shop.lamp, 1)
    client.force_login(world.requester)
    yesterday = organization_today(world.agency) - dt.timedelta(days=1)
    _refused(client, {"requested_date": yesterday.isoformat()}, "requested_date", "cannot be in the past")
    _refused(client, {"is_emergency": True}, "emergency_reason", "Say what the emergency is")
    _refused(
        client,
        {"fulfilment": [{"contract": shop.contract2.id, "method": "store_pickup"}]},
        f"fulfilment.{shop.contract2.id}",
        "no locally owned store",
    )
    _refused(client, {"requested_date": "not-a-date"}, "requested_date", "Date has wrong format")


def test_empty_cart_is_refused(client, world, shop):
    client.force_login(world.requester)
    _refused(client, {}, "cart", "Add items")


def test_html_checkout_and_double_submit(client, world, shop):
    put_in_cart(world, shop.battery, 2)
    client.force_login(world.requester)
    page = client.get(PAGE)
    token = page.context["checkout_token"]
    form = {
        "checkout_token": token,
        "facility": shop.facility.id,
        "fund_code": shop.fund.id,
        f"fulfilment-{shop.contract.id}": "store_delivery",
    }
    first = client.post(PAGE, form)
    assert first.status_code == 302
    requisition = Requisition.objects.get()
    assert first["Location"] == f"/agencies/city-of-alpha/checkout/done/{requisition.public_id}/"
    second = client.post(PAGE, form)  # the double click
    assert second.status_code == 302 and second["Location"] == first["Location"]
    assert Requisition.objects.count() == 1
    done = client.get(first["Location"]).content.decode()
    assert "AA-24" in done and "Local delivery from the store" in done and "Alpha Cells Orlando" in done
    # another member cannot open it
    client.force_login(world.agency_admin)
    assert client.get(first["Location"]).status_code == 404


def test_checkout_page_defaults_from_member_defaults(client, world, shop):
    put_in_cart(world, shop.battery, 1)
    FacilityFactory(agency=world.agency, name="Aardvark Station")  # first by name, not the default
    client.force_login(world.requester)
    context = client.get(PAGE).context
    assert context["facility"] == shop.facility and context["default_fund_id"] == shop.fund.id
    assert "Pick up at Alpha Cells Orlando" in client.get(PAGE).content.decode()


def test_checkout_query_count_is_constant(client, world, shop, django_assert_num_queries):
    client.force_login(world.requester)

    def fill(start, stop):
        for n in range(start, stop):
            put_in_cart(world, priced_item(contract=shop.contract if n % 2 else shop.contract2, sku=f"C-{n}"), 2)

    # a first order creates the agency's PO number sequence for the fiscal year (once a year, not per order)
    fill(100, 101)
    assert client.post(API, {}, content_type="application/json").status_code == 201
    fill(0, 5)
    with CaptureQueriesContext(connection) as five:
        assert client.post(API, {}, content_type="application/json").status_code == 201
    fill(5, 55)
    with django_assert_num_queries(len(five.captured_queries)):
        response = client.post(API, {}, content_type="application/json")
    assert response.status_code == 201
    assert PurchaseOrderLine.objects.count() == 56
