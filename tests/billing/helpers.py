"""Builders and snapshots for the on-account payment tests: a received order with a ready invoice, and the state a
refused write must leave as it was."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from marketplace.core.dates import organization_today
from marketplace.core.models import AuditEvent, Notification
from orders.models import AdminFeeAccrual, Invoice, OrderEvent, Payment, PaymentTerms, PurchaseOrder
from tests.orders.billing_factories import invoice_rows, receive_all, shipped_po


def ready_invoice(
    world, *, number="INV-100", quantity=2, lines=1, first_line_only=False, rate="0.0200", **fields
) -> Invoice:
    """A shipped, fully received order of world.agency and its invoice (ready, dated five days ago), the contract's
    fee at `rate`. `first_line_only`: the invoice bills the first line only (the order cannot close yet)."""
    po = receive_all(shipped_po(world, quantity=quantity, lines=lines))
    if first_line_only:
        fields["quantities"] = {po.lines.order_by("id").first().pk: quantity}
    po.contract.admin_fee_rate = Decimal(rate)
    po.contract.save(update_fields=["admin_fee_rate"])
    fields.setdefault("invoice_date", organization_today(world.agency) - dt.timedelta(days=5))
    return invoice_rows(po, number=number, user=world.supplier_admin, **fields)


def money_state(invoice: Invoice | None = None) -> tuple:
    """Everything a payment write touches (the invoice's sums and status, the order's status, rows counted)."""
    invoices = Invoice.objects.order_by("pk")
    return (
        tuple(invoices.values_list("pk", "status", "amount_paid", "last_reminded_on")),
        tuple(PurchaseOrder.objects.order_by("pk").values_list("pk", "status")),
        tuple(Payment.objects.order_by("pk").values_list("pk", "amount", "status")),
        AdminFeeAccrual.objects.count(),
        OrderEvent.objects.count(),
        Notification.objects.count(),
        tuple(PaymentTerms.objects.order_by("pk").values_list("pk", "net_days")),
        AuditEvent.objects.exclude(action__startswith="auth.").count(),
    )
