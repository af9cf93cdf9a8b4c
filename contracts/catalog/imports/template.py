"""The downloadable catalog template (CSV and XLSX): the header and one example row."""

from __future__ import annotations

import csv
import io

from contracts.catalog.imports.parsing import COLUMNS

EXAMPLE_ROW = {
    "sku": "BAT-AA-24",
    "name": "AA alkaline battery, 24-pack",
    "description": "Long-life 1.5 V alkaline cells.",
    "category": "Batteries > Alkaline & lithium cells",
    "manufacturer": "Duracell",
    "mpn": "MN1500B24",
    "unspsc": "26111702",
    "unit": "PK",
    "pack_size": "24",
    "list_price": "$29.99",
    "contract_price": "$20.99",
    "lead_time_days": "3",
    "status": "active",
    "image_url": "https://example.com/images/bat-aa-24.png",
    "attributes": "chemistry=alkaline; voltage=1.5 V; size=AA",
    "image": "",  # a file name in the ZIP of pictures uploaded with the file (empty: keep the item's picture)
}


def template_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerow([EXAMPLE_ROW[c] for c in COLUMNS])
    return out.getvalue().encode("utf-8-sig")  # the BOM makes Excel open it as UTF-8


def template_xlsx() -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Catalog"
    sheet.append(list(COLUMNS))
    sheet.append([EXAMPLE_ROW[c] for c in COLUMNS])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
