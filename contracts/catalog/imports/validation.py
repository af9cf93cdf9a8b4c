"""Validating a parsed catalog file in one pass of plain Python (no query per row).

Every problem is reported — row, column, value, reason — and nothing stops at the first. A row that
passes is turned into one line of PostgreSQL COPY text (the "staged rows" that apply.py loads), and is
compared with the contract's current items for the preview diff.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from contracts.catalog.images.archive import ImageArchive
from contracts.catalog.imports.parsing import COLUMNS, MAX_ROWS, FileRejected, RowError, Table
from contracts.catalog.services.pricing import CENT, MAX_PRICE, MAX_REASON_LENGTH, contract_price_limit
from contracts.models import Category, Contract, ItemStatus
from marketplace.core.formatting import money
from marketplace.core.spreadsheets import FORMULA_START, neutralise

KEEP_ERRORS = 1000  # stored on the import (the report file has every one)
VALUE_SHOWN = 200  # characters of a bad value quoted back
SAMPLES = 10  # rows of each kind in the preview
MAX_LENGTH = {
    "sku": 64,
    "name": 300,
    "description": 5000,
    "category": 300,
    "manufacturer": 120,
    "mpn": 80,
    "unspsc": 8,
    "unit": 20,
    "image_url": 500,
    "attributes": 4000,
    "image": 255,
}
MAX_ATTRIBUTES = 50
MAX_ATTRIBUTE_KEY = 50
MAX_ATTRIBUTE_VALUE = 200
MAX_PACK_SIZE = 1_000_000
MAX_LEAD_TIME_DAYS = 3650
FORMULA_REASON = "Formulas are not allowed in text cells (the cell starts with =, +, -, @ or a tab)."
# After a leading + - @: a function call (no space before the parenthesis: "Battery (AA)" is text), a DDE pipe, a
# sheet reference (!A1), a cell reference right at the start, or another operator.
_FORMULA_ISH = re.compile(r"[A-Za-z_][\w.]*\(|\||!\$?[A-Za-z]{1,3}\$?\d|^\s*\$?[A-Za-z]{1,3}\$?\d+(?!\w)|^\s*[=+\-@]")
_PRICE = re.compile(r"(-)?\s*\$?\s*(-)?\s*(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d*))?")
_INT = re.compile(r"\d+(?:\.0*)?")
_URL = URLValidator(schemes=["http", "https"])
_STATUSES = frozenset(ItemStatus.values)  # (the enum's `values` builds a new list on every call)
_COPY_SPECIAL = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})

# The columns of a staged row, in COPY order (apply.py creates its temporary table with these).
STAGED_COLUMNS = (
    "sku",
    "name",
    "description",
    "category_id",
    "category_path",
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
    "image_digest",  # \N: keep the item's picture
    "reason",  # the supplier's reason for a price change (PriceChange.request_reason), never an item field
)
# The item fields compared for the diff (the existing item's values come in this order).
DIFF_FIELDS = (
    "name",
    "description",
    "category_id",
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
    "image_id",  # the picture's SHA-256 (an empty image cell keeps the current one)
)
NO_ARCHIVE = "No ZIP of pictures was uploaded with this file: add it under Pictures, or leave the image column empty."


def is_formula(text: str) -> bool:
    """A cell a spreadsheet would run as a formula: '=…', or '+ - @' (or a leading tab/CR) before formula-ish
    content such as a function call, a cell reference or a DDE pipe. '-20°C rated' is plain text."""
    if not text or text[0] not in FORMULA_START:
        return False
    if text[0] == "=":
        return True
    if text[0] in "\t\r":
        rest = text.lstrip("\t\r")
        return bool(rest) and rest[0] in "=+-@" and (rest[0] == "=" or bool(_FORMULA_ISH.search(rest[1:])))
    return bool(_FORMULA_ISH.search(text[1:]))


def unneutralise(text: str) -> str:
    """The reverse of `neutralise` for a cell we read: "'-20°C rated" (as our catalog export writes it) is
    "-20°C rated" again. What remains is still checked: "'=SUM(A1)" is refused as a formula."""
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_START:
        return text[1:]
    return text


class ErrorSink:
    """Collects errors: counts all, keeps the first KEEP_ERRORS, writes every one to a CSV report."""

    def __init__(self) -> None:
        self.kept: list[dict] = []
        self.count = 0
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer)
        self._writer.writerow(["row", "column", "value", "reason"])

    def add(self, row: int, column: str, value: object, reason: str) -> None:
        shown = "" if value is None else str(value)
        if len(shown) > VALUE_SHOWN:
            shown = shown[:VALUE_SHOWN] + "…"
        self.count += 1
        if len(self.kept) < KEEP_ERRORS:
            self.kept.append({"row": row, "column": column, "value": shown, "reason": reason})
        self._writer.writerow([row, neutralise(column), neutralise(shown), neutralise(reason)])

    def add_error(self, error: RowError) -> None:
        self.add(error.row, error.column, error.value, error.reason)

    def report_csv(self) -> str:
        return self._buffer.getvalue()


class CategoryIndex:
    """Category by slug, full path or leaf name, case-insensitive (an ambiguous leaf name must use the path)."""

    AMBIGUOUS = (0, "")

    def __init__(self, categories: list[tuple[int, str, str, str]]):
        self._by_key: dict[str, tuple[int, str]] = {}
        leaves: dict[str, list[tuple[int, str]]] = {}
        for pk, slug, name, path in categories:
            self._by_key[slug.lower()] = (pk, path)
            self._by_key[self.key(path)] = (pk, path)
            leaves.setdefault(self.key(name), []).append((pk, path))
        for leaf, matches in leaves.items():
            if leaf not in self._by_key:
                self._by_key[leaf] = matches[0] if len(matches) == 1 else self.AMBIGUOUS

    @staticmethod
    def key(text: str) -> str:
        return " > ".join(" ".join(part.split()) for part in text.lower().split(">"))

    @classmethod
    def load(cls) -> CategoryIndex:
        return cls(list(Category.objects.values_list("pk", "slug", "name", "path")))

    def get(self, text: str) -> tuple[int, str] | None:
        return self._by_key.get(self.key(text))


@dataclass
class Outcome:
    rows: int = 0
    staged: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    samples: dict[str, list[dict]] = field(default_factory=dict)
    images: dict[str, str] = field(default_factory=dict)  # picture SHA-256 -> its entry in the ZIP

    @property
    def preview(self) -> dict:
        return {"counts": self.counts, "samples": self.samples}


class _Bad(Exception):
    pass


def _copy_text(value: str) -> str:
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.translate(_COPY_SPECIAL)
    return value


def _as_text(value: object) -> str:
    if type(value) is str:
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def parse_price(value: object) -> Decimal:
    """'$1,234.50', '1234.5', 12.3 (XLSX) -> Decimal to the cent. Raises _Bad with the reason."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            amount = Decimal(repr(value)).quantize(CENT, rounding=ROUND_HALF_UP)
        except InvalidOperation:
            raise _Bad("is not a number")
    else:
        match = _PRICE.fullmatch(_as_text(value).strip())
        if match is None or (match[3] is None and not match[4]):
            raise _Bad("is not a number (write prices like 1234.50 or $1,234.50)")
        fraction = (match[4] or "").rstrip("0")
        if len(fraction) > 2:
            raise _Bad("has more than two decimal places")
        amount = Decimal((match[3] or "0").replace(",", "") + "." + (fraction or "0")).quantize(CENT)
        if (match[1] or match[2]) and amount:
            amount = -amount
    if amount < 0:
        raise _Bad("is negative")
    if amount == 0:
        raise _Bad("must be more than zero")
    if amount > MAX_PRICE:
        raise _Bad(f"is too large (at most {MAX_PRICE:,})")
    return amount


def parse_int(value: object, *, low: int, high: int) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        text = _as_text(value).strip()
        if not _INT.fullmatch(text):
            raise _Bad(f"is not a whole number from {low} to {high:,}")
        number = int(text.split(".")[0])
    if not low <= number <= high:
        raise _Bad(f"must be a whole number from {low} to {high:,}")
    return number


def parse_attributes(text: str) -> dict[str, str]:
    """'voltage=1.5 V; chemistry=alkaline' -> {'voltage': '1.5 V', 'chemistry': 'alkaline'}."""
    result: dict[str, str] = {}
    for part in text.split(";"):
        part = part.strip()
        if not part:
            continue
        key, sep, value = part.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key:
            raise _Bad(f"“{part[:40]}” is not key=value (separate pairs with ;)")
        if len(key) > MAX_ATTRIBUTE_KEY or len(value) > MAX_ATTRIBUTE_VALUE:
            raise _Bad(f"keys are at most {MAX_ATTRIBUTE_KEY} and values at most {MAX_ATTRIBUTE_VALUE} characters")
        if key in result:
            raise _Bad(f"the key “{key}” is given twice")
        result[key] = value
    if len(result) > MAX_ATTRIBUTES:
        raise _Bad(f"at most {MAX_ATTRIBUTES} attributes")
    return result


def existing_items(contract: Contract) -> dict[str, tuple]:
    """The contract's items by SKU, as tuples of DIFF_FIELDS (one query)."""
    from contracts.models import CatalogItem

    return {
        row[0]: row[1:]
        for row in CatalogItem.objects.filter(contract=contract).order_by().values_list("sku", *DIFF_FIELDS)
    }


def pending_prices(contract: Contract) -> dict[str, tuple[Decimal, Decimal | None]]:
    """(list price, contract price) of each increase waiting for the co-op, by SKU (one query). A row asking for
    exactly these prices asks for nothing new: the request stays as it is (an exported catalog re-imports cleanly)."""
    from contracts.models import PriceChange, PriceChangeStatus

    rows = PriceChange.objects.filter(item__contract=contract, status=PriceChangeStatus.PENDING).order_by()
    return {sku: (new_list, new) for sku, new_list, new in rows.values_list("item__sku", "new_list_price", "new_price")}


def validate_table(
    table: Table,
    *,
    contract: Contract,
    mode: str,
    categories: CategoryIndex,
    existing: dict[str, tuple],
    sink: ErrorSink,
    pending: dict[str, tuple] | None = None,
    progress: Callable[[int], None] | None = None,
    progress_every: int = 5000,
    images: ImageArchive | None = None,
    images_refused: bool = False,
) -> Outcome:
    """Check every row of `table`; returns the staged rows and the diff (meaningful only if sink.count == 0)."""
    for error in table.header_errors:
        sink.add_error(error)
    position = {name: index for index, name in enumerate(table.columns) if name}
    width = len(table.columns)
    has = {name: name in position for name in COLUMNS}
    outcome = Outcome()
    staged = outcome.staged
    seen: dict[str, int] = {}
    counts = {"added": 0, "changed": 0, "unchanged": 0, "increases": 0, "decreases": 0, "discontinued": 0}
    samples: dict[str, list[dict]] = {key: [] for key in ("added", "changed", "increases", "decreases", "discontinued")}
    text_columns = ("sku", "name", "description", "category", "manufacturer", "mpn", "unspsc", "unit")
    pending = pending or {}

    rows = 0
    try:
        for number, raw in table.rows:
            if not raw or all((v == "" or (type(v) is str and not v.strip())) for v in raw):
                continue  # blank line
            rows += 1
            if rows > MAX_ROWS:
                sink.add(number, "", "", f"More than {MAX_ROWS:,} rows, the limit. Split the file.")
                rows -= 1
                break
            if progress is not None and rows % progress_every == 0:
                progress(rows)
            row_ok = True

            def bad(column: str, value: object, reason: str, number: int = number) -> None:
                nonlocal row_ok
                row_ok = False
                sink.add(number, column, value, reason)

            if len(raw) > width and any((_as_text(v).strip() if v is not None else "") for v in raw[width:]):
                bad("", len(raw), f"The row has {len(raw)} values but the header has {width} columns.")
            values: dict[str, str] = {}
            formulas: set[str] = set()
            for column in text_columns:
                if not has[column]:
                    values[column] = ""
                    continue
                index = position[column]
                cell = raw[index] if index < len(raw) else ""
                text = cell if type(cell) is str else _as_text(cell)
                if text[:1] == "'":
                    text = unneutralise(text)
                if text and text[0] in FORMULA_START and is_formula(text):
                    bad(
                        column,
                        text,
                        FORMULA_REASON,
                    )
                    values[column] = ""
                    formulas.add(column)
                    continue
                text = text.strip()
                if len(text) > MAX_LENGTH[column]:
                    bad(column, text, f"Too long: {len(text):,} characters; the most is {MAX_LENGTH[column]:,}.")
                values[column] = text
            for column in ("sku", "name", "category"):
                if has[column] and not values[column] and column not in formulas:
                    bad(column, "", f"The {column} is required.")
            sku = values["sku"]
            if sku:
                if sku in seen:
                    bad("sku", sku, f"The SKU {sku} appears more than once in the file (first on row {seen[sku]}).")
                else:
                    seen[sku] = number
            category = None
            if values["category"]:
                category = categories.get(values["category"])
                if category is None:
                    bad("category", values["category"], "Unknown category: use a category's name, full path or slug.")
                elif category == CategoryIndex.AMBIGUOUS:
                    bad("category", values["category"], "More than one category has this name: use its full path.")
                    category = None
            unspsc = values["unspsc"]
            if unspsc and not (unspsc.isdigit() and len(unspsc) == 8):
                bad("unspsc", unspsc, "A UNSPSC code is 8 digits.")
            prices: dict[str, Decimal | None] = {}
            for column in ("list_price", "contract_price"):
                prices[column] = None
                if not has[column]:
                    continue
                index = position[column]
                cell = raw[index] if index < len(raw) else ""
                if cell == "" or (type(cell) is str and not cell.strip()):
                    bad(column, "", f"The {column.replace('_', ' ')} is required.")
                    continue
                try:
                    prices[column] = parse_price(cell)
                except _Bad as reason:
                    bad(column, cell, f"The {column.replace('_', ' ')} {reason}.")
            list_price, contract_price = prices["list_price"], prices["contract_price"]
            if list_price is not None and contract_price is not None:
                limit = contract_price_limit(contract=contract, list_price=list_price)
                if contract_price > limit:
                    if contract.pricing_basis == "min_discount" and contract.min_discount_percent:
                        reason = (
                            f"The contract price {money(contract_price)} is above {money(limit)}: the contract "
                            f"requires at least {Decimal(contract.min_discount_percent).normalize():f}% off the list "
                            f"price {money(list_price)}."
                        )
                    else:
                        reason = (
                            f"The contract price {money(contract_price)} is above the list price {money(list_price)}."
                        )
                    bad("contract_price", contract_price, reason)
            pack_size, lead_time = 1, None
            if has["pack_size"]:
                cell = raw[position["pack_size"]] if position["pack_size"] < len(raw) else ""
                if not (cell == "" or (type(cell) is str and not cell.strip())):
                    try:
                        pack_size = parse_int(cell, low=1, high=MAX_PACK_SIZE)
                    except _Bad as reason:
                        bad("pack_size", cell, f"The pack size {reason}.")
            if has["lead_time_days"]:
                cell = raw[position["lead_time_days"]] if position["lead_time_days"] < len(raw) else ""
                if not (cell == "" or (type(cell) is str and not cell.strip())):
                    try:
                        lead_time = parse_int(cell, low=0, high=MAX_LEAD_TIME_DAYS)
                    except _Bad as reason:
                        bad("lead_time_days", cell, f"The lead time {reason}.")
            status = ItemStatus.ACTIVE.value
            if has["status"]:
                cell = raw[position["status"]] if position["status"] < len(raw) else ""
                text = _as_text(cell).strip().lower()
                if text:
                    if text in _STATUSES:
                        status = text
                    else:
                        bad("status", cell, "The status must be active or discontinued.")
            image_url = ""
            if has["image_url"]:
                cell = raw[position["image_url"]] if position["image_url"] < len(raw) else ""
                image_url = _as_text(cell).strip()
                if image_url:
                    if len(image_url) > MAX_LENGTH["image_url"]:
                        bad("image_url", image_url, f"Too long: the most is {MAX_LENGTH['image_url']} characters.")
                    else:
                        try:
                            _URL(image_url)
                        except ValidationError:
                            bad("image_url", image_url, "Not a web address: use a full http:// or https:// URL.")
            image_digest = None  # None: keep the item's current picture
            if has["image"]:
                cell = raw[position["image"]] if position["image"] < len(raw) else ""
                name = _as_text(cell).strip()
                if not name:
                    pass
                elif is_formula(name):
                    bad("image", name, FORMULA_REASON)
                elif len(name) > MAX_LENGTH["image"]:
                    bad("image", name, f"Too long: the most is {MAX_LENGTH['image']} characters.")
                elif images is None:
                    bad("image", name, "The ZIP of pictures was refused (see row 0)." if images_refused else NO_ARCHIVE)
                else:
                    found = images.lookup(name)
                    if found.image is None:
                        bad("image", name, found.reason)
                    else:
                        image_digest = found.image.digest
                        outcome.images.setdefault(image_digest, found.entry)
            attributes: dict[str, str] = {}
            if has["attributes"]:
                cell = raw[position["attributes"]] if position["attributes"] < len(raw) else ""
                text = unneutralise(_as_text(cell))
                if text and text[0] in FORMULA_START and is_formula(text):
                    bad("attributes", text, FORMULA_REASON)
                elif len(text) > MAX_LENGTH["attributes"]:
                    bad("attributes", text, f"Too long: the most is {MAX_LENGTH['attributes']:,} characters.")
                elif text.strip():
                    try:
                        attributes = parse_attributes(text)
                    except _Bad as reason:
                        bad("attributes", text, f"Attributes must be written key=value; key=value: {reason}.")
                    else:
                        if any(is_formula(k) or is_formula(v) for k, v in attributes.items()):
                            bad("attributes", text, "Formulas are not allowed in attribute keys or values.")
            # --- reason (optional): why the price changes; kept on the PriceChange the row creates ---
            reason = ""
            if has["reason"]:
                cell = raw[position["reason"]] if position["reason"] < len(raw) else ""
                text = unneutralise(_as_text(cell))
                if text and text[0] in FORMULA_START and is_formula(text):
                    bad("reason", text, FORMULA_REASON)
                else:
                    reason = " ".join(text.split())
                    if len(reason) > MAX_REASON_LENGTH:
                        bad(
                            "reason",
                            reason,
                            f"The reason is too long: {len(reason):,} characters; the most is {MAX_REASON_LENGTH:,}.",
                        )

            if not row_ok or sink.count:
                continue  # once anything is wrong the file is rejected: keep checking, stop staging
            category_id, category_path = category
            fields = (
                sku,
                values["name"],
                values["description"],
                str(category_id),
                category_path,
                values["manufacturer"],
                values["mpn"],
                unspsc,
                values["unit"] or "EA",
                str(pack_size),
                str(list_price),
                str(contract_price),
                "\\N" if lead_time is None else str(lead_time),
                status,
                image_url,
                json.dumps(attributes, ensure_ascii=False) if attributes else "{}",
                image_digest or "\\N",
                reason,
            )
            staged.append(
                "\t".join(
                    [_copy_text(f) for f in fields[:12]]
                    + [fields[12]]
                    + [_copy_text(f) for f in fields[13:16]]
                    + [fields[16]]  # \N or a hex digest: nothing to escape
                    + [_copy_text(fields[17])]
                )
            )
            old = existing.get(sku)
            if old is None:
                counts["added"] += 1
                if len(samples["added"]) < SAMPLES:
                    samples["added"].append({"sku": sku, "name": values["name"], "contract_price": str(contract_price)})
                continue
            new = (
                values["name"],
                values["description"],
                category_id,
                values["manufacturer"],
                values["mpn"],
                unspsc,
                values["unit"] or "EA",
                pack_size,
                list_price,
                contract_price,
                lead_time,
                status,
                image_url,
                attributes,
                image_digest or old[14],
            )
            # an increase already waiting for the co-op is what the item asks for: the same prices are no change
            asked = pending.get(sku)
            if asked is not None:
                asked = (old[8] if asked[0] is None else asked[0], asked[1])
                old = (*old[:8], *asked, *old[10:])
            if new == tuple(old):
                counts["unchanged"] += 1
                continue
            counts["changed"] += 1
            old_price = existing[sku][9]
            entry = {"sku": sku, "name": values["name"], "old_price": str(old_price), "new_price": str(contract_price)}
            if len(samples["changed"]) < SAMPLES:
                entry["fields"] = [
                    "image" if name == "image_id" else name
                    for name, a, b in zip(DIFF_FIELDS, old, new, strict=True)
                    if a != b
                ]
                samples["changed"].append(entry)
            if contract_price > old_price and (list_price, contract_price) != asked:
                counts["increases"] += 1
                if len(samples["increases"]) < SAMPLES:
                    samples["increases"].append({**entry, "reason": reason} if reason else entry)
            elif contract_price < old_price:
                counts["decreases"] += 1
                if len(samples["decreases"]) < SAMPLES:
                    samples["decreases"].append(entry)
    except FileRejected as exc:
        sink.add_error(exc.error)

    if rows == 0 and sink.count == 0:
        sink.add(0, "", "", "The file has a header but no rows of items.")
    if mode == "replace" and sink.count == 0:
        for sku, old in existing.items():
            if old[11] == ItemStatus.ACTIVE and sku not in seen:
                counts["discontinued"] += 1
                if len(samples["discontinued"]) < SAMPLES:
                    samples["discontinued"].append({"sku": sku, "name": old[0], "old_price": str(old[9])})
    outcome.rows = rows
    outcome.counts = counts
    outcome.samples = samples
    return outcome
