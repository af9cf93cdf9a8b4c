"""A small shop for cart and checkout tests: two contracts of world.coop (two suppliers) with priced items, a
ship-to facility near a locally owned store of the first supplier, fund codes and the requester's defaults."""

from __future__ import annotations

from dataclasses import dataclass

from agencies.models import Facility, FundCode, MemberDefaults
from contracts.models import CatalogItem, Contract
from orders.models import Cart, CartLine
from tests.factories import ContractFactory, FacilityFactory, StoreLocationFactory
from tests.orders.factories import FundCodeFactory, priced_item


@dataclass
class Shop:
    contract: Contract
    contract2: Contract
    battery: CatalogItem  # $10.00, list $14.00, contract 1
    lamp: CatalogItem  # $7.50, list $12.00, contract 2
    facility: Facility
    fund: FundCode
    fund2: FundCode


def make_shop(world) -> Shop:
    contract = ContractFactory(cooperative=world.coop, supplier=world.supplier, number="CT-BATT")
    contract2 = ContractFactory(cooperative=world.coop, supplier=world.other_supplier, number="CT-LAMP")
    battery = priced_item(contract=contract, sku="AA-24", contract_price="10.00", list_price="14.00")
    lamp = priced_item(contract=contract2, sku="LED-9W", contract_price="7.50", list_price="12.00")
    facility = FacilityFactory(agency=world.agency, name="Central Warehouse", latitude="28.5", longitude="-81.3")
    StoreLocationFactory(supplier=world.supplier, name="Alpha Cells Orlando", latitude="28.51", longitude="-81.31")
    fund = FundCodeFactory(agency=world.agency, code="100-OPS")
    fund2 = FundCodeFactory(agency=world.agency, code="200-FIRE")
    MemberDefaults.objects.create(agency=world.agency, user=world.requester, facility=facility, fund_code=fund)
    return Shop(contract, contract2, battery, lamp, facility, fund, fund2)


def put_in_cart(world, item, quantity=1, user=None, **fields) -> CartLine:
    cart, _ = Cart.objects.get_or_create(agency=world.agency, user=user or world.requester)
    return CartLine.objects.create(
        cart=cart,
        item=item,
        quantity=quantity,
        unit_price_snapshot=fields.pop("unit_price_snapshot", item.contract_price),
        list_price_snapshot=item.list_price,
        **fields,
    )


def cart_state(world, user=None) -> tuple:
    return tuple(
        CartLine.objects.filter(cart__agency=world.agency, cart__user=user or world.requester)
        .order_by("pk")
        .values_list("pk", "item_id", "quantity", "saved_for_later", "unit_price_snapshot")
    )
