"""Receiving routes in the isolation matrix.

One shipped purchase order links world.agency and world.supplier, with a receipt and a discrepancy whose notes
(`ISO-RCV-…`) only these pages print; one links world.other_agency and world.other_supplier (`OTHER-CT-9` markers),
with its own discrepancy, and is what every object route is asked for through the allowed member's own URL (its
order, and this tenant's order with the other tenant's discrepancy id). The write-only API routes are probed with
an empty body: refused callers change nothing, and the allowed member's answer is the service's own 400."""

from __future__ import annotations

from marketplace.core.dates import organization_today
from marketplace.core.roles import OrgKind
from orders.models import Discrepancy, DiscrepancyKind, OrderEvent, POStatus, PurchaseOrderLine, Receipt, ReceiptLine
from tests.desk.helpers import tenant_po
from tests.isolation import Probe, seed_other_tenant

AGENCY, SUPPLIER = OrgKind.AGENCY, OrgKind.SUPPLIER
DESK = frozenset({"order_desk", "supplier_admin"})
OWN_SKU, OWN_NOTE, OWN_RECEIPT = "ISO-RCV-SKU", "ISO-RCV-NOTE crushed carton", "ISO-RCV-RECEIPT dock 4"


def _shipped(po):
    PurchaseOrderLine.objects.filter(purchase_order=po).update(quantity_shipped=4)
    return po


def _discrepancy(po, *, by, note) -> Discrepancy:
    return Discrepancy.objects.create(
        purchase_order=po,
        po_line=po.lines.get(),
        agency=po.agency,
        supplier=po.supplier,
        kind=DiscrepancyKind.SHORT,
        quantity=1,
        note=note,
        created_by=by,
    )


def _po(world):
    if not hasattr(world, "probe_rcv_po"):
        po = _shipped(
            tenant_po(
                agency=world.agency,
                supplier=world.supplier,
                cooperative=world.coop,
                requester=world.requester,
                number="ISO-RCV-00042",
                sku_prefix="ISO-RCV",
                status=POStatus.SHIPPED,
            )
        )
        receipt = Receipt.objects.create(
            purchase_order=po,
            agency=po.agency,
            supplier=po.supplier,
            received_on=organization_today(po.agency),
            received_by=world.requester,
            note=OWN_RECEIPT,
        )
        ReceiptLine.objects.create(receipt=receipt, po_line=po.lines.get(), quantity_received=3)
        world.probe_rcv_po = po
        world.probe_rcv_discrepancy = _discrepancy(po, by=world.requester, note=OWN_NOTE)
    return world.probe_rcv_po


def _other_po(world):
    if not hasattr(world, "probe_rcv_other_po"):
        seed_other_tenant(world)
        po = _shipped(
            tenant_po(
                agency=world.other_agency,
                supplier=world.other_supplier,
                cooperative=world.other_coop,
                requester=world.other_requester,
                number="OTHER-CT-9-RCV-PO",
                sku_prefix="OTHER-CT-9-RCV",
                status=POStatus.SHIPPED,
            )
        )
        world.probe_rcv_other_po = po
        world.probe_rcv_other_discrepancy = _discrepancy(po, by=world.other_requester, note="OTHER-CT-9 missing")
    return world.probe_rcv_other_po


def own_po(world):
    return {"po_id": _po(world).public_id}


def other_po(world):
    return {"po_id": _other_po(world).public_id}


def own_discrepancy(world):
    _po(world)
    return {"po_id": world.probe_rcv_po.public_id, "discrepancy_id": world.probe_rcv_discrepancy.public_id}


def other_discrepancy(world):
    """Another tenant's order and discrepancy, and this tenant's order with the other tenant's discrepancy id."""
    _po(world)
    _other_po(world)
    return [
        {"po_id": world.probe_rcv_other_po.public_id, "discrepancy_id": world.probe_rcv_other_discrepancy.public_id},
        {"po_id": world.probe_rcv_po.public_id, "discrepancy_id": world.probe_rcv_other_discrepancy.public_id},
    ]


def own_discrepancy_id(world):
    _po(world)
    return {"discrepancy_id": world.probe_rcv_discrepancy.public_id}


def other_discrepancy_id(world):
    _other_po(world)
    return {"discrepancy_id": world.probe_rcv_other_discrepancy.public_id}


def state(world):
    return (
        tuple(PurchaseOrderLine.objects.order_by("pk").values_list("quantity_received", "quantity_damaged")),
        Receipt.objects.count(),
        tuple(Discrepancy.objects.order_by("pk").values_list("status", "supplier_response", "resolution")),
        OrderEvent.objects.count(),
    )


def _sku(world):
    return OWN_SKU


def _note(world):
    return OWN_NOTE


def _receipt_note(world):
    return OWN_RECEIPT


def _write(kind, roles, extra, other):
    return Probe(
        kind,
        roles,
        api=True,
        method="post",
        data={},
        extra=extra,
        other_extra=other,
        ok=(400,),
        snapshot=state,
        shows=None,
    )


MATRIX: dict[str, Probe] = {
    # the buying agency (any member who may see the order)
    "agency-order-receive": Probe(AGENCY, extra=own_po, other_extra=other_po, shows=_sku),
    "agency-discrepancy-resolve": Probe(AGENCY, extra=own_discrepancy, other_extra=other_discrepancy, shows=_note),
    "api-agency-purchase-order-receipts": Probe(
        AGENCY, api=True, extra=own_po, other_extra=other_po, shows=_receipt_note
    ),
    "api-agency-discrepancy-resolve": _write(AGENCY, None, own_discrepancy_id, other_discrepancy_id),
    # the supplier's order desk (order desk and supplier admins)
    "supplier-discrepancy-answer": Probe(
        SUPPLIER, DESK, extra=own_discrepancy, other_extra=other_discrepancy, shows=_note
    ),
    "api-supplier-purchase-order-discrepancies": Probe(
        SUPPLIER, DESK, api=True, extra=own_po, other_extra=other_po, shows=_note
    ),
    "api-supplier-discrepancy-answer": _write(SUPPLIER, DESK, own_discrepancy_id, other_discrepancy_id),
}

UNSCOPED_ROUTES: dict[str, str] = {}
