"""Purchase-order reads, scoped by who asks: the buying agency, the supplier it is addressed to, the co-op whose
contract it uses (`PurchaseOrder.objects.for_organization`). Another organization's PO is 404."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from marketplace.core.models import Organization
from orders.approvals.models import Approval
from orders.purchase_orders.models import OrderEvent, PurchaseOrder, PurchaseOrderLine


def purchase_order_get(*, organization: Organization, public_id) -> PurchaseOrder:
    po = (
        PurchaseOrder.objects.for_organization(organization)
        .select_related("agency", "supplier", "cooperative", "contract", "facility", "store", "requisition__requester")
        .filter(public_id=public_id)
        .first()
    )
    if po is None:
        raise Http404("No such purchase order.")
    return po


def purchase_order_detail(*, organization: Organization, public_id) -> PurchaseOrder:
    """The PO page: lines, the timeline (the PO's moves and its requisition's) and the approvals taken."""
    po = purchase_order_get(organization=organization, public_id=public_id)
    po.line_list = list(PurchaseOrderLine.objects.filter(purchase_order=po).select_related("fund_code").order_by("pk"))
    po.timeline = list(
        OrderEvent.objects.filter(
            Q(purchase_order=po) | Q(requisition_id=po.requisition_id, purchase_order__isnull=True)
        )
        .select_related("actor")
        .order_by("created_at", "id")
    )
    po.approval_list = list(
        Approval.objects.filter(requisition_id=po.requisition_id).select_related("approver").order_by("created_at")
    )
    return po


__all__ = ["purchase_order_detail", "purchase_order_get"]
