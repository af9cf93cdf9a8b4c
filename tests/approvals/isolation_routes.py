"""Approval and purchase-order routes in the isolation matrix (tests/core/test_isolation.py).

The matrix's allowed agency member is the agency admin and its member without the role is a requester; the
supplier's are the supplier admin and a catalog manager. Objects named in `extra` belong to world.agency (their
purchase order is addressed to world.supplier on a contract of world.coop). `_other_<thing>(world)` builders
return URL kwargs for the same kind of object owned by world.other_agency (object-level probes)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from marketplace.core.roles import OrgKind
from orders.approvals.services.links import approval_link_path
from orders.models import ApprovalRequest, PDFStatus, PurchaseOrder, Requisition
from tests.factories import ContractFactory, CoopMembershipFactory
from tests.isolation import Probe
from tests.orders.factories import purchase_order

AGENCY, SUPPLIER, COOP = OrgKind.AGENCY, OrgKind.SUPPLIER, OrgKind.COOPERATIVE
APPROVAL_ROLES = frozenset({"approver", "agency_admin", "finance"})
ORDER_DESK = frozenset({"order_desk", "supplier_admin"})
SKU = "APPR-ISO-SKU"


class _OtherWorld:
    """world as seen from world.other_agency (its own requester, supplier and co-op)."""

    def __init__(self, world):
        self.agency, self.requester = world.other_agency, world.other_requester
        self.supplier, self.coop = world.other_supplier, world.other_coop


def _pending(world, *, other=False):
    """A requisition waiting for one approval by the agency admin (an open request), with one PO line."""
    key = "probe_other_requisition" if other else "probe_requisition"
    if not hasattr(world, key):
        w = _OtherWorld(world) if other else world
        contract = ContractFactory(
            cooperative=w.coop, supplier=w.supplier, number="ISO-APPR-2" if other else "ISO-APPR-1"
        )
        po = purchase_order(world=w, contract=contract)
        po.lines.update(sku=SKU)
        requisition = po.requisition
        Requisition.objects.filter(pk=requisition.pk).update(approvals_required=1, approver_role="approver")
        admin = world.other_agency_admin if other else world.agency_admin
        request = ApprovalRequest.objects.create(
            requisition=requisition, approver=admin, expires_at=timezone.now() + timedelta(days=7)
        )
        setattr(world, key, (requisition, request))
    return getattr(world, key)


def _requisition(world):
    return {"requisition": _pending(world)[0].public_id}


def _other_requisition(world):
    return {"requisition": _pending(world, other=True)[0].public_id}


def _link(world):
    _, request = _pending(world)
    return {"signed": approval_link_path(approval_request=request).rstrip("/").rsplit("/", 1)[1]}


def _other_link(world):
    _, request = _pending(world, other=True)
    return {"signed": approval_link_path(approval_request=request).rstrip("/").rsplit("/", 1)[1]}


def _sent(world, *, other=False):
    key = "probe_other_po" if other else "probe_po"
    if not hasattr(world, key):
        w = _OtherWorld(world) if other else world
        if other:
            CoopMembershipFactory(cooperative=world.coop, agency=world.other_agency)  # same co-op, other agency
            w.coop = world.coop
        po = purchase_order(world=w, status="sent")
        po.lines.update(sku=SKU)
        number = "OTH-2027-00001" if other else "ISO-2027-00001"
        PurchaseOrder.objects.filter(pk=po.pk).update(
            number=number, pdf_status=PDFStatus.READY, pdf="purchase-orders/probe.pdf"
        )
        setattr(world, key, po)
    return getattr(world, key)


def _po(world):
    return {"po": _sent(world).public_id}


def _other_po(world):
    return {"po": _sent(world, other=True).public_id}


def _other_coop_po(world):
    """A sent PO on a contract of world.other_coop (another agency, another supplier): not world.coop's to see."""
    if not hasattr(world, "probe_other_coop_po"):
        po = purchase_order(world=_OtherWorld(world), status="sent")
        PurchaseOrder.objects.filter(pk=po.pk).update(number="OTC-2027-00001", pdf="purchase-orders/probe-other.pdf")
        world.probe_other_coop_po = po
    return {"po": world.probe_other_coop_po.public_id}


def _state(world):
    return (
        tuple(Requisition.objects.values_list("pk", "status").order_by("pk")),
        tuple(PurchaseOrder.objects.values_list("pk", "status", "number").order_by("pk")),
        tuple(ApprovalRequest.objects.values_list("pk", "used_at").order_by("pk")),
    )


def _sku(world):
    return SKU


MATRIX: dict[str, Probe] = {
    "agency-approvals": Probe(AGENCY, APPROVAL_ROLES, extra=lambda w: (_pending(w), {})[1], shows=_sku),
    "agency-approval-approve": Probe(
        AGENCY,
        APPROVAL_ROLES,
        method="post",
        extra=_requisition,
        other_extra=_other_requisition,
        ok=(302,),
        snapshot=_state,
        shows=None,
    ),
    "agency-approval-reject": Probe(
        AGENCY,
        APPROVAL_ROLES,
        method="post",
        data={"reason": "Isolation probe"},
        extra=_requisition,
        other_extra=_other_requisition,
        ok=(302,),
        snapshot=_state,
        shows=None,
    ),
    # any member may open the page; only the approver the link was sent to sees it (others: 404)
    "agency-approval-link": Probe(AGENCY, extra=_link, other_extra=_other_link, shows=_sku, snapshot=_state),
    "api-agency-approvals": Probe(AGENCY, APPROVAL_ROLES, api=True, extra=lambda w: (_pending(w), {})[1], shows=_sku),
    "api-agency-order-approve": Probe(
        AGENCY,
        APPROVAL_ROLES,
        api=True,
        method="post",
        extra=_requisition,
        other_extra=_other_requisition,
        snapshot=_state,
        shows=None,
    ),
    "api-agency-order-reject": Probe(
        AGENCY,
        APPROVAL_ROLES,
        api=True,
        method="post",
        data={"reason": "Isolation probe"},
        extra=_requisition,
        other_extra=_other_requisition,
        snapshot=_state,
        shows=None,
    ),
    "agency-po-detail": Probe(AGENCY, extra=_po, other_extra=_other_po, follow=True, shows=_sku),
    "agency-po-pdf-status": Probe(
        AGENCY, extra=_po, other_extra=_other_po, shows=lambda w: "Download PO ISO-2027-00001"
    ),
    # binary downloads: the tenancy gate is probed with OPTIONS (test_po_pages.py downloads them with GET)
    "agency-po-pdf": Probe(AGENCY, method="options", extra=_po, other_extra=_other_po, shows=None),
    "supplier-po-pdf": Probe(SUPPLIER, ORDER_DESK, method="options", extra=_po, other_extra=_other_po, shows=None),
    "coop-po-pdf": Probe(COOP, method="options", extra=_po, other_extra=_other_coop_po, shows=None),
    "api-agency-po-pdf": Probe(AGENCY, api=True, method="options", extra=_po, other_extra=_other_po, shows=None),
    "api-supplier-po-pdf": Probe(
        SUPPLIER, ORDER_DESK, api=True, method="options", extra=_po, other_extra=_other_po, shows=None
    ),
}

UNSCOPED_ROUTES: dict[str, str] = {}
