"""Helpers for the invoice tests: the state a refused write must leave as it was, and request bodies."""

from __future__ import annotations

from marketplace.core.models import AuditEvent, Notification, OutboxTask
from orders.models import Invoice, InvoiceLine, OrderEvent, PurchaseOrder, PurchaseOrderLine


def billing_state(po: PurchaseOrder | None = None) -> tuple:
    lines = PurchaseOrderLine.objects.order_by("id")
    if po is not None:
        lines = lines.filter(purchase_order=po)
    return (
        tuple(Invoice.objects.order_by("id").values_list("number", "status", "hold_decided_at", "supplier_note")),
        InvoiceLine.objects.count(),
        tuple(lines.values_list("quantity_invoiced", flat=True)),
        tuple(PurchaseOrder.objects.order_by("id").values_list("status", flat=True)),
        OrderEvent.objects.count(),
        Notification.objects.count(),
        AuditEvent.objects.exclude(action__startswith="auth.").count(),
        OutboxTask.objects.count(),
    )


def body(po, *, number="INV-100", invoice_date=None, quantity=None, price=None, note="") -> dict:
    """An API create body invoicing every line of `po` (default: its shipped quantity at the PO price)."""
    from marketplace.core.dates import organization_today

    lines = []
    for line in po.lines.order_by("id"):
        row = {"line": line.id, "quantity": line.quantity_shipped if quantity is None else quantity}
        if price is not None:
            row["unit_price"] = str(price)
        lines.append(row)
    return {
        "number": number,
        "invoice_date": (invoice_date or organization_today(po.supplier)).isoformat(),
        "lines": lines,
        "note": note,
    }
