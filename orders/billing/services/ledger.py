"""Money moving on an invoice, whatever carried it: a payment that succeeded (card, settled by Stripe's webhook;
ACH or check, recorded by finance) or failed, a refund that succeeded or failed. Each function locks the invoice,
then the row it settles, is idempotent (settling a settled row does nothing and says so), accrues the admin fee
and moves the order on. Callers: the Stripe webhook handler and the on-account payment service."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from marketplace.core.dates import organization_today
from marketplace.core.models import User
from marketplace.core.services.audit import audit_record
from orders.billing.models import CreditMemo, Invoice, InvoiceStatus, Payment, PaymentStatus, RefundStatus
from orders.billing.services.fees import admin_fee_accrue
from orders.billing.services.progress import po_progress
from orders.billing.services.transitions import invoice_transition


def _lock(invoice_id: int) -> Invoice:
    return Invoice.objects.select_for_update().select_related("purchase_order", "agency", "contract").get(pk=invoice_id)


def payment_succeed(*, payment: Payment, actor: User | None = None) -> bool:
    """Apply a pending (or just-recorded) payment to its invoice. Returns False when it was already settled."""
    with transaction.atomic():
        invoice = _lock(payment.invoice_id)
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.status != PaymentStatus.PENDING:
            return False
        payment.status = PaymentStatus.SUCCEEDED
        payment.settled_at = timezone.now()
        payment.paid_on = payment.paid_on or organization_today(invoice.agency)
        payment.save(update_fields=["status", "settled_at", "paid_on"])
        payment_apply(invoice=invoice, payment=payment, actor=actor)
    return True


def payment_apply(*, invoice: Invoice, payment: Payment, actor: User | None) -> None:
    """Add a succeeded payment (or a negative reversal) to the locked `invoice`: running sum, status, admin fee,
    audit row, and the order moved on."""
    invoice.amount_paid += payment.amount
    invoice.save(update_fields=["amount_paid"])
    if invoice.balance_due <= 0:
        target = InvoiceStatus.PAID
    else:  # a reversal can take the invoice back to nothing paid
        target = InvoiceStatus.PARTIALLY_PAID if invoice.amount_paid > 0 else InvoiceStatus.READY
    what = "reversed" if payment.amount < 0 else "received"
    if target != invoice.status:
        invoice_transition(
            invoice=invoice, to=target, actor=actor, note=f"{payment.get_method_display()} payment {what}"
        )
    admin_fee_accrue(payment=payment, on=payment.paid_on or organization_today(invoice.agency))
    audit_record(
        actor=actor,
        action="payment.reversed" if payment.amount < 0 else "payment.succeeded",
        organization=invoice.agency,
        obj=payment,
        after={
            "invoice": invoice.number,
            "amount": str(payment.amount),
            "method": payment.method,
            "reference": payment.reference,
        },
    )
    po_progress(po=invoice.purchase_order, actor=actor)


def payment_fail(*, payment: Payment, message: str, status: str = PaymentStatus.FAILED) -> bool:
    """Mark a pending card payment failed (declined) or canceled; the invoice stays unpaid. False if settled."""
    with transaction.atomic():
        invoice = _lock(payment.invoice_id)
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.status != PaymentStatus.PENDING:
            return False
        payment.status = status
        payment.failure_message = message[:2000]
        payment.settled_at = timezone.now()
        payment.save(update_fields=["status", "failure_message", "settled_at"])
        audit_record(
            actor=None,
            action=f"payment.{status}",
            organization=invoice.agency,
            obj=payment,
            after={"invoice": invoice.number, "amount": str(payment.amount), "message": payment.failure_message},
        )
    return True


def refund_succeed(*, credit_memo: CreditMemo) -> bool:
    """A card refund for a credit memo went through: the invoice's refunded sum and a negative admin fee."""
    with transaction.atomic():
        invoice = _lock(credit_memo.invoice_id)
        memo = CreditMemo.objects.select_for_update().get(pk=credit_memo.pk)
        if memo.refund_status != RefundStatus.PENDING:
            return False
        memo.refund_status = RefundStatus.SUCCEEDED
        memo.refunded_at = timezone.now()
        memo.save(update_fields=["refund_status", "refunded_at"])
        invoice.amount_refunded += memo.amount
        invoice.save(update_fields=["amount_refunded"])
        admin_fee_accrue(credit_memo=memo, on=organization_today(invoice.agency))
        audit_record(
            actor=None,
            action="credit_memo.refunded",
            organization=invoice.agency,
            obj=memo,
            after={"invoice": invoice.number, "amount": str(memo.amount), "refund": memo.stripe_refund_id},
        )
    return True


def refund_fail(*, credit_memo: CreditMemo, message: str) -> bool:
    with transaction.atomic():
        memo = CreditMemo.objects.select_for_update().get(pk=credit_memo.pk)
        if memo.refund_status != RefundStatus.PENDING:
            return False
        memo.refund_status = RefundStatus.FAILED
        memo.refund_failure_message = message[:2000]
        memo.save(update_fields=["refund_status", "refund_failure_message"])
    return True
