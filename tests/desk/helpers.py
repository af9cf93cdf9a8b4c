"""Purchase orders in the states the order desk and the order lists work with, and a snapshot of everything a
refused desk write must leave as it was."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from marketplace.core.models import AuditEvent
from orders.models import LineCancellation, OrderEvent, POStatus, PurchaseOrder, PurchaseOrderLine, Shipment
from tests.orders.factories import purchase_order

_numbers = iter(range(1, 10**6))


def released_po(world, *, status=POStatus.SENT, lines=2, number=None, **fields) -> PurchaseOrder:
    """A released purchase order of world.agency to world.supplier (number, order date, sent_at set)."""
    po = purchase_order(world=world, status=status, lines=lines)
    po.number = number or f"ALPHA-2026-{next(_numbers):05d}"
    po.order_date = fields.pop("order_date", dt.date(2026, 1, 15))
    po.sent_at = timezone.now()
    for name, value in fields.items():
        setattr(po, name, value)
    po.save()
    return po


def desk_state(po: PurchaseOrder) -> tuple:
    return (
        PurchaseOrder.objects.get(pk=po.pk).status,
        tuple(
            PurchaseOrderLine.objects.filter(purchase_order=po)
            .order_by("id")
            .values_list("quantity_shipped", "quantity_cancelled", "backordered_until")
        ),
        Shipment.objects.filter(purchase_order=po).count(),
        OrderEvent.objects.filter(purchase_order=po).count(),
        tuple(LineCancellation.objects.filter(purchase_order=po).values_list("status", "quantity")),
        AuditEvent.objects.exclude(action__startswith="auth.").count(),
    )
