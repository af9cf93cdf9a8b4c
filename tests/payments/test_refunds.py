"""Credit memos for returned or cancelled lines, and their refunds to the card: issued through Stripe
(localstripe), settled by `charge.refunded` (replayed: localstripe sends no refund events), never above what was
paid by card, never twice."""

from __future__ import annotations

from decimal import Decimal

import pytest

from marketplace.core.errors import ApplicationError
from marketplace.core.models import Notification
from orders.billing.services.cards import card_payment_start, credit_memo_create
from orders.billing.stripe.client import stripe_client
from orders.models import (
    AdminFeeAccrual,
    CreditMemo,
    InvoiceStatus,
    Payment,
    PaymentMethod,
    PaymentStatus,
    RefundStatus,
)
from tests.payments.helpers import (
    SUCCEEDS,
    books,
    browser_confirms,
    intent_event,
    payable_invoice,
    refund_event,
    settle,
)

pytestmark = pytest.mark.django_db

CREDIT_API = "/api/v1/suppliers/alpha-cells/invoices/{}/credit-memos/"


def _paid_by_card(world, finance, **kwargs):
    invoice = payable_invoice(world, **kwargs)
    payment = card_payment_start(invoice=invoice, actor=finance).payment
    assert browser_confirms(payment.stripe_payment_intent_id, SUCCEEDS) is None
    assert settle(intent_event("payment_intent.succeeded", payment)) == "payment applied"
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
    return invoice, payment


def test_credit_on_a_card_paid_invoice_refunds_the_card_once_the_webhook_says_so(world, finance, order_desk):
    invoice, payment = _paid_by_card(world, finance, quantity=3)  # $30.00
    line = invoice.lines.get()
    memo = credit_memo_create(
        invoice=invoice, actor=order_desk, po_line_id=line.po_line_id, quantity=1, reason="Returned: cracked case"
    )
    assert (memo.number, memo.amount, memo.refund_status) == ("INV-100-CM1", Decimal("10.00"), RefundStatus.PENDING)
    refund = stripe_client().v1.refunds.retrieve(memo.stripe_refund_id)
    assert (refund.amount, refund.payment_intent) == (1000, payment.stripe_payment_intent_id)
    invoice.refresh_from_db()
    assert (invoice.amount_credited, invoice.amount_refunded) == (0, 0)  # not until the refund has gone through
    assert Notification.objects.filter(user=finance, kind="refund").count() == 1

    answers = [settle(refund_event(memo, event_id="evt_refund_1")) for _ in range(3)]
    assert answers == ["INV-100-CM1: refunded", "already processed", "already processed"]
    assert settle(refund_event(memo)) == "INV-100-CM1: already settled"
    memo.refresh_from_db()
    invoice.refresh_from_db()
    assert memo.refund_status == RefundStatus.SUCCEEDED
    assert (invoice.amount_paid, invoice.amount_credited, invoice.amount_refunded) == (
        Decimal("30.00"),
        Decimal("10.00"),
        Decimal("10.00"),
    )
    assert invoice.balance_due == 0 and invoice.status == InvoiceStatus.PAID
    fee = AdminFeeAccrual.objects.get(credit_memo=memo)
    assert fee.base_amount == Decimal("-10.00") and fee.fee <= 0


def test_refunded_before_succeeded_changes_nothing_then_the_payment_applies(world, finance):
    invoice = payable_invoice(world)
    payment = card_payment_start(invoice=invoice, actor=finance).payment
    browser_confirms(payment.stripe_payment_intent_id, SUCCEEDS)
    early = settle(
        intent_event("payment_intent.succeeded", payment).replace(b"payment_intent.succeeded", b"charge.refunded")
    )
    assert early == "no refund of ours in this charge"
    invoice.refresh_from_db()
    assert (invoice.amount_paid, invoice.amount_refunded) == (0, 0)
    assert settle(intent_event("payment_intent.succeeded", payment)) == "payment applied"


def test_credit_on_an_unpaid_invoice_is_a_plain_credit(client, world, order_desk, finance):
    invoice = payable_invoice(world, quantity=3)
    line = invoice.lines.get()
    client.force_login(order_desk)
    response = client.post(
        CREDIT_API.format(invoice.public_id),
        {"po_line": line.po_line_id, "quantity": 2, "reason": "Cancelled by agreement"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["number"], body["amount"], body["refund_status"]) == ("INV-100-CM1", "20.00", "")
    invoice.refresh_from_db()
    assert (invoice.amount_credited, invoice.balance_due) == (Decimal("20.00"), Decimal("10.00"))
    assert Notification.objects.filter(user=finance, kind="refund").exists()
    # the quantity left to credit on the line is 1
    again = client.post(
        CREDIT_API.format(invoice.public_id),
        {"po_line": line.po_line_id, "quantity": 2, "reason": "again"},
        content_type="application/json",
    )
    assert again.status_code == 400 and "Between 1 and 1" in again.json()["error"]["fields"]["quantity"][0]


def test_a_refund_above_what_was_paid_by_card_is_refused(world, order_desk):
    invoice = payable_invoice(world)  # $20.00: $10 by card, $10 by check
    for method, intent in ((PaymentMethod.CARD, "pi_half"), (PaymentMethod.CHECK, None)):
        Payment.objects.create(
            invoice=invoice,
            agency=invoice.agency,
            supplier=invoice.supplier,
            cooperative=invoice.cooperative,
            method=method,
            status=PaymentStatus.SUCCEEDED,
            amount=Decimal("10.00"),
            stripe_payment_intent_id=intent,
        )
    invoice.amount_paid = Decimal("20.00")
    invoice.status = InvoiceStatus.PAID
    invoice.save(update_fields=["amount_paid", "status"])
    before = books(invoice)
    with pytest.raises(ApplicationError) as refused:
        credit_memo_create(
            invoice=invoice, actor=order_desk, po_line_id=invoice.lines.get().po_line_id, quantity=2, reason="Return"
        )
    assert refused.value.code == "refund_above_paid"
    assert "$20.00 is more than the $10.00 paid by card" in refused.value.message
    assert books(invoice) == before


def test_credit_while_a_card_payment_is_in_flight_is_refused(world, finance, order_desk):
    invoice = payable_invoice(world)
    card_payment_start(invoice=invoice, actor=finance)
    before = books(invoice)
    with pytest.raises(ApplicationError) as refused:
        credit_memo_create(
            invoice=invoice, actor=order_desk, po_line_id=invoice.lines.get().po_line_id, quantity=1, reason="x"
        )
    assert refused.value.code == "payment_in_progress"
    assert books(invoice) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"quantity": 1, "reason": "x"}, "po_line"),
        ({"po_line": "LINE", "quantity": 1, "reason": "x"}, "po_line"),
        ({"po_line": 0, "quantity": 0, "reason": "x"}, "quantity"),
        ({"po_line": 0, "quantity": -3, "reason": "x"}, "quantity"),
        ({"po_line": 0, "quantity": 10**12, "reason": "x"}, "quantity"),
        ({"po_line": 0, "quantity": "1.5", "reason": "x"}, "quantity"),
        ({"po_line": 0, "quantity": 1, "reason": ""}, "reason"),
        ({"po_line": 0, "quantity": 1, "reason": "x" * 10_000}, "reason"),
        ({"po_line": 0, "quantity": 1, "reason": "bad\x00"}, "reason"),
        ({"po_line": 99_999_999, "quantity": 1, "reason": "x"}, "po_line"),
        ({"po_line": 0, "quantity": 3, "reason": "'; DROP TABLE x; --"}, "quantity"),
    ],
)
def test_hostile_credit_input_is_a_400_and_nothing_changes(client, world, order_desk, body, field):
    invoice = payable_invoice(world)
    if body.get("po_line") == 0:
        body = {**body, "po_line": invoice.lines.get().po_line_id}
    client.force_login(order_desk)
    before = books(invoice)
    response = client.post(CREDIT_API.format(invoice.public_id), body, content_type="application/json")
    assert response.status_code == 400, response.content
    if "\x00" not in str(body["reason"]):  # NUL is refused for the whole request by the site middleware
        assert field in response.json()["error"]["fields"]
    assert books(invoice) == before


def test_credit_page_records_a_memo_and_shows_refusals_at_the_top(client, world, order_desk):
    invoice = payable_invoice(world)
    page = f"/suppliers/alpha-cells/invoices/{invoice.public_id}/credit/"
    client.force_login(order_desk)
    assert "Record credit memo" in client.get(page).content.decode()
    refused = client.post(page, {"po_line": invoice.lines.get().po_line_id, "quantity": "9", "reason": "Return"})
    assert refused.status_code == 400 and 'id="error-summary"' in refused.content.decode()
    assert not CreditMemo.objects.exists()
    done = client.post(page, {"po_line": invoice.lines.get().po_line_id, "quantity": "1", "reason": "Return"})
    assert done.status_code == 302
    assert "INV-100-CM1" in client.get(page).content.decode()


def test_a_catalog_manager_may_not_credit_and_another_suppliers_invoice_is_404(client, world, order_desk):
    invoice = payable_invoice(world)
    client.force_login(world.catalog_manager)
    body = {"po_line": invoice.lines.get().po_line_id, "quantity": 1, "reason": "x"}
    assert client.post(CREDIT_API.format(invoice.public_id), body, content_type="application/json").status_code == 403
    client.force_login(world.other_supplier_admin)
    url = f"/api/v1/suppliers/beta-lamps/invoices/{invoice.public_id}/credit-memos/"
    assert client.post(url, body, content_type="application/json").status_code == 404
    assert not CreditMemo.objects.exists()
