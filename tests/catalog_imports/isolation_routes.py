"""Catalog import (supplier) and price-change (co-op) routes in the isolation matrix.

The supplier pages are for catalog managers and supplier admins. The matrix's "member without the role" for a
supplier is a catalog manager, who is allowed here, so these are probed as "any member" (roles=None) and the
order desk's 403 is tested in tests/catalog_imports/test_pages.py. Objects named in `extra` belong to
world.supplier / world.coop; `other_extra` names world.other_supplier's import or item and world.other_coop's
price change (tests.isolation.seed_other_tenant).
"""

from __future__ import annotations

from contracts.models import CatalogImport, CatalogItem, PriceChange
from marketplace.core.roles import OrgKind
from tests.factories import CatalogImportFactory, CatalogItemFactory, ContractFactory, PriceChangeFactory
from tests.isolation import Probe

SUPPLIER, COOP = OrgKind.SUPPLIER, OrgKind.COOPERATIVE


def _contract(world):
    if not hasattr(world, "probe_import_contract"):
        world.probe_import_contract = ContractFactory(
            cooperative=world.coop, supplier=world.supplier, number="ISO-IMP-1"
        )
    return world.probe_import_contract


def _import(world):
    if not hasattr(world, "probe_import"):
        world.probe_import = CatalogImportFactory(
            contract=_contract(world), original_name="probe-catalog.csv", created_by=world.catalog_manager
        )
    return {"public_id": world.probe_import.public_id}


def _change(world):
    if not hasattr(world, "probe_change"):
        item = CatalogItemFactory(contract=_contract(world), sku="P-ISO-1", name="Probe LED lamp")
        world.probe_change = PriceChangeFactory(item=item, requested_by=world.catalog_manager)
    return {"change_id": world.probe_change.pk}


def _other_import(world):
    return {"public_id": world.other_objects.catalog_import.public_id}


def _other_change(world):
    return {"change_id": world.other_objects.change.pk}


def _other_item(world):
    return {"item_id": world.other_objects.item.pk}


def _imports_state(world):
    return tuple(CatalogImport.objects.values_list("pk", "status").order_by("pk"))


def _changes_state(world):
    return tuple(PriceChange.objects.values_list("pk", "status").order_by("pk"))


def _items_state(world):
    return tuple(CatalogItem.objects.values_list("pk", "contract_price").order_by("pk"))


def _probe_name(world):
    return "probe-catalog.csv"


MATRIX: dict[str, Probe] = {
    "supplier-catalog": Probe(SUPPLIER, extra=lambda w: (_import(w), {})[1], shows=_probe_name),
    # the same file for every supplier (no tenant data in it): its header is what shows the file was sent
    "supplier-catalog-template": Probe(SUPPLIER, shows=lambda w: "sku,name,description"),
    # a binary download: the tenancy gate is probed with OPTIONS (test_pages.py downloads it)
    "supplier-catalog-template-xlsx": Probe(SUPPLIER, method="options", shows=None),
    "supplier-catalog-import-new": Probe(
        SUPPLIER,
        method="post",
        data={},
        ok=(400,),
        extra=lambda w: (_contract(w), {})[1],
        snapshot=_imports_state,
        shows=None,
    ),
    "supplier-catalog-import": Probe(SUPPLIER, extra=_import, other_extra=_other_import, shows=_probe_name),
    "supplier-catalog-import-status": Probe(
        SUPPLIER, extra=_import, other_extra=_other_import, shows=lambda w: "The sku is required."
    ),
    "supplier-catalog-import-errors": Probe(
        SUPPLIER, extra=_import, other_extra=_other_import, shows=lambda w: "The sku is required."
    ),
    "supplier-catalog-import-confirm": Probe(
        SUPPLIER,
        method="post",
        extra=_import,
        other_extra=_other_import,
        ok=(302,),
        snapshot=_imports_state,
        shows=None,
    ),
    "supplier-catalog-import-cancel": Probe(
        SUPPLIER,
        method="post",
        extra=_import,
        other_extra=_other_import,
        ok=(302,),
        snapshot=_imports_state,
        shows=None,
    ),
    "supplier-catalog-import-retry": Probe(
        SUPPLIER,
        method="post",
        extra=_import,
        other_extra=_other_import,
        ok=(302,),
        snapshot=_imports_state,
        shows=None,
    ),
    "api-supplier-catalog-imports": Probe(SUPPLIER, api=True, extra=lambda w: (_import(w), {})[1], shows=_probe_name),
    "api-supplier-catalog-import": Probe(
        SUPPLIER, api=True, extra=_import, other_extra=_other_import, shows=_probe_name
    ),
    "api-supplier-catalog-import-confirm": Probe(
        SUPPLIER,
        api=True,
        method="post",
        extra=_import,
        other_extra=_other_import,
        ok=(409,),
        snapshot=_imports_state,
        shows=None,
    ),
    "api-supplier-catalog-import-cancel": Probe(
        SUPPLIER,
        api=True,
        method="post",
        extra=_import,
        other_extra=_other_import,
        ok=(409,),
        snapshot=_imports_state,
        shows=None,
    ),
    "api-supplier-catalog-import-retry": Probe(
        SUPPLIER,
        api=True,
        method="post",
        extra=_import,
        other_extra=_other_import,
        ok=(409,),
        snapshot=_imports_state,
        shows=None,
    ),
    "coop-price-changes": Probe(COOP, extra=lambda w: (_change(w), {})[1], shows=lambda w: "P-ISO-1"),
    "coop-price-change-approve": Probe(
        COOP,
        method="post",
        extra=_change,
        other_extra=_other_change,
        ok=(302,),
        snapshot=lambda w: _changes_state(w) + _items_state(w),
        shows=None,
    ),
    "coop-price-change-reject": Probe(
        COOP,
        method="post",
        data={},
        extra=_change,
        other_extra=_other_change,
        ok=(400,),
        snapshot=_changes_state,
        shows=None,
    ),
    "api-coop-price-changes": Probe(COOP, api=True, extra=lambda w: (_change(w), {})[1], shows=lambda w: "P-ISO-1"),
    "api-coop-price-change-approve": Probe(
        COOP,
        api=True,
        method="post",
        extra=_change,
        other_extra=_other_change,
        snapshot=lambda w: _changes_state(w) + _items_state(w),
        shows=None,
    ),
    "api-coop-price-change-reject": Probe(
        COOP,
        api=True,
        method="post",
        data={},
        extra=_change,
        other_extra=_other_change,
        ok=(400,),
        snapshot=_changes_state,
        shows=None,
    ),
}

UNSCOPED_ROUTES: dict[str, str] = {}


# --- A supplier's own items and the single-item price change (tests/catalog_imports/test_supplier_items.py) ----


def _item(world):
    if not hasattr(world, "probe_item"):
        world.probe_item = CatalogItemFactory(contract=_contract(world), sku="P-ISO-ITEM", name="Probe item")
    return {"item_id": world.probe_item.pk}


def _price_state(world):
    return _changes_state(world) + _items_state(world)


MATRIX.update(
    {
        "supplier-catalog-items": Probe(SUPPLIER, extra=lambda w: (_item(w), {})[1], shows=lambda w: "P-ISO-ITEM"),
        "supplier-catalog-item": Probe(SUPPLIER, extra=_item, other_extra=_other_item, shows=lambda w: "P-ISO-ITEM"),
        "api-supplier-catalog-items": Probe(
            SUPPLIER, api=True, extra=lambda w: (_item(w), {})[1], shows=lambda w: "P-ISO-ITEM"
        ),
        "api-supplier-catalog-item-price": Probe(
            SUPPLIER,
            api=True,
            method="post",
            data={"contract_price": "11.00"},
            extra=_item,
            other_extra=_other_item,
            snapshot=_price_state,
            shows=None,
        ),
    }
)


# --- "Download current catalog" (tests/catalog_imports/test_export.py) --------------------------------------


def _export_contract(world):
    if not hasattr(world, "probe_export_item"):
        world.probe_export_item = CatalogItemFactory(contract=_contract(world), sku="P-ISO-EXPORT", name="Probe cell")
    return {"contract": _contract(world).slug}


def _other_contract(world):
    return {"contract": world.other_objects.contract.slug}


MATRIX.update(
    {
        # streamed downloads: the tenancy gate is probed with OPTIONS, another tenant's contract with GET (404);
        # test_export.py reads the files
        "supplier-catalog-export": Probe(
            SUPPLIER, method="options", extra=_export_contract, other_extra=_other_contract, shows=None
        ),
        "supplier-catalog-export-xlsx": Probe(
            SUPPLIER, method="options", extra=_export_contract, other_extra=_other_contract, shows=None
        ),
    }
)
