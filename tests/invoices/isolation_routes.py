"""Invoice routes in the isolation matrix.

One invoice (on hold, so every decision route is live) of a shipped order links world.agency, world.supplier and
world.coop (its number and SKU are only on these pages); one links world.other_agency, world.other_supplier and
world.other_coop (`OTHER-CT-9` markers), and is what every object route is asked for through the allowed member's
own URL. Writes are probed with an empty body: refused callers change nothing, and the allowed member's answer is
the service's own (a 400: the body lacks its fields). PDF downloads are probed with OPTIONS (a streamed file)."""

from __future__ import annotations

from marketplace.core.roles import OrgKind
from orders.models import Invoice, InvoiceStatus, OrderEvent, POStatus, PurchaseOrderLine
from tests.desk.helpers import tenant_po
from tests.isolation import Probe, seed_other_tenant
from tests.orders.billing_factories import invoice_rows

AGENCY, SUPPLIER, COOP = OrgKind.AGENCY, OrgKind.SUPPLIER, OrgKind.COOPERATIVE
DESK = frozenset({"order_desk", "supplier_admin"})
FINANCE = frozenset({"finance", "agency_admin"})
OWN_NUMBER, OWN_SKU = "ISO-INV-0042", "ISO-INV-SKU"


def _make(world, *, other: bool) -> Invoice:
    po = tenant_po(
        agency=world.other_agency if other else world.agency,
        supplier=world.other_supplier if other else world.supplier,
        cooperative=world.other_coop if other else world.coop,
        requester=world.other_requester if other else world.requester,
        number="OTHER-CT-9-PO" if other else "ISO-INV-PO-1",
        sku_prefix="OTHER-CT-9-INV" if other else "ISO-INV",
        status=POStatus.SHIPPED,
    )
    PurchaseOrderLine.objects.filter(purchase_order=po).update(quantity_shipped=4)
    return invoice_rows(
        po,
        number="OTHER-CT-9-INV-1" if other else OWN_NUMBER,
        user=world.other_supplier_admin if other else world.supplier_admin,
        quantities={po.lines.get().id: 2},
        status=InvoiceStatus.ON_HOLD,
    )


def _invoice(world) -> Invoice:
    if not hasattr(world, "probe_invoice"):
        world.probe_invoice = _make(world, other=False)
    return world.probe_invoice


def _other_invoice(world) -> Invoice:
    if not hasattr(world, "probe_other_invoice"):
        seed_other_tenant(world)
        world.probe_other_invoice = _make(world, other=True)
    return world.probe_other_invoice


def _own(world):
    return {"invoice_id": _invoice(world).public_id}


def _other(world):
    return {"invoice_id": _other_invoice(world).public_id}


def _own_po(world):
    return {"po_id": _invoice(world).purchase_order.public_id}


def _other_po(world):
    return {"po_id": _other_invoice(world).purchase_order.public_id}


def _list(world):
    _invoice(world)
    _other_invoice(world)
    return {}


def _state(world):
    return (
        tuple(Invoice.objects.order_by("pk").values_list("pk", "status", "hold_decided_at", "supplier_note")),
        tuple(PurchaseOrderLine.objects.order_by("pk").values_list("quantity_invoiced", flat=True)),
        OrderEvent.objects.count(),
    )


def _number(world):
    return OWN_NUMBER


def _sku(world):
    return OWN_SKU


def _write(kind, roles, extra=_own, other=_other):
    return Probe(
        kind,
        roles,
        api=True,
        method="post",
        data={},
        extra=extra,
        other_extra=other,
        ok=(400,),
        snapshot=_state,
        shows=None,
    )


def _download(kind, roles, *, api=False):
    return Probe(kind, roles, api=api, method="options", extra=_own, other_extra=_other, shows=None)


MATRIX: dict[str, Probe] = {
    # supplier (order desk and supplier admins)
    "supplier-invoice-new": Probe(SUPPLIER, DESK, extra=_own_po, other_extra=_other_po, shows=_sku),
    "supplier-invoices": Probe(SUPPLIER, DESK, extra=_list, shows=_number),
    "supplier-invoice": Probe(SUPPLIER, DESK, extra=_own, other_extra=_other, shows=_sku),
    "supplier-invoice-pdf": _download(SUPPLIER, DESK),
    "api-supplier-purchase-order-invoices": _write(SUPPLIER, DESK, _own_po, _other_po),
    "api-supplier-invoices": Probe(SUPPLIER, DESK, api=True, extra=_list, shows=_number),
    "api-supplier-invoice": Probe(SUPPLIER, DESK, api=True, extra=_own, other_extra=_other, shows=_sku),
    "api-supplier-invoice-answer": _write(SUPPLIER, DESK),
    "api-supplier-invoice-void": _write(SUPPLIER, DESK),
    "api-supplier-invoice-pdf": _download(SUPPLIER, DESK, api=True),
    # agency (finance and agency admins)
    "agency-invoices": Probe(AGENCY, FINANCE, extra=_list, shows=_number),
    "agency-invoice": Probe(AGENCY, FINANCE, extra=_own, other_extra=_other, shows=_sku),
    "agency-invoice-pdf": _download(AGENCY, FINANCE),
    "api-agency-invoices": Probe(AGENCY, FINANCE, api=True, extra=_list, shows=_number),
    "api-agency-invoice": Probe(AGENCY, FINANCE, api=True, extra=_own, other_extra=_other, shows=_sku),
    "api-agency-invoice-accept": _write(AGENCY, FINANCE),
    "api-agency-invoice-dispute": _write(AGENCY, FINANCE),
    "api-agency-invoice-pdf": _download(AGENCY, FINANCE, api=True),
    # the co-op whose contract the order uses (read-only download)
    "coop-invoice-pdf": _download(COOP, None),
}

UNSCOPED_ROUTES: dict[str, str] = {}
