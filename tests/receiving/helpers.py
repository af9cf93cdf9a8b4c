"""Receiving test helpers: a shipped order with an order date, and a snapshot of everything a refused receiving write
must leave as it was."""

from __future__ import annotations

import datetime as dt

from marketplace.core.models import AuditEvent, Notification
from orders.models import Discrepancy, OrderEvent, PurchaseOrder, PurchaseOrderLine, Receipt, ReceiptLine
from tests.orders.billing_factories import shipped_po


def order(world, *, lines: int = 1, quantity: int = 5, shipped: int | None = None) -> PurchaseOrder:
    po = shipped_po(world, lines=lines, quantity=quantity, shipped=shipped)
    po.order_date = dt.date(2026, 1, 15)
    po.save(update_fields=["order_date"])
    return po


def po_lines(po) -> list[PurchaseOrderLine]:
    return list(PurchaseOrderLine.objects.filter(purchase_order=po).order_by("id"))


def state(po) -> tuple:
    return (
        PurchaseOrder.objects.get(pk=po.pk).status,
        tuple(
            PurchaseOrderLine.objects.filter(purchase_order=po)
            .order_by("id")
            .values_list("quantity_received", "quantity_damaged")
        ),
        Receipt.objects.count(),
        ReceiptLine.objects.count(),
        tuple(Discrepancy.objects.order_by("id").values_list("kind", "quantity", "status")),
        OrderEvent.objects.count(),
        Notification.objects.count(),
        AuditEvent.objects.exclude(action__startswith="auth.").count(),
    )
