"""The billing journey in a real browser, from a partial shipment to a closed order: the supplier's order desk
invoices what it shipped (the agency has received nothing yet, so the invoice waits on hold), the requester
records the delivery and the invoice matches by itself, finance pays it by card (Stripe.js and the Stripe API from
localstripe; its signed webhook settles the payment) and the order closes. A second invoice, at a price other than
the order's, goes on hold and finance disputes it; the supplier reads the reason.

Every page is screenshotted and scanned by axe at 1280 and 390 px (`look`)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from orders.models import Invoice, InvoiceStatus, POStatus, PurchaseOrder, PurchaseOrderLine
from tests.browser.ordering import look
from tests.browser.test_card_payment import _fill_card
from tests.orders.billing_factories import receive_all, shipped_po
from tests.payments.helpers import SUCCEEDS


def _partially_shipped_rest_cancelled(world) -> PurchaseOrder:
    """Two lines of 4; the supplier shipped 2 of each and the agency agreed to cancel the other 2."""
    po = shipped_po(world, lines=2, quantity=4, shipped=2, number="ALPHA-2027-00071")
    PurchaseOrderLine.objects.filter(purchase_order=po).update(quantity_cancelled=2)
    PurchaseOrder.objects.filter(pk=po.pk).update(status=POStatus.SHIPPED)
    po.refresh_from_db()
    return po


def _status(ui, text: str) -> None:
    expect(ui.page.locator("#main-content")).to_contain_text(text)


def test_invoice_receive_match_pay_by_card_close_and_a_disputed_invoice(
    ui, world, password, finance, order_desk, localstripe_webhooks, worker
):
    po = _partially_shipped_rest_cancelled(world)
    first, second = po.lines.order_by("pk")

    # --- The order desk invoices the partial shipment; nothing is received yet, so it waits on hold.
    ui.sign_in(order_desk.email, password)
    ui.goto(f"/suppliers/{world.supplier.slug}/orders/{po.public_id}/", "desk-order-shipped")
    ui.page.get_by_role("link", name="Create invoice").click()
    ui.page.wait_for_load_state()
    look(ui, "invoice-new")
    ui.page.get_by_label("Invoice number").fill("AC-INV-7001")
    ui.page.get_by_role("button", name="Create invoice").click()
    ui.page.wait_for_load_state()
    invoice = Invoice.objects.get(number="AC-INV-7001")
    assert invoice.status == InvoiceStatus.ON_HOLD and invoice.total == first.unit_price * 2 + second.unit_price * 2
    _status(ui, "On hold")
    look(ui, "supplier-invoice-on-hold")
    ui.sign_out()

    # --- The requester records the delivery; the invoice matches by itself and the order is invoiced.
    ui.sign_in(world.requester.email, password)
    ui.goto(f"/agencies/{world.agency.slug}/orders/{po.public_id}/", "agency-order-shipped")
    ui.page.get_by_role("link", name="Record a delivery").click()
    ui.page.wait_for_load_state()
    for line in (first, second):
        ui.page.get_by_label(f"Received now, {line.sku}", exact=True).fill("2")
    ui.page.get_by_text("This delivery is complete").click()
    look(ui, "receive-form")
    ui.page.get_by_role("button", name="Record delivery").click()
    ui.page.wait_for_load_state()
    po.refresh_from_db()
    invoice.refresh_from_db()
    assert (po.status, invoice.status) == (POStatus.INVOICED, InvoiceStatus.READY)
    _status(ui, "Invoiced")
    look(ui, "agency-order-received-and-invoiced")
    ui.sign_out()

    # --- Finance pays the matched invoice by card; Stripe's webhook settles it and the order closes.
    ui.sign_in(finance.email, password)
    ui.goto(f"/agencies/{world.agency.slug}/invoices/{invoice.public_id}/", "agency-invoice-ready")
    _status(ui, "Matched, ready to pay")
    ui.page.get_by_role("link", name="Pay by card").click()
    ui.page.wait_for_load_state()
    ui.page.get_by_role("button", name="Pay $40.00 by card").click()
    expect(ui.page.get_by_role("button", name="Pay $40.00")).to_be_enabled()  # Stripe.js loaded, card mounted
    look(ui, "card-form")
    _fill_card(ui.page, SUCCEEDS)
    ui.page.get_by_role("button", name="Pay $40.00").click()
    expect(ui.page.get_by_role("heading", name="Paid")).to_be_visible(timeout=30_000)
    look(ui, "card-payment-paid")
    invoice.refresh_from_db()
    po.refresh_from_db()
    assert (invoice.status, invoice.balance_due, po.status) == (InvoiceStatus.PAID, 0, POStatus.CLOSED)
    ui.goto(f"/agencies/{world.agency.slug}/orders/{po.public_id}/", "agency-order-closed")
    _status(ui, "Closed")
    expect(ui.page.locator("#main-content")).to_contain_text("received and every invoice paid")

    # --- A second order, received in full, invoiced below the order's price: on hold; finance disputes it.
    other = receive_all(shipped_po(world, lines=1, quantity=2, number="ALPHA-2027-00072"))
    line = other.lines.get()
    ui.sign_out()
    ui.sign_in(order_desk.email, password)
    ui.goto(f"/suppliers/{world.supplier.slug}/orders/{other.public_id}/invoices/new/")
    ui.page.get_by_label("Invoice number").fill("AC-INV-7002")
    ui.page.get_by_label(re.compile(rf"^Unit price of {re.escape(line.sku)}")).fill(str(line.unit_price - 1))
    ui.page.get_by_role("button", name="Create invoice").click()
    ui.page.wait_for_load_state()
    held = Invoice.objects.get(number="AC-INV-7002")
    assert held.status == InvoiceStatus.ON_HOLD and "differs from the order" in held.match_problems[0]["problem"]
    ui.sign_out()

    ui.sign_in(finance.email, password)
    ui.goto(f"/agencies/{world.agency.slug}/invoices/{held.public_id}/", "agency-invoice-on-hold")
    _status(ui, "differs from the order")
    ui.page.get_by_label("Reason for the dispute").fill("Price is not the contract price; bill the order's price.")
    ui.page.get_by_role("button", name="Dispute").click()
    ui.page.wait_for_load_state()
    held.refresh_from_db()
    assert held.status == InvoiceStatus.DISPUTED
    _status(ui, "Disputed")
    ui.sign_out()

    ui.sign_in(order_desk.email, password)
    ui.goto(f"/suppliers/{world.supplier.slug}/invoices/{held.public_id}/", "supplier-invoice-disputed")
    _status(ui, "bill the order's price")
    expect(ui.page.get_by_role("heading", name="Answer the dispute")).to_be_visible()
