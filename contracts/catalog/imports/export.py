"""The "Download current catalog" file: a contract's items in exactly the import format (the template's columns,
the same names and value formats), so a supplier can edit the file and upload it again. Exporting and re-importing in
upsert mode changes nothing (tests/catalog_imports/test_export.py).

- Items come in batches of `BATCH` by SKU (keyset on the contract's unique SKU index: a query per batch, never the
  whole catalog in memory), and the responses stream them.
- An item with a price increase waiting for the co-op is written with the **requested** prices and the supplier's
  reason: uploading the file again repeats the request (which stays as it is) instead of withdrawing it.
- CSV: text cells are neutralised against formula injection with the kernel's rule (`marketplace.core.spreadsheets`:
  a leading `'`, which the importer strips again: `validation.unneutralise`); numbers are plain (`1234.50`). UTF-8
  with a BOM, as the template, so Excel opens it as UTF-8.
- XLSX: one "Catalog" sheet written in openpyxl's write-only mode to a temporary file; text cells are typed as
  text, so a spreadsheet never runs them as formulas; prices and counts are numbers.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterator
from decimal import Decimal

from contracts.catalog.imports.parsing import COLUMNS
from contracts.models import CatalogItem, Contract, PriceChange, PriceChangeStatus
from marketplace.core.spreadsheets import neutralise

BATCH = 2000
_ITEM_FIELDS = (
    "id",
    "sku",
    "name",
    "description",
    "category__path",
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
)
# Every import column but `image` (a file name in a ZIP sent with an upload: an export has no ZIP, and an empty or
# missing column keeps each item's picture on re-import).
EXPORT_COLUMNS = tuple(c for c in COLUMNS if c != "image")
NUMERIC_COLUMNS = frozenset(("pack_size", "list_price", "contract_price", "lead_time_days"))


def attributes_text(attributes: dict) -> str:
    """{'voltage': '1.5 V', 'size': 'AA'} -> 'voltage=1.5 V; size=AA' (the import's attributes format)."""
    return "; ".join(f"{key}={value}" for key, value in (attributes or {}).items())


def catalog_export_rows(*, contract: Contract, batch: int = BATCH) -> Iterator[dict]:
    """The contract's items by SKU as dicts of EXPORT_COLUMNS (typed: Decimal prices, int counts, None)."""
    last = None
    while True:
        items = CatalogItem.objects.filter(contract=contract).order_by("sku")
        if last is not None:
            items = items.filter(sku__gt=last)
        rows = list(items.values_list(*_ITEM_FIELDS)[:batch])
        if not rows:
            return
        asked = {
            item_id: (new_list, new, reason)
            for item_id, new_list, new, reason in PriceChange.objects.filter(
                item_id__in=[r[0] for r in rows], status=PriceChangeStatus.PENDING
            )
            .order_by()
            .values_list("item_id", "new_list_price", "new_price", "request_reason")
        }
        for (
            item_id,
            sku,
            name,
            description,
            category,
            manufacturer,
            mpn,
            unspsc,
            unit,
            pack_size,
            list_price,
            contract_price,
            lead_time,
            status,
            image_url,
            attributes,
        ) in rows:
            reason = ""
            if item_id in asked:
                new_list, contract_price, reason = asked[item_id]
                list_price = list_price if new_list is None else new_list
            yield {
                "sku": sku,
                "name": name,
                "description": description,
                "category": category,
                "manufacturer": manufacturer,
                "mpn": mpn,
                "unspsc": unspsc,
                "unit": unit,
                "pack_size": pack_size,
                "list_price": list_price,
                "contract_price": contract_price,
                "reason": reason,
                "lead_time_days": lead_time,
                "status": status,
                "image_url": image_url,
                "attributes": attributes_text(attributes),
            }
        if len(rows) < batch:
            return
        last = rows[-1][1]


class _Line:
    """A file-like object that hands back what csv.writer writes (one line at a time)."""

    def write(self, value: str) -> str:
        return value


def _csv_cell(column: str, value: object) -> str:
    if value is None:
        return ""
    if column in NUMERIC_COLUMNS:
        return str(value)
    return neutralise(value)


def catalog_export_csv(*, contract: Contract) -> Iterator[bytes]:
    """The CSV, line by line (for a StreamingHttpResponse)."""
    writer = csv.writer(_Line(), lineterminator="\r\n")
    yield "\ufeff".encode() + writer.writerow(EXPORT_COLUMNS).encode()
    for row in catalog_export_rows(contract=contract):
        yield writer.writerow([_csv_cell(c, row[c]) for c in EXPORT_COLUMNS]).encode()


def catalog_export_xlsx(*, contract: Contract):
    """The workbook in a temporary file (rewound; closed and removed by whoever reads it)."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Catalog")
    sheet.append(list(EXPORT_COLUMNS))

    def cell(column: str, value: object):
        if value is None or value == "":
            return None
        if column in NUMERIC_COLUMNS:
            return value if isinstance(value, (int, Decimal)) else str(value)
        text = WriteOnlyCell(sheet, value=str(value))
        text.data_type = "s"  # text, never a formula (openpyxl would take "=…" as one)
        return text

    for row in catalog_export_rows(contract=contract):
        sheet.append([cell(c, row[c]) for c in EXPORT_COLUMNS])
    out = tempfile.TemporaryFile()  # noqa: SIM115 (handed to the response, which closes it)
    workbook.save(out)
    out.seek(0)
    return out
