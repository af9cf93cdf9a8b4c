"""Receiving reads. The order is found through the order pages' own tenant selectors (the agency sees the orders
its member may see, the supplier's desk its released ones); another tenant's order or discrepancy is `None` (a
404). Each read is a fixed number of queries whatever the number of lines, receipts or discrepancies."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from marketplace.core.models import Organization, User
from orders.purchase_orders.desk.selectors import desk_order_get
from orders.purchase_orders.lists.selectors import agency_order_get, agency_orders, supplier_orders
from orders.purchase_orders.models import PurchaseOrder, PurchaseOrderLine
from orders.receiving.models import Discrepancy, DiscrepancyStatus, Receipt, ReceiptLine


def agency_receiving_po(*, agency: Organization, user: User, roles: frozenset[str], po_id) -> PurchaseOrder | None:
    """An order of `agency` the member may see (the order page's rule), with its lines."""
    return agency_order_get(agency=agency, user=user, roles=roles, po_id=po_id)


def supplier_receiving_po(*, supplier: Organization, po_id) -> PurchaseOrder | None:
    return desk_order_get(supplier=supplier, po_id=po_id)


def receipt_list(*, po: PurchaseOrder) -> QuerySet[Receipt]:
    """The receipts of an order already read through a tenant selector, oldest first, with their lines."""
    lines = ReceiptLine.objects.select_related("po_line").order_by("id")
    return (
        Receipt.objects.filter(purchase_order=po)
        .select_related("received_by")
        .prefetch_related(Prefetch("lines", queryset=lines))
        .order_by("received_on", "id")
    )


def discrepancy_list(*, po: PurchaseOrder) -> QuerySet[Discrepancy]:
    return (
        Discrepancy.objects.filter(purchase_order=po)
        .select_related("po_line", "created_by", "responded_by", "resolved_by", "purchase_order")
        .order_by("created_at", "id")
    )


def agency_discrepancy_get(
    *, agency: Organization, user: User, roles: frozenset[str], discrepancy_id, po_id=None
) -> Discrepancy | None:
    """A discrepancy on one of the agency's orders the member may see (on order `po_id` when given)."""
    queryset = Discrepancy.objects.for_organization(agency).filter(
        purchase_order__in=agency_orders(agency=agency, user=user, roles=roles)
    )
    if po_id is not None:
        queryset = queryset.filter(purchase_order__public_id=po_id)
    return _one(queryset, discrepancy_id)


def supplier_discrepancy_get(*, supplier: Organization, discrepancy_id, po_id=None) -> Discrepancy | None:
    queryset = Discrepancy.objects.for_organization(supplier).filter(
        purchase_order__in=supplier_orders(supplier=supplier)
    )
    if po_id is not None:
        queryset = queryset.filter(purchase_order__public_id=po_id)
    return _one(queryset, discrepancy_id)


def _one(queryset: QuerySet[Discrepancy], discrepancy_id) -> Discrepancy | None:
    return (
        queryset.select_related(
            "po_line", "created_by", "responded_by", "resolved_by", "purchase_order", "agency", "supplier"
        )
        .filter(public_id=discrepancy_id)
        .first()
    )


@dataclass
class LineProgress:
    line: PurchaseOrderLine
    shipped: int
    received: int
    damaged: int

    @property
    def outstanding(self) -> int:
        """Shipped but not yet counted (good or damaged)."""
        return max(0, self.shipped - self.received - self.damaged)


@dataclass
class Receiving:
    """What an order page shows about receiving: per line, the receipts and the discrepancies."""

    lines: list[LineProgress]
    receipts: list[Receipt]
    discrepancies: list[Discrepancy]
    open_discrepancies: list[Discrepancy] = field(default_factory=list)

    @property
    def anything_shipped(self) -> bool:
        return any(row.shipped for row in self.lines)


def po_receiving(*, po: PurchaseOrder) -> Receiving:
    """Receiving on an order already read through a tenant selector (its `lines` prefetched): three queries."""
    discrepancies = list(discrepancy_list(po=po))
    return Receiving(
        lines=[
            LineProgress(
                line=line,
                shipped=line.quantity_shipped,
                received=line.quantity_received,
                damaged=line.quantity_damaged,
            )
            for line in po.lines.all()
        ],
        receipts=list(receipt_list(po=po)),
        discrepancies=discrepancies,
        open_discrepancies=[d for d in discrepancies if d.status != DiscrepancyStatus.RESOLVED],
    )
