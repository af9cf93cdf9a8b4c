"""Builders for receiving and billing tests: a shipped purchase order, its receipt and its invoices, made
directly as rows (the services under test are not used to build their own preconditions).

    po = shipped_po(world, lines=2, quantity=3)          # every line shipped in full, numbered, status shipped
    receive_all(po)                                       # every shipped unit received (good)
    invoice = invoice_rows(po, number="INV-1", user=world.supplier_admin)   # ready, every shipped unit
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from orders.models import (
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    POStatus,
    PurchaseOrder,
    PurchaseOrderLine,
    Shipment,
    ShipmentLine,
)
from tests.orders.factories import purchase_order


def shipped_po(
    world, *, lines: int = 1, quantity: int = 2, shipped: int | None = None, contract=None, number: str = ""
) -> PurchaseOrder:
    """A released purchase order of world.agency to world.supplier with `lines` lines of `quantity` units, of
    which `shipped` (default all) were shipped in one shipment."""
    shipped = quantity if shipped is None else shipped
    status = POStatus.SHIPPED if shipped == quantity else POStatus.PARTIALLY_SHIPPED
    po = purchase_order(world=world, status=status, lines=lines, contract=contract)
    po.number = number or f"ALPHA-2027-{po.pk:05d}"
    po.save(update_fields=["number"])
    PurchaseOrderLine.objects.filter(purchase_order=po).update(quantity=quantity)
    for line in po.lines.all():
        line.amount = line.unit_price * quantity
        line.list_amount = line.list_price * quantity
        line.save(update_fields=["amount", "list_amount"])
    po.subtotal = sum((line.amount for line in po.lines.all()), Decimal("0"))
    po.list_total = sum((line.list_amount for line in po.lines.all()), Decimal("0"))
    po.save(update_fields=["subtotal", "list_total"])
    if shipped:
        shipment = Shipment.objects.create(purchase_order=po, ship_date=timezone.localdate(), carrier="UPS")
        for line in po.lines.all():
            ShipmentLine.objects.create(shipment=shipment, po_line=line, quantity=shipped)
        PurchaseOrderLine.objects.filter(purchase_order=po).update(quantity_shipped=shipped)
    return po


def receive_all(po: PurchaseOrder) -> PurchaseOrder:
    """Every shipped unit received in good order (rows only; no receipt document)."""
    for line in po.lines.all():
        line.quantity_received = line.quantity_shipped
        line.save(update_fields=["quantity_received"])
    return po


def invoice_rows(
    po: PurchaseOrder,
    *,
    number: str,
    user,
    quantities: dict[int, int] | None = None,
    status: str = InvoiceStatus.READY,
    invoice_date: dt.date | None = None,
    net_days: int = 30,
) -> Invoice:
    """An invoice of `po` for `quantities` ({po_line_id: qty}; default: every shipped unit) at the PO prices."""
    lines = list(po.lines.all())
    quantities = quantities or {line.pk: line.quantity_shipped for line in lines}
    invoice_date = invoice_date or timezone.localdate()
    subtotal = sum((line.unit_price * quantities[line.pk] for line in lines if quantities.get(line.pk)), Decimal("0"))
    invoice = Invoice.objects.create(
        purchase_order=po,
        agency=po.agency,
        supplier=po.supplier,
        cooperative=po.cooperative,
        contract=po.contract,
        number=number,
        invoice_date=invoice_date,
        net_days=net_days,
        due_date=invoice_date + dt.timedelta(days=net_days),
        status=status,
        subtotal=subtotal,
        total=subtotal,
        created_by=user,
    )
    for line in lines:
        quantity = quantities.get(line.pk)
        if not quantity:
            continue
        InvoiceLine.objects.create(
            invoice=invoice,
            po_line=line,
            sku=line.sku,
            name=line.name,
            quantity=quantity,
            unit_price=line.unit_price,
            amount=line.unit_price * quantity,
        )
        line.quantity_invoiced += quantity
        line.save(update_fields=["quantity_invoiced"])
    return invoice
