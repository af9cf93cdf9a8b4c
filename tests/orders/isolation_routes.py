"""Cart and checkout routes in the isolation matrix. Any agency member may use a cart and check out, so every
route is probed as "any member" (roles=None). The allowed member of the probe (world.agency_admin) gets a cart
line of a probe item whose SKU only these pages show. `_other_<thing>(world)` builders give URL kwargs for the
same kind of object owned by world.other_agency (for object-level probes)."""

from __future__ import annotations

from marketplace.core.roles import OrgKind
from orders.models import Cart, CartLine, PurchaseOrder, Requisition
from tests.factories import ContractFactory, FacilityFactory
from tests.isolation import Probe
from tests.orders.factories import FundCodeFactory, priced_item

AGENCY = OrgKind.AGENCY
PROBE_SKU = "ISO-CART-SKU"


def _line(world, agency=None, user=None, sku=PROBE_SKU) -> CartLine:
    agency = agency or world.agency
    user = user or world.agency_admin
    cache = f"probe_cart_line_{agency.pk}"
    if not hasattr(world, cache):
        coop = world.coop if agency == world.agency else world.other_coop
        contract = ContractFactory(cooperative=coop, supplier=world.supplier, number=f"ISO-{sku}")
        item = priced_item(contract=contract, sku=sku)
        cart, _ = Cart.objects.get_or_create(agency=agency, user=user)
        setattr(
            world,
            cache,
            CartLine.objects.create(
                cart=cart,
                item=item,
                quantity=2,
                unit_price_snapshot=item.contract_price,
                list_price_snapshot=item.list_price,
            ),
        )
    return getattr(world, cache)


def _own_line(world):
    return {"line_id": _line(world).pk}


def _other_cart_line(world):
    """A cart line of a member of world.other_agency."""
    return {"line_id": _line(world, world.other_agency, world.other_agency_admin, sku="ISO-OTHER-SKU").pk}


def _requisition(world, agency=None, user=None) -> Requisition:
    agency = agency or world.agency
    user = user or world.agency_admin
    cache = f"probe_requisition_{agency.pk}"
    if not hasattr(world, cache):
        facility = FacilityFactory(agency=agency)
        requisition = Requisition.objects.create(agency=agency, requester=user, facility=facility, status="approved")
        contract = ContractFactory(cooperative=world.coop, supplier=world.supplier, number=f"ISO-REQ-{agency.pk}")
        PurchaseOrder.objects.create(
            requisition=requisition,
            agency=agency,
            supplier=world.supplier,
            cooperative=world.coop,
            contract=contract,
            facility=facility,
            status="approved",
        )
        FundCodeFactory(agency=agency)
        setattr(world, cache, requisition)
    return getattr(world, cache)


def _own_requisition(world):
    return {"public_id": _requisition(world).public_id}


def _other_requisition(world):
    """A requisition (checkout result) of world.other_agency."""
    return {"public_id": _requisition(world, world.other_agency, world.other_agency_admin).public_id}


def _state(world):
    return (
        tuple(CartLine.objects.order_by("pk").values_list("pk", "quantity", "saved_for_later")),
        Requisition.objects.count(),
        PurchaseOrder.objects.count(),
    )


MATRIX: dict[str, Probe] = {
    "agency-cart": Probe(AGENCY, extra=lambda w: (_line(w), {})[1], shows=lambda w: PROBE_SKU),
    # a line of another item; refused requests add nothing, the allowed member's add redirects to the cart
    "agency-cart-add": Probe(
        AGENCY, method="post", data={"item": "0", "quantity": "1"}, ok=(404,), snapshot=_state, shows=None
    ),
    "agency-cart-line": Probe(
        AGENCY,
        method="post",
        data={"action": "update", "quantity": "3"},
        extra=_own_line,
        other_extra=_other_cart_line,
        ok=(302,),
        snapshot=_state,
        shows=None,
    ),
    "agency-checkout": Probe(AGENCY, extra=lambda w: (_line(w), {})[1], shows=lambda w: PROBE_SKU),
    "agency-checkout-done": Probe(
        AGENCY, extra=_own_requisition, other_extra=_other_requisition, shows=lambda w: "ISO-REQ-"
    ),
    "api-agency-cart-lines": Probe(AGENCY, api=True, extra=lambda w: (_line(w), {})[1], shows=lambda w: PROBE_SKU),
    # the probe client sends no JSON content type: DELETE needs no body (PATCH is covered in test_cart.py)
    "api-agency-cart-line": Probe(
        AGENCY,
        api=True,
        method="delete",
        extra=_own_line,
        other_extra=_other_cart_line,
        ok=(204,),
        snapshot=_state,
        shows=None,
    ),
    # the allowed member's cart line has no facility/fund code: refused (400), so nothing is created
    "api-agency-checkout": Probe(
        AGENCY,
        api=True,
        method="post",
        data={},
        extra=lambda w: (_line(w), {})[1],
        ok=(400,),
        snapshot=_state,
        shows=None,
    ),
}

UNSCOPED_ROUTES: dict[str, str] = {}
