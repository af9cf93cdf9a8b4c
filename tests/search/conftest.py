"""A small catalog for search tests: one usable contract with realistic items, and contracts the agency must
not see (draft, another co-op's, a lapsed membership's, another state's), each with one marked item."""

from __future__ import annotations

from decimal import Decimal

import pytest

from contracts.catalog.search.words import search_words_refresh
from contracts.models import CatalogItem, Category
from marketplace.core.roles import OrgKind
from tests.factories import ContractFactory, CoopMembershipFactory, OrganizationFactory

ITEMS = [
    # sku, name, category slug, manufacturer, mpn, list, contract
    (
        "DUR-AA24",
        "Duracell Procell AA Alkaline Battery, 24-pack",
        "alkaline-lithium-cells",
        "Duracell",
        "PC1500BKD",
        "20.00",
        "13.00",
    ),
    (
        "EN-AAA24",
        "Energizer Industrial AAA Alkaline Battery, 24-pack",
        "alkaline-lithium-cells",
        "Energizer",
        "EN92",
        "18.00",
        "12.00",
    ),
    (
        "PS-12180-NB",
        "Power-Sonic PS-12180 12V 18Ah SLA Battery",
        "sealed-lead-acid",
        "Power-Sonic",
        "PS-12180 NB",
        "60.00",
        "40.00",
    ),
    ("TRAY-1", "Battery tray for PS-12180-NB and similar", "sealed-lead-acid", "BrightCell", "BT-1", "15.00", "9.00"),
    (
        "SL-78100",
        "Streamlight Stinger 2020 Rechargeable Flashlight",
        "flashlights",
        "Streamlight",
        "78100",
        "179.00",
        "120.00",
    ),
    ("PHL-A19-9W", "Philips 9W A19 LED Lamp 2700K", "led-lamps", "Philips", "PHL-A19-9W-2700", "5.00", "3.20"),
    (
        "JEBL-24L",
        "Lithonia LED High Bay 24,000 lm 4000K",
        "fixtures-high-bays",
        "Lithonia Lighting",
        "JEBL 24L 40K",
        "1999.00",
        "1300.00",
    ),
    (
        "APC-RBC7",
        "APC RBC7 Replacement Battery Cartridge",
        "ups-replacement-cartridges",
        "APC",
        "RBC7",
        "250.00",
        "170.00",
    ),
]


def make_item(
    contract, sku, name, category="alkaline-lithium-cells", manufacturer="Acme", mpn="", lp="10", cp="7", **extra
):
    cat = Category.objects.get(slug=category)
    return CatalogItem.objects.create(
        contract=contract,
        sku=sku,
        name=name,
        category=cat,
        category_path=cat.path,
        manufacturer=manufacturer,
        mpn=mpn,
        list_price=Decimal(lp),
        contract_price=Decimal(cp),
        **extra,
    )


@pytest.fixture
def shop(world):
    """world + a contract of Alpha Co-op (usable in FL) with ITEMS, and hidden items on contracts the agency must
    not see. Attributes: contract, items (by sku), hidden (by reason)."""
    w = world
    w.contract = ContractFactory(cooperative=w.coop, supplier=w.supplier, number="AC-2026-01", slug="ac-2026-01")
    w.items = {row[0]: make_item(w.contract, *row) for row in ITEMS}
    w.hidden = {}
    w.hidden["discontinued"] = make_item(
        w.contract, "OLD-1", "Discontinued Zincchloride Battery", status="discontinued"
    )
    draft = ContractFactory(cooperative=w.coop, supplier=w.supplier, status="draft")
    w.hidden["inactive contract"] = make_item(draft, "DR-1", "Draftonly Battery Pack")
    other = ContractFactory(cooperative=w.other_coop, supplier=w.other_supplier)
    w.hidden["other co-op"] = make_item(other, "OC-1", "Othercoop Battery Pack")
    lapsed_coop = OrganizationFactory(kind=OrgKind.COOPERATIVE, name="Lapsed Co-op")
    CoopMembershipFactory(cooperative=lapsed_coop, agency=w.agency, status="lapsed")
    lapsed = ContractFactory(cooperative=lapsed_coop, supplier=w.supplier)
    w.hidden["lapsed membership"] = make_item(lapsed, "LP-1", "Lapsedcoop Battery Pack")
    texas = ContractFactory(cooperative=w.coop, supplier=w.supplier, states=["TX"])
    w.hidden["other state"] = make_item(texas, "TX-1", "Texasonly Battery Pack")
    florida = ContractFactory(cooperative=w.coop, supplier=w.supplier, states=["FL", "GA"], number="FL-1", slug="fl-1")
    w.florida_item = make_item(florida, "FL-1", "Floridaonly Battery Pack")
    search_words_refresh()
    return w


def api(client, user, **params):
    client.force_login(user)
    return client.get("/api/v1/agencies/city-of-alpha/catalog/items/", params)


def skus(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["sku"] for row in response.json()["results"]]
