"""The downloadable catalog template (CSV and XLSX): the header and one example row, and in the workbook a second
sheet, "Instructions", describing every column (required or not, format, example) and the two modes.

`COLUMN_GUIDE` is the one description of the columns: the Instructions sheet, the upload page's "Columns" table
and docs/catalog-imports.md say the same thing.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from contracts.catalog.imports.parsing import COLUMNS, MAX_FILE_BYTES, MAX_ROWS, REQUIRED_COLUMNS
from contracts.catalog.imports.validation import MAX_ATTRIBUTES, MAX_LEAD_TIME_DAYS, MAX_LENGTH, MAX_PACK_SIZE
from contracts.catalog.services.pricing import MAX_REASON_LENGTH

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
    "reason": "",
    "lead_time_days": "3",
    "status": "active",
    "image_url": "https://example.com/images/bat-aa-24.png",
    "attributes": "chemistry=alkaline; voltage=1.5 V; size=AA",
    "image": "",  # a file name in the ZIP of pictures uploaded with the file (empty: keep the item's picture)
}


@dataclass(frozen=True)
class ColumnGuide:
    name: str
    format: str
    example: str

    @property
    def required(self) -> bool:
        return self.name in REQUIRED_COLUMNS


_PRICE = "Dollars, more than zero, at most two decimals: 1234.50 or $1,234.50."
_GUIDE = (
    ColumnGuide(
        "sku",
        f"Your item number, unique in the file and the contract (up to {MAX_LENGTH['sku']} characters). "
        "Rows are matched to existing items by SKU.",
        "BAT-AA-24",
    ),
    ColumnGuide("name", f"The item's name as buyers see it (up to {MAX_LENGTH['name']} characters).", ""),
    ColumnGuide("description", f"Up to {MAX_LENGTH['description']:,} characters.", ""),
    ColumnGuide(
        "category",
        "A category's full path, its name, or its slug (capitals do not matter). A name two categories share "
        "must be written as the full path.",
        "",
    ),
    ColumnGuide("manufacturer", f"Up to {MAX_LENGTH['manufacturer']} characters.", ""),
    ColumnGuide("mpn", f"The manufacturer's part number (up to {MAX_LENGTH['mpn']} characters).", ""),
    ColumnGuide("unspsc", "The UNSPSC code: 8 digits.", ""),
    ColumnGuide("unit", f"Unit of measure: EA, PK, BX, CS … (up to {MAX_LENGTH['unit']} characters). Empty: EA.", ""),
    ColumnGuide("pack_size", f"A whole number from 1 to {MAX_PACK_SIZE:,}. Empty: 1.", ""),
    ColumnGuide("list_price", _PRICE + " The manufacturer's or your public list price.", ""),
    ColumnGuide(
        "contract_price",
        _PRICE + " At most what the contract's pricing basis allows (for example at least 30% off the list "
        "price). A lower price applies at once; a higher one waits for the co-op's approval.",
        "",
    ),
    ColumnGuide(
        "reason",
        f"Why a price goes up, shown to the co-op staff who approve it (up to {MAX_REASON_LENGTH:,} characters). "
        "The header may also be written “price change reason”. Ignored when the price does not change.",
        "Manufacturer raised its price 8% on Jan 1, 2027 (letter attached to the bid file).",
    ),
    ColumnGuide("lead_time_days", f"Days from order to shipment: a whole number from 0 to {MAX_LEAD_TIME_DAYS:,}.", ""),
    ColumnGuide("status", "active or discontinued. Empty: active.", ""),
    ColumnGuide(
        "image_url",
        f"Your reference address of a picture (up to {MAX_LENGTH['image_url']}); kept, never fetched or shown.",
        "",
    ),
    ColumnGuide(
        "attributes",
        f"key=value pairs separated by semicolons, at most {MAX_ATTRIBUTES}. A value may not contain “;”.",
        "",
    ),
    ColumnGuide(
        "image",
        "The file name of the item's picture in the ZIP of pictures uploaded with this file (JPEG, PNG or WebP). "
        "Empty: the item keeps its picture.",
        "bat-aa-24.jpg",
    ),
)
_BY_NAME = {guide.name: guide for guide in _GUIDE}
# Every column, in the template's order (a column without its own entry points to the documentation).
COLUMN_GUIDE = tuple(_BY_NAME.get(name) or ColumnGuide(name, "See docs/catalog-imports.md.", "") for name in COLUMNS)

MODES = (
    (
        "Add and update (upsert)",
        "Adds the SKUs that are new, updates the ones in the file, and leaves the contract's other items alone.",
    ),
    (
        "Replace",
        "The same, and also discontinues (never deletes) the contract's active items that are not in the file.",
    ),
)
NOTES = (
    "Only the first sheet is read: keep your items on the “Catalog” sheet; this sheet is ignored.",
    "The first row holds the column names, in any order; capitals, spaces and hyphens in them do not matter. "
    "Only sku, name, category, list_price and contract_price are required; leave out any other column.",
    "Every row is checked before anything changes. If any row has a problem, nothing is changed and you get a "
    "list of every problem (row, column, value and reason).",
    "Text cells must not start with = (spreadsheet formulas are refused). A ' written before a leading "
    "+ - @ or = (as “Download current catalog” writes it) is removed; a formula after it is still refused.",
    f"Limits: {MAX_FILE_BYTES // (1024 * 1024)} MB per file and {MAX_ROWS:,} rows. Save large workbooks as CSV.",
    "To edit what is on a contract now, start from “Download current catalog” on the Catalog page: it has these "
    "columns and uploads again unchanged. An item whose increase waits for the co-op is written with the "
    "requested prices and reason.",
)


def template_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerow([EXAMPLE_ROW.get(c, "") for c in COLUMNS])
    return out.getvalue().encode("utf-8-sig")  # the BOM makes Excel open it as UTF-8


def template_xlsx() -> bytes:
    import openpyxl
    from openpyxl.styles import Alignment, Font

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Catalog"  # the first sheet: the one the import reads
    sheet.append(list(COLUMNS))
    sheet.append([EXAMPLE_ROW.get(c, "") for c in COLUMNS])
    sheet.freeze_panes = "A2"
    for cell in sheet[1]:
        cell.font = Font(bold=True)

    guide = workbook.create_sheet("Instructions")
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    guide.append(["How to fill in the Catalog sheet"])
    guide["A1"].font = Font(bold=True, size=14)
    guide.append([])
    guide.append(["Column", "Required", "Format", "Example"])
    for cell in guide[guide.max_row]:
        cell.font = bold
    for column in COLUMN_GUIDE:
        example = column.example or EXAMPLE_ROW.get(column.name, "")
        guide.append([column.name, "Required" if column.required else "Optional", column.format, example])
    guide.append([])
    guide.append(["Modes (chosen on the upload page)"])
    guide.cell(row=guide.max_row, column=1).font = bold
    for name, text in MODES:
        guide.append([name, "", text])
    guide.append([])
    guide.append(["Notes"])
    guide.cell(row=guide.max_row, column=1).font = bold
    for text in NOTES:
        guide.append(["", "", text])
    for letter, width in (("A", 26), ("B", 11), ("C", 80), ("D", 44)):
        guide.column_dimensions[letter].width = width
    for row in guide.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = wrap
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
