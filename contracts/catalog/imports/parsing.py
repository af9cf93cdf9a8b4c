"""Reading a catalog file: what kind it really is (by content, not by name), its text encoding and delimiter
(CSV) or its first sheet (XLSX), the header, and its rows as lists of raw cell values.

File-level problems (empty, too large, wrong type, zip bomb, undecodable) raise `FileRejected` with
errors in the same shape as row errors, so every problem is reported the same way.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

# --- Limits (documented in docs/catalog-imports.md) -------------------------------------------------------
MAX_FILE_BYTES = 25 * 1024 * 1024  # 25 MB uploaded
MAX_ROWS = 200_000  # data rows (the header not counted)
MAX_XLSX_EXPANDED_BYTES = 200 * 1024 * 1024  # sum of the workbook's unzipped parts: a zip bomb stops here

COLUMNS = (
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
    "reason",  # optional: why a price goes up (stored on the PriceChange the co-op decides)
    "lead_time_days",
    "status",
    "image_url",
    "attributes",
    "image",
)
REQUIRED_COLUMNS = ("sku", "name", "category", "list_price", "contract_price")
# Other names a header may use for a column (after normalise_header).
COLUMN_ALIASES = {"price_change_reason": "reason"}
ACCEPTED_EXTENSIONS = (".csv", ".tsv", ".txt", ".xlsx")
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}


@dataclass(frozen=True)
class RowError:
    """One problem: `row` is the spreadsheet row number (the header is row 1; 0 for the file as a whole)."""

    row: int
    column: str
    value: str
    reason: str


class FileRejected(Exception):
    def __init__(self, reason: str, *, column: str = "", value: str = ""):
        super().__init__(reason)
        self.error = RowError(row=0, column=column, value=value, reason=reason)


@dataclass
class Table:
    """A parsed file: `columns[i]` is the canonical name of position i (None for an unknown column)."""

    kind: str  # "csv" | "xlsx"
    columns: list[str | None]
    rows: Iterator[tuple[int, list]]  # (spreadsheet row number, raw values)
    estimated_rows: int
    header_errors: list[RowError] = field(default_factory=list)
    encoding: str = ""
    delimiter: str = ""


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def normalise_header(name: object) -> str:
    """'  List Price ' -> 'list_price' (case, spaces and hyphens do not matter)."""
    text = "" if name is None else str(name)
    return re.sub(r"[\s\-]+", "_", text.strip().lstrip("\ufeff").strip().lower())


def _check_header(raw_header: list) -> tuple[list[str | None], list[RowError]]:
    columns: list[str | None] = []
    errors: list[RowError] = []
    seen: set[str] = set()
    for raw in raw_header:
        name = normalise_header(raw)
        name = COLUMN_ALIASES.get(name, name)
        shown = "" if raw is None else str(raw)
        if not name:
            columns.append(None)
            errors.append(RowError(1, shown, shown, "A column has no name. Remove it or name it."))
        elif name not in COLUMNS:
            columns.append(None)
            errors.append(
                RowError(1, shown, shown, f"Unknown column “{shown}”. The columns are: {', '.join(COLUMNS)}.")
            )
        elif name in seen:
            columns.append(None)
            errors.append(RowError(1, name, shown, f"The column {name} appears more than once."))
        else:
            seen.add(name)
            columns.append(name)
    for required in REQUIRED_COLUMNS:
        if required not in seen:
            errors.append(RowError(1, required, "", f"The required column {required} is missing from the header."))
    return columns, errors


def _strip_trailing_empty_header(raw_header: list) -> list:
    """Spreadsheets often carry empty columns past the last named one."""
    header = list(raw_header)
    while header and (header[-1] is None or str(header[-1]).strip() == ""):
        header.pop()
    return header


def sniff_kind(data: bytes, filename: str) -> str:
    """'csv' or 'xlsx', decided by content; raises FileRejected for anything else."""
    name = (filename or "").lower()
    if not data.removeprefix(b"\xef\xbb\xbf").strip():
        raise FileRejected("The file is empty.")
    if len(data) > MAX_FILE_BYTES:
        raise FileRejected(f"The file is {_megabytes(len(data))}; the limit is {_megabytes(MAX_FILE_BYTES)}. Split it.")
    if not name.endswith(ACCEPTED_EXTENSIONS):
        raise FileRejected(
            "Wrong file type: upload a CSV (.csv) or Excel workbook (.xlsx).", value=filename.rsplit("/", 1)[-1]
        )
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            raise FileRejected("The file looks like a ZIP archive but is damaged; it cannot be read.")
        if "xl/workbook.xml" not in names:
            raise FileRejected("Wrong file type: this is a ZIP archive, not an Excel workbook (.xlsx).")
        return "xlsx"
    if name.endswith(".xlsx"):
        raise FileRejected("Wrong file type: the file is named .xlsx but is not an Excel workbook.")
    if data.startswith(b"%PDF"):
        raise FileRejected("Wrong file type: this is a PDF document, not a CSV file.")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRejected("Wrong file type: this is an old Excel 97–2003 (.xls) file. Save it as .xlsx or CSV.")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileRejected("The file is UTF-16 text. Save it as CSV UTF-8 (or Windows-1252).")
    if b"\x00" in data[:65536]:
        raise FileRejected("Wrong file type: the file is binary, not CSV text.")
    return "csv"


def decode_text(data: bytes) -> tuple[str, str]:
    """UTF-8 (a BOM is dropped) first; Windows-1252 if that fails."""
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError as exc:
        raise FileRejected(f"The file is neither UTF-8 nor Windows-1252 text (byte {exc.start}). Save it as CSV UTF-8.")


def detect_delimiter(header_line: str) -> str:
    """The most frequent of comma, semicolon and tab in the header line (outside quotes)."""
    unquoted = re.sub(r'"[^"]*"', "", header_line)
    counts = {d: unquoted.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def read_csv(data: bytes) -> Table:
    text, encoding = decode_text(data)
    if not text.strip():
        raise FileRejected("The file is empty.")
    first_line = text.split("\n", 1)[0]
    delimiter = detect_delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    try:
        raw_header = next(reader)
    except (StopIteration, csv.Error) as exc:
        raise FileRejected(f"The header line cannot be read: {exc}.")
    columns, header_errors = _check_header(_strip_trailing_empty_header(raw_header))

    def rows() -> Iterator[tuple[int, list]]:
        number = 1
        try:
            for record in reader:
                number += 1
                yield number, record
        except csv.Error as exc:
            raise FileRejected(f"Row {number + 1} cannot be read as CSV: {exc}.")

    return Table(
        kind="csv",
        columns=columns,
        rows=rows(),
        estimated_rows=max(text.count("\n") - 1, 1),
        header_errors=header_errors,
        encoding=encoding,
        delimiter=DELIMITERS[delimiter],
    )


def _cell(value: object) -> object:
    """XLSX cell -> str, or int/float kept for numbers (prices are rounded by the validator)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float, str)):
        return value
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def read_xlsx(data: bytes) -> Table:
    import openpyxl

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise FileRejected("The workbook is damaged; it cannot be read.")
    if expanded > MAX_XLSX_EXPANDED_BYTES:  # checked before anything is decompressed
        raise FileRejected(
            f"The workbook expands to {_megabytes(expanded)} when unzipped; the limit is "
            f"{_megabytes(MAX_XLSX_EXPANDED_BYTES)}. Save it as CSV or split it."
        )
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
        iterator = sheet.iter_rows(values_only=True)
        raw_header = next(iterator, None)
    except Exception as exc:  # openpyxl raises many kinds for damaged files
        raise FileRejected(f"The workbook cannot be read: {exc.__class__.__name__}.")
    if raw_header is None or all(v is None or str(v).strip() == "" for v in raw_header):
        raise FileRejected("The file is empty: the first sheet has no header row.")
    header = _strip_trailing_empty_header(list(raw_header))
    columns, header_errors = _check_header(header)
    estimated = max((sheet.max_row or 2) - 1, 1)

    def rows() -> Iterator[tuple[int, list]]:
        number = 1
        try:
            for record in iterator:
                number += 1
                yield number, [_cell(v) for v in record]
        except Exception as exc:
            raise FileRejected(f"Row {number + 1} of the workbook cannot be read: {exc.__class__.__name__}.")
        finally:
            workbook.close()

    return Table(kind="xlsx", columns=columns, rows=rows(), estimated_rows=estimated, header_errors=header_errors)


def open_table(data: bytes, filename: str) -> Table:
    """Parse a catalog file (bytes and its original name). Raises FileRejected."""
    kind = sniff_kind(data, filename)
    return read_xlsx(data) if kind == "xlsx" else read_csv(data)
