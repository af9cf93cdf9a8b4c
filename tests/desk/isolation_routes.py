"""Order desk and order list routes in the isolation matrix.

One released purchase order links world.agency, world.supplier and world.coop (its SKU and number are only on these
pages); one links world.other_agency, world.other_supplier and world.other_coop on the other tenant's contract
(`OTHER-CT-9`-style markers), and is what every object route is asked for through the allowed member's own URL.
Writes are probed with an empty body: refused callers change nothing, and the allowed member's answer is the
service's own (acknowledge and reject succeed; a shipment, backorder, cancellation or decision without its fields
is a 400)."""

from __future__ import annotations

from marketplace.core.roles import OrgKind
from orders.models import LineCancellation, OrderEvent, PurchaseOrder, PurchaseOrderLine, Shipment
from tests.desk.helpers import pending_cancellation, tenant_po
from tests.isolation import Probe, seed_other_tenant

AGENCY, SUPPLIER, COOP = OrgKind.AGENCY, OrgKind.SUPPLIER, OrgKind.COOPERATIVE
DESK = frozenset({"order_desk", "supplier_admin"})
OWN_NUMBER, OWN_SKU = "ISO-PO-00042", "ISO-DESK-SKU"


def _po(world) -> PurchaseOrder:
    if not hasattr(world, "probe_desk_po"):
        world.probe_desk_po = tenant_po(
            agency=world.agency,
            supplier=world.supplier,
            cooperative=world.coop,
            requester=world.requester,
            number=OWN_NUMBER,
            sku_prefix="ISO-DESK",
        )
        world.probe_desk_cancellation = pending_cancellation(world.probe_desk_po, by=world.supplier_admin)
    return world.probe_desk_po


def _other_po(world) -> PurchaseOrder:
    if not hasattr(world, "probe_desk_other_po"):
        other = seed_other_tenant(world)
        world.probe_desk_other_po = tenant_po(
            agency=world.other_agency,
            supplier=world.other_supplier,
            cooperative=world.other_coop,
            requester=world.other_requester,
            number="OTHER-CT-9-PO",
            sku_prefix="OTHER-CT-9-DESK",
        )
        world.probe_desk_other_cancellation = pending_cancellation(
            world.probe_desk_other_po, by=world.other_supplier_admin
        )
        assert other  # seeded first, so the other tenant's markers exist
    return world.probe_desk_other_po


def _own(world):
    return {"po_id": _po(world).public_id}


def _other(world):
    return {"po_id": _other_po(world).public_id}


def _own_cancellation(world):
    _po(world)
    return {"po_id": world.probe_desk_po.public_id, "request_id": world.probe_desk_cancellation.public_id}


def _other_cancellation(world):
    """Another agency's order and request, and this agency's order with the other agency's request id."""
    _po(world)
    _other_po(world)
    return [
        {"po_id": world.probe_desk_other_po.public_id, "request_id": world.probe_desk_other_cancellation.public_id},
        {"po_id": world.probe_desk_po.public_id, "request_id": world.probe_desk_other_cancellation.public_id},
    ]


def _list(world):
    _po(world)
    _other_po(world)
    return {}


def _state(world):
    return (
        tuple(PurchaseOrder.objects.order_by("pk").values_list("pk", "status")),
        tuple(PurchaseOrderLine.objects.order_by("pk").values_list("quantity_shipped", "quantity_cancelled")),
        Shipment.objects.count(),
        OrderEvent.objects.count(),
        tuple(LineCancellation.objects.order_by("pk").values_list("status")),
    )


def _number(world):
    return OWN_NUMBER


def _sku(world):
    return OWN_SKU


def _write(kind, roles, data, ok, extra=_own, other=_other):
    return Probe(
        kind,
        roles,
        api=True,
        method="post",
        data=data,
        extra=extra,
        other_extra=other,
        ok=ok,
        snapshot=_state,
        shows=None,
    )


MATRIX: dict[str, Probe] = {
    # supplier order desk (order desk and supplier admins)
    "supplier-orders": Probe(SUPPLIER, DESK, extra=_list, shows=_number),
    "supplier-orders-export": Probe(SUPPLIER, DESK, extra=_list, shows=_number),
    "supplier-order": Probe(SUPPLIER, DESK, extra=_own, other_extra=_other, shows=_sku),
    "api-supplier-purchase-orders": Probe(SUPPLIER, DESK, api=True, extra=_list, shows=_number),
    "api-supplier-purchase-order": Probe(SUPPLIER, DESK, api=True, extra=_own, other_extra=_other, shows=_sku),
    "api-supplier-purchase-order-acknowledge": _write(SUPPLIER, DESK, {}, (200,)),
    "api-supplier-purchase-order-reject": _write(SUPPLIER, DESK, {"reason": "Discontinued"}, (200,)),
    "api-supplier-purchase-order-shipments": _write(SUPPLIER, DESK, {}, (400,)),
    "api-supplier-purchase-order-backorders": _write(SUPPLIER, DESK, {}, (400,)),
    "api-supplier-purchase-order-cancellations": _write(SUPPLIER, DESK, {}, (400,)),
    # the buying agency (any member; a requester sees their own orders, the probe's admin sees all)
    "agency-orders": Probe(AGENCY, extra=_list, shows=_number),
    "agency-orders-export": Probe(AGENCY, extra=_list, shows=_number),
    "agency-order": Probe(AGENCY, extra=_own, other_extra=_other, shows=_sku),
    "api-agency-orders": Probe(AGENCY, api=True, extra=_list, shows=_number),
    "api-agency-order": Probe(AGENCY, api=True, extra=_own, other_extra=_other, shows=_sku),
    "api-agency-order-cancellation": _write(AGENCY, None, {}, (400,), _own_cancellation, _other_cancellation),
    # the co-op whose contract the order uses (read-only)
    "coop-orders": Probe(COOP, extra=_list, shows=_number),
    "coop-orders-export": Probe(COOP, extra=_list, shows=_number),
    "coop-order": Probe(COOP, extra=_own, other_extra=_other, shows=_sku),
}

UNSCOPED_ROUTES: dict[str, str] = {}
