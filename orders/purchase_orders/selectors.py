"""Purchase-order reads, scoped by who asks: the buying agency, the supplier it is addressed to, the co-op whose
contract it uses (`PurchaseOrder.objects.for_organization`). Another organization's PO is 404."""

from __future__ import annotations

from django.http import Http404

from marketplace.core.models import Organization
from orders.purchase_orders.models import PurchaseOrder


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


__all__ = ["purchase_order_get"]
