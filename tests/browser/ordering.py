"""The ordering world the browser tests shop in, set up through the agency's own set-up services (as an agency
admin would on the set-up pages), and `look()`: screenshots and axe at desktop and phone width.

World: City of Alpha (code COA) with two ship-to facilities, the Central Warehouse in Tallahassee (the
requester's default) and Fire Station 3 in Orlando; a fund code; one approval rule ("Every order", from $0, one
approval by the approver role) and one approver. Two contracts of Alpha Co-op: Alpha Cells' batteries (Alpha
Cells has a locally owned store 1.2 miles from Fire Station 3, 25-mile radius, and none near the warehouse) and
Beta Lamps' lighting (no store anywhere near).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from agencies.models import Facility, FundCode
from agencies.setup.services import approval_rule_create, facility_create, fund_code_create, member_defaults_set
from contracts.catalog.search.words import search_words_refresh
from contracts.models import CatalogItem, Category, Contract, PriceChange, PriceChangeStatus
from marketplace.core.models import User
from suppliers.models import StoreLocation
from tests.factories import ContractFactory, StoreLocationFactory

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
AGENCY_CODE = "COA"
REASON = "Station 3 still has 40 of these lamps in its stock room; order again in March."


@dataclass
class OrderingWorld:
    approver: User
    warehouse: Facility
    station: Facility
    fund: FundCode
    batteries: Contract
    lighting: Contract
    store: StoreLocation
    aa: CatalogItem  # $13.00, list $20.00 (batteries)
    aaa: CatalogItem  # $12.00, list $18.00 (batteries)
    lamp: CatalogItem  # $3.20, list $5.00 (lighting)


def item_on(contract: Contract, sku: str, name: str, category: str, manufacturer: str, list_price: str, price: str):
    """An active catalog item with the applied price-history row that set its contract price (as an import does)."""
    cat = Category.objects.get(slug=category)
    item = CatalogItem.objects.create(
        contract=contract,
        sku=sku,
        name=name,
        category=cat,
        category_path=cat.path,
        manufacturer=manufacturer,
        list_price=Decimal(list_price),
        contract_price=Decimal(price),
    )
    PriceChange.objects.create(
        item=item,
        new_price=item.contract_price,
        new_list_price=item.list_price,
        status=PriceChangeStatus.APPLIED,
        effective_date=contract.term_start,
    )
    return item


def make_ordering_world(world, make_member) -> OrderingWorld:
    agency, admin = world.agency, world.agency_admin
    agency.code = AGENCY_CODE
    agency.save(update_fields=["code"])
    warehouse = facility_create(
        agency=agency,
        actor=admin,
        data={
            "name": "Central Warehouse",
            "address": "2 Depot Rd",
            "city": "Tallahassee",
            "state": "FL",
            "postal_code": "32301",
            "latitude": "30.438300",
            "longitude": "-84.280700",
        },
    )
    station = facility_create(
        agency=agency,
        actor=admin,
        data={
            "name": "Fire Station 3",
            "address": "300 Oak Ave",
            "city": "Orlando",
            "state": "FL",
            "postal_code": "32801",
            "delivery_notes": "Bay door 2, 7am–3pm",
            "latitude": "28.538336",
            "longitude": "-81.379234",
        },
    )
    fund = fund_code_create(
        agency=agency, actor=admin, data={"code": "001-4100-5230", "description": "Fire operations supplies"}
    )
    approval_rule_create(
        agency=agency,
        actor=admin,
        data={"name": "Every order", "min_amount": "0", "approvals_required": "1", "approver_role": "approver"},
    )
    approver = make_member(agency, "approver", email="approver@alpha.test", full_name="Ada Approver")
    world.requester.full_name = "Rita Requester"
    world.requester.save(update_fields=["full_name"])
    member_defaults_set(agency=agency, actor=world.requester, user=world.requester, facility=warehouse, fund_code=fund)

    batteries = ContractFactory(
        cooperative=world.coop, supplier=world.supplier, number="CT-BATT-2026", title="Batteries and power"
    )
    lighting = ContractFactory(
        cooperative=world.coop, supplier=world.other_supplier, number="CT-LED-2026", title="Lighting"
    )
    store = StoreLocationFactory(
        supplier=world.supplier,
        name="Alpha Cells of Orlando",
        owner_name="Pat Lee",
        address="41 Colonial Dr",
        city="Orlando",
        latitude="28.553000",
        longitude="-81.365000",
        service_radius_miles=25,
    )
    aa = item_on(
        batteries,
        "DUR-AA24",
        "Duracell Procell AA Alkaline Battery, 24-pack",
        "alkaline-lithium-cells",
        "Duracell",
        "20.00",
        "13.00",
    )
    aaa = item_on(
        batteries,
        "EN-AAA24",
        "Energizer Industrial AAA Alkaline Battery, 24-pack",
        "alkaline-lithium-cells",
        "Energizer",
        "18.00",
        "12.00",
    )
    lamp = item_on(lighting, "PHL-A19-9W", "Philips 9W A19 LED Lamp 2700K", "led-lamps", "Philips", "5.00", "3.20")
    search_words_refresh()
    return OrderingWorld(approver, warehouse, station, fund, batteries, lighting, store, aa, aaa, lamp)


def look(ui, label: str, *, no_scroll: bool = False) -> None:
    """What a person sees at 1280 px and at 390 px: a screenshot and an axe scan at each width (no serious or
    critical violations); with `no_scroll`, the page must not scroll sideways on the phone."""
    ui.assert_accessible(f"{label}-1280")
    ui.page.set_viewport_size(PHONE)
    try:
        ui.assert_accessible(f"{label}-390")
        if no_scroll:
            widths = ui.page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            assert widths[0] <= widths[1], f"{label} scrolls sideways at 390 px: scrollWidth {widths[0]} > {widths[1]}"
    finally:
        ui.page.set_viewport_size(DESKTOP)
