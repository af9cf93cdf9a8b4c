"""Catalog import fixtures: a contract of world.supplier with world.coop, files built in memory, items."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from contracts.catalog.services.imports import catalog_import_run
from contracts.models import CatalogItem, Category, PriceChange
from tests.factories import ContractFactory

HEADER = [
    "sku",
    "name",
    "description",
    "category",
    "manufacturer",
    "mpn",
    "unspsc",
    "unit",
    "pack_size",
    "list_price",
    "contract_price",
    "lead_time_days",
    "status",
    "image_url",
    "attributes",
]


def row(sku="AA-1", name="AA alkaline battery 24-pack", **fields):
    """A valid row (30% off list) as a dict of the template's columns."""
    base = {
        "sku": sku,
        "name": name,
        "description": "Long-life alkaline cells",
        "category": "Alkaline & lithium cells",
        "manufacturer": "Duracell",
        "mpn": "MN1500B24",
        "unspsc": "26111702",
        "unit": "PK",
        "pack_size": "24",
        "list_price": "20.00",
        "contract_price": "14.00",
        "lead_time_days": "3",
        "status": "active",
        "image_url": "https://img.example.test/aa.png",
        "attributes": "chemistry=alkaline; voltage=1.5 V",
    }
    base.update(fields)
    return base


def csv_bytes(rows, *, header=HEADER, delimiter=",", encoding="utf-8", bom=False) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    for r in rows:
        writer.writerow([r.get(h, "") for h in header] if isinstance(r, dict) else r)
    data = out.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def xlsx_bytes(rows, *, header=HEADER) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for r in rows:
        sheet.append([r.get(h, "") for h in header] if isinstance(r, dict) else r)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(data: bytes, name: str = "catalog.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


@pytest.fixture
def contract(world):
    return ContractFactory(
        cooperative=world.coop, supplier=world.supplier, number="CT-ALPHA", min_discount_percent="30.00"
    )


@pytest.fixture
def other_contract(world):
    return ContractFactory(cooperative=world.other_coop, supplier=world.other_supplier, number="CT-BETA")


@pytest.fixture
def run(world, contract):
    """run(rows_or_bytes, mode=..., name=...) -> the import after a synchronous validate + apply."""

    def _run(data, *, mode="upsert", name="catalog.csv", on=None, actor=None):
        if not isinstance(data, bytes):
            data = csv_bytes(data)
        return catalog_import_run(
            contract=on or contract, actor=actor or world.catalog_manager, file=upload(data, name), mode=mode
        )

    return _run


def catalog_state(contract) -> tuple:
    """Everything an import could change, for 'nothing changed' assertions."""
    items = tuple(
        CatalogItem.objects.filter(contract=contract)
        .order_by("sku")
        .values_list("sku", "name", "list_price", "contract_price", "status", "updated_at")
    )
    changes = tuple(PriceChange.objects.filter(item__contract=contract).order_by("pk").values_list("pk", "status"))
    return items, changes


def make_item(contract, sku="AA-1", *, price="14.00", list_price="20.00", status="active", name="AA battery"):
    category = Category.objects.get(slug="alkaline-lithium-cells")
    item = CatalogItem.objects.create(
        contract=contract,
        sku=sku,
        name=name,
        category=category,
        category_path=category.path,
        list_price=Decimal(list_price),
        contract_price=Decimal(price),
        status=status,
    )
    PriceChange.objects.create(
        item=item,
        new_price=item.contract_price,
        new_list_price=item.list_price,
        status="applied",
        effective_date="2026-01-01",
    )
    return item
