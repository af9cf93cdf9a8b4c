"""Finance pays an invoice by card in a real browser against localstripe (its stand-in Stripe.js on the page, its
API behind our server, its signed webhooks to this test's live server): a good card ends on "Paid" once the
webhook has settled it; a declined card shows the bank's message on the pay page and leaves the invoice unpaid."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from orders.models import InvoiceStatus, Payment, PaymentStatus
from tests.payments.helpers import DECLINED_BY_LOCALSTRIPE, SUCCEEDS, payable_invoice

SHOTS = Path("/tmp/shots")
WEBHOOK_WAIT_MS = 30_000


@pytest.fixture
def pay_page(localstripe_webhooks, world, finance, worker):
    """An invoice ready to pay; the real worker settles the webhook events the live server stores."""
    invoice = payable_invoice(world, quantity=3)  # 3 × $10.00
    return invoice, f"/agencies/{world.agency.slug}/invoices/{invoice.public_id}/pay/"


def _fill_card(page, number: str) -> None:
    card = page.locator("#card-element")
    card.get_by_placeholder("number").fill(number)
    card.get_by_placeholder("exp_month").fill("12")
    card.get_by_placeholder("exp_year").fill("30")
    card.get_by_placeholder("cvc").fill("123")
    card.get_by_placeholder("postal_code").fill("97201")


def _open_card_form(ui, path: str) -> None:
    ui.goto(path, "pay-page")
    expect(ui.page.get_by_role("heading", name="Pay invoice INV-100 by card")).to_be_visible()
    ui.page.get_by_role("button", name="Pay $30.00 by card").click()
    expect(ui.page.get_by_role("heading", name="Card details for $30.00")).to_be_visible()
    expect(ui.page.get_by_role("button", name="Pay $30.00")).to_be_enabled()  # Stripe.js loaded, card mounted


def test_finance_pays_an_invoice_by_card(ui, pay_page, finance, password):
    invoice, path = pay_page
    ui.sign_in(finance.email, password)
    _open_card_form(ui, path)
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        ui.page.set_viewport_size({"width": width, "height": 900})
        ui.page.screenshot(path=str(SHOTS / f"pay-page-{width}.png"), full_page=True, caret="initial")
    ui.page.set_viewport_size({"width": 1280, "height": 900})
    ui.assert_accessible("card-form")

    _fill_card(ui.page, SUCCEEDS)
    ui.page.get_by_role("button", name="Pay $30.00").click()

    expect(ui.page.get_by_role("heading", name="Card payment of invoice INV-100")).to_be_visible()
    # the status page reads our books and polls until localstripe's webhook has settled the payment
    expect(ui.page.get_by_role("heading", name="Paid")).to_be_visible(timeout=WEBHOOK_WAIT_MS)
    ui.shot("paid")
    ui.page.screenshot(path=str(SHOTS / "paid-1280.png"), full_page=True, caret="initial")
    invoice.refresh_from_db()
    assert (invoice.status, invoice.amount_paid, invoice.balance_due) == (InvoiceStatus.PAID, Decimal("30.00"), 0)
    assert Payment.objects.get(invoice=invoice).status == PaymentStatus.SUCCEEDED
    assert not [e for e in ui.console_errors if "Content Security Policy" in e], ui.console_errors


def test_a_declined_card_shows_the_banks_message_and_the_invoice_stays_unpaid(ui, pay_page, finance, password):
    invoice, path = pay_page
    ui.sign_in(finance.email, password)
    _open_card_form(ui, path)

    _fill_card(ui.page, DECLINED_BY_LOCALSTRIPE)
    ui.page.get_by_role("button", name="Pay $30.00").click()

    alert = ui.page.locator("#card-errors")
    expect(alert).to_have_text(
        "Declined: Your card was declined. Nothing has been charged. Try another card, or call the bank that issued "
        "this card."
    )
    expect(ui.page.get_by_role("button", name="Pay $30.00")).to_be_enabled()
    assert ui.page.url.endswith("/pay/")  # still on the pay page
    ui.shot("declined")
    ui.page.screenshot(path=str(SHOTS / "declined-1280.png"), full_page=True, caret="initial")
    ui.assert_accessible("card-declined")

    payment = Payment.objects.get(invoice=invoice)
    status_page = f"/agencies/{invoice.agency.slug}/invoices/{invoice.public_id}/payments/{payment.public_id}/"
    ui.goto(status_page, "declined-status")
    expect(ui.page.get_by_role("heading", name="Declined")).to_be_visible(timeout=WEBHOOK_WAIT_MS)
    invoice.refresh_from_db()
    assert (invoice.status, invoice.amount_paid) == (InvoiceStatus.READY, 0)
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.FAILED


def test_a_mistyped_card_is_explained_without_leaving_the_page(ui, pay_page, finance, password):
    invoice, path = pay_page
    ui.sign_in(finance.email, password)
    _open_card_form(ui, path)

    _fill_card(ui.page, "4242 4242")
    ui.page.get_by_role("button", name="Pay $30.00").click()

    expect(ui.page.locator("#card-errors")).to_contain_text("The card details were not accepted.")
    expect(ui.page.get_by_role("button", name="Pay $30.00")).to_be_enabled()
    assert Payment.objects.get(invoice=invoice).status == PaymentStatus.PENDING
    invoice.refresh_from_db()
    assert invoice.amount_paid == 0


def test_a_card_that_needs_3d_secure_is_confirmed_in_the_browser(ui, pay_page, finance, password):
    invoice, path = pay_page
    ui.sign_in(finance.email, password)
    _open_card_form(ui, path)

    _fill_card(ui.page, "4000002500003155")
    ui.page.get_by_role("button", name="Pay $30.00").click()
    ui.page.get_by_role("button", name="Complete authentication").click()  # localstripe's 3-D Secure prompt

    expect(ui.page.get_by_role("heading", name="Paid")).to_be_visible(timeout=WEBHOOK_WAIT_MS)
    invoice.refresh_from_db()
    assert (invoice.status, invoice.amount_paid) == (InvoiceStatus.PAID, Decimal("30.00"))
