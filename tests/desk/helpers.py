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


def tenant_po(*, agency, supplier, cooperative, requester, number: str, sku_prefix: str, status=POStatus.SENT):
    """A released purchase order between any three organizations (for isolation probes), one line."""
    from orders.models import Requisition
    from tests.factories import ContractFactory, FacilityFactory
    from tests.orders.factories import FundCodeFactory, priced_item

    contract = ContractFactory(cooperative=cooperative, supplier=supplier, number=sku_prefix)
    facility = FacilityFactory(agency=agency)
    requisition = Requisition.objects.create(agency=agency, requester=requester, facility=facility, status="approved")
    po = PurchaseOrder.objects.create(
        requisition=requisition,
        agency=agency,
        supplier=supplier,
        cooperative=cooperative,
        contract=contract,
        facility=facility,
        status=status,
        number=number,
        order_date=dt.date(2026, 1, 15),
        sent_at=timezone.now(),
    )
    item = priced_item(contract=contract, sku=f"{sku_prefix}-SKU")
    PurchaseOrderLine.objects.create(
        purchase_order=po,
        item=item,
        price_change=item.price_changes.get(),
        sku=item.sku,
        name=item.name,
        unit=item.unit,
        quantity=4,
        unit_price=item.contract_price,
        list_price=item.list_price,
        amount=item.contract_price * 4,
        list_amount=item.list_price * 4,
        fund_code=FundCodeFactory(agency=agency),
    )
    return po


def pending_cancellation(po, *, by) -> LineCancellation:
    line = po.lines.order_by("id").first()
    return LineCancellation.objects.create(
        purchase_order=po,
        line=line,
        agency=po.agency,
        supplier=po.supplier,
        quantity=1,
        reason="Short stock",
        requested_by=by,
    )
