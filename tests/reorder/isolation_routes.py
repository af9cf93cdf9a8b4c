"""Reorder and order-template routes in the isolation matrix. Reorder and load are open to any member of the
agency; making and changing templates is for agency admins and approvers (the matrix's member without the role,
world.requester, gets 403). The allowed member (world.agency_admin) has a template and a purchase order holding a
probe item whose SKU only these pages show; `_other_*` builders name the same kind of object of
world.other_agency, asked for through world.agency's URL (404)."""

from __future__ import annotations

from marketplace.core.roles import OrgKind, Role
from orders.models import CartLine, OrderTemplate, OrderTemplateLine, PurchaseOrder
from tests.factories import ContractFactory, FacilityFactory
from tests.isolation import Probe
from tests.orders.factories import RequisitionFactory, priced_item, purchase_order

AGENCY = OrgKind.AGENCY
MANAGERS = frozenset({Role.AGENCY_ADMIN, Role.APPROVER})
PROBE_SKU = "ISO-TPL-SKU"
PROBE_TEMPLATE = "Probe storm kit"


def _template(world, agency=None) -> OrderTemplate:
    agency = agency or world.agency
    cache = f"probe_template_{agency.pk}"
    if not hasattr(world, cache):
        own = agency == world.agency
        contract = ContractFactory(
            cooperative=world.coop if own else world.other_coop,
            supplier=world.supplier if own else world.other_supplier,
            number=f"ISO-TPL-{agency.pk}",
        )
        item = priced_item(contract=contract, sku=PROBE_SKU if own else "ISO-TPL-OTHER")
        template = OrderTemplate.objects.create(agency=agency, name=PROBE_TEMPLATE if own else "Aardvark other kit")
        OrderTemplateLine.objects.create(template=template, item=item, quantity=3)
        setattr(world, cache, template)
    return getattr(world, cache)


def _po(world) -> PurchaseOrder:
    if not hasattr(world, "probe_reorder_po"):
        world.probe_reorder_po = purchase_order(
            world=world, status="sent", contract=ContractFactory(cooperative=world.coop, supplier=world.supplier)
        )
    return world.probe_reorder_po


def _other_po(world):
    """A purchase order of world.other_agency."""
    if not hasattr(world, "probe_other_reorder_po"):
        requisition = RequisitionFactory(agency=world.other_agency, requester=world.other_agency_admin)
        contract = ContractFactory(cooperative=world.other_coop, supplier=world.other_supplier)
        world.probe_other_reorder_po = PurchaseOrder.objects.create(
            requisition=requisition,
            agency=world.other_agency,
            supplier=world.other_supplier,
            cooperative=world.other_coop,
            contract=contract,
            facility=FacilityFactory(agency=world.other_agency),
            status="sent",
        )
    return {"po": world.probe_other_reorder_po.public_id}


def _own_template(world):
    return {"template": _template(world).public_id}


def _other_template(world):
    """An order template of world.other_agency."""
    return {"template": _template(world, world.other_agency).public_id}


def _state(world):
    return (
        tuple(CartLine.objects.order_by("pk").values_list("pk", "quantity", "saved_for_later", "unit_price_snapshot")),
        tuple(OrderTemplate.objects.order_by("pk").values_list("pk", "name", "description")),
        tuple(OrderTemplateLine.objects.order_by("pk").values_list("pk", "item_id", "quantity")),
    )


MATRIX: dict[str, Probe] = {
    "agency-po-reorder": Probe(
        AGENCY,
        method="post",
        extra=lambda w: {"po": _po(w).public_id},
        other_extra=_other_po,
        ok=(302,),
        snapshot=_state,
        shows=None,
    ),
    "agency-order-templates": Probe(AGENCY, extra=lambda w: (_template(w), {})[1], shows=lambda w: PROBE_TEMPLATE),
    "agency-order-template-create": Probe(AGENCY, roles=MANAGERS, shows=lambda w: "New order template"),
    "agency-order-template": Probe(AGENCY, extra=_own_template, other_extra=_other_template, shows=lambda w: PROBE_SKU),
    "agency-order-template-edit": Probe(
        AGENCY,
        roles=MANAGERS,
        method="post",
        data={"action": "rename", "name": "Probe storm kit (renamed)"},
        extra=_own_template,
        other_extra=_other_template,
        ok=(302,),
        snapshot=_state,
        shows=None,
    ),
    "agency-order-template-load": Probe(
        AGENCY,
        method="post",
        extra=_own_template,
        other_extra=_other_template,
        ok=(302,),
        snapshot=_state,
        shows=None,
    ),
    "api-agency-order-reorder": Probe(
        AGENCY,
        api=True,
        method="post",
        extra=lambda w: {"po": _po(w).public_id},
        other_extra=_other_po,
        snapshot=_state,
        shows=None,
    ),
    "api-agency-order-templates": Probe(
        AGENCY, api=True, extra=lambda w: (_template(w), {})[1], shows=lambda w: PROBE_TEMPLATE
    ),
    "api-agency-order-template": Probe(
        AGENCY, api=True, extra=_own_template, other_extra=_other_template, shows=lambda w: PROBE_SKU
    ),
    "api-agency-order-template-load": Probe(
        AGENCY,
        api=True,
        method="post",
        extra=_own_template,
        other_extra=_other_template,
        snapshot=_state,
        shows=None,
    ),
}

UNSCOPED_ROUTES: dict[str, str] = {}
