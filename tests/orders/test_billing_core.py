"""The shared billing core: three-way match, the order's progress from shipped to closed, payments settled
once, the admin fee per payment, and financial rows the database will not delete."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, InternalError, ProgrammingError, connection, transaction

from orders.billing.services.fees import admin_fee
from orders.billing.services.ledger import payment_fail, payment_succeed
from orders.billing.services.matching import invoice_match_problems
from orders.billing.services.progress import po_progress
from orders.models import (
    AdminFeeAccrual,
    InvoiceStatus,
    OrderEvent,
    Payment,
    PaymentMethod,
    PaymentStatus,
    POStatus,
)
from tests.orders.billing_factories import invoice_rows, receive_all, shipped_po

pytestmark = pytest.mark.django_db


def _card_payment(invoice, amount=None) -> Payment:
    return Payment.objects.create(
        invoice=invoice,
        agency=invoice.agency,
        supplier=invoice.supplier,
        cooperative=invoice.cooperative,
        method=PaymentMethod.CARD,
        status=PaymentStatus.PENDING,
        amount=amount if amount is not None else invoice.total,
        stripe_payment_intent_id=f"pi_{invoice.number}",
    )


def test_invoice_quantity_above_received_does_not_match(world):
    po = shipped_po(world, quantity=3)
    invoice = invoice_rows(po, number="INV-1", user=world.supplier_admin)
    problems = invoice_match_problems(invoice)
    assert [p["sku"] for p in problems] == [po.lines.get().sku]
    assert "3 invoiced so far but 0 received" in problems[0]["problem"]
    receive_all(po)
    assert invoice_match_problems(invoice) == []


def test_price_differing_from_the_order_does_not_match(world):
    po = receive_all(shipped_po(world))
    invoice = invoice_rows(po, number="INV-2", user=world.supplier_admin)
    invoice.lines.update(unit_price=Decimal("9.99"))
    assert "Unit price $9.99 differs from the order's $10.00." in invoice_match_problems(invoice)[0]["problem"]


def test_order_runs_from_shipped_to_closed_when_received_invoiced_and_paid(world):
    po = shipped_po(world, quantity=2)
    po.contract.admin_fee_rate = Decimal("0.0200")
    po.contract.save(update_fields=["admin_fee_rate"])
    invoice = invoice_rows(po, number="INV-3", user=world.supplier_admin, status=InvoiceStatus.ON_HOLD)
    assert po_progress(po=po, actor=None).status == POStatus.SHIPPED  # nothing received yet

    receive_all(po)
    po = po_progress(po=po, actor=None)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.READY  # the hold cleared itself once the goods were received
    assert po.status == POStatus.INVOICED

    payment = _card_payment(invoice)
    assert payment_succeed(payment=payment) is True
    assert payment_succeed(payment=payment) is False  # a second settlement changes nothing
    invoice.refresh_from_db()
    po.refresh_from_db()
    assert (invoice.status, invoice.amount_paid, invoice.balance_due) == (InvoiceStatus.PAID, Decimal("20.00"), 0)
    assert po.status == POStatus.CLOSED
    moves = [
        (e.from_status, e.to_status)
        for e in OrderEvent.objects.filter(purchase_order=po)
        if e.from_status != e.to_status
    ]
    assert moves == [
        (POStatus.SHIPPED, POStatus.RECEIVED),
        (POStatus.RECEIVED, POStatus.INVOICED),
        (POStatus.INVOICED, POStatus.PAID),
        (POStatus.PAID, POStatus.CLOSED),
    ]
    accrual = AdminFeeAccrual.objects.get()
    assert (accrual.base_amount, accrual.rate, accrual.fee) == (Decimal("20.00"), Decimal("0.0200"), Decimal("0.40"))


def test_declined_payment_leaves_the_invoice_unpaid(world):
    po = receive_all(shipped_po(world))
    invoice = invoice_rows(po, number="INV-4", user=world.supplier_admin)
    payment = _card_payment(invoice)
    assert payment_fail(payment=payment, message="Your card was declined.") is True
    assert payment_succeed(payment=payment) is False
    invoice.refresh_from_db()
    payment.refresh_from_db()
    assert (invoice.status, invoice.amount_paid) == (InvoiceStatus.READY, 0)
    assert payment.failure_message == "Your card was declined."
    assert not AdminFeeAccrual.objects.exists()


def test_second_pending_card_payment_on_one_invoice_is_refused_by_the_database(world):
    invoice = invoice_rows(receive_all(shipped_po(world)), number="INV-5", user=world.supplier_admin)
    _card_payment(invoice)
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(
            invoice=invoice,
            agency=invoice.agency,
            supplier=invoice.supplier,
            cooperative=invoice.cooperative,
            method=PaymentMethod.CARD,
            status=PaymentStatus.PENDING,
            amount=invoice.total,
        )
    assert Payment.objects.count() == 1


@pytest.mark.parametrize("table", ["orders_invoice", "orders_payment", "orders_adminfeeaccrual"])
def test_financial_rows_cannot_be_deleted(world, table):
    invoice = invoice_rows(receive_all(shipped_po(world)), number="INV-6", user=world.supplier_admin)
    payment_succeed(payment=_card_payment(invoice))
    with pytest.raises((InternalError, ProgrammingError)), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        assert cursor.fetchone()[0] == 1


@pytest.mark.parametrize(
    ("base", "rate", "fee"),
    [
        ("100.00", "0.0200", "2.00"),
        ("0.25", "0.0200", "0.01"),
        ("-0.25", "0.0200", "-0.01"),
        ("33.33", "0.0150", "0.50"),
    ],
)
def test_admin_fee_rounds_half_up_to_the_cent(base, rate, fee):
    assert admin_fee(base=Decimal(base), rate=Decimal(rate)) == Decimal(fee)
