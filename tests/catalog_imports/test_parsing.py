"""Reading files: encodings, BOM, delimiters, header spelling, XLSX; wrong kinds refused by content."""

import io
import zipfile

import pytest

from contracts.catalog.imports.parsing import FileRejected, open_table
from tests.catalog_imports.conftest import HEADER, csv_bytes, row, xlsx_bytes


def _rows(table):
    return [(n, r) for n, r in table.rows]


@pytest.mark.parametrize(
    ("encoding", "bom", "expected"),
    [("utf-8", False, "utf-8"), ("utf-8", True, "utf-8"), ("cp1252", False, "windows-1252")],
)
def test_reads_each_encoding(encoding, bom, expected):
    data = csv_bytes([row(name="Lampe für Außen™ — 5000 lümen")], encoding=encoding, bom=bom)
    table = open_table(data, "catalog.csv")
    assert table.encoding == expected
    assert table.columns[0] == "sku"  # the BOM is not part of the first column's name
    [(number, values)] = _rows(table)
    assert number == 2 and values[1] == "Lampe für Außen™ — 5000 lümen"


@pytest.mark.parametrize(("delimiter", "name"), [(",", "comma"), (";", "semicolon"), ("\t", "tab")])
def test_detects_the_delimiter_from_the_header(delimiter, name):
    data = csv_bytes([row(description="one, two; three")], delimiter=delimiter)
    table = open_table(data, "catalog.csv")
    assert table.delimiter == name
    [(_, values)] = _rows(table)
    assert values[2] == "one, two; three"
    assert not table.header_errors


def test_header_names_ignore_case_and_spaces():
    header = [" SKU ", "Name", "Category", "List Price", "contract-price"]
    table = open_table(csv_bytes([["A1", "Cell", "Coin & button cells", "2", "1"]], header=header), "c.csv")
    assert table.columns == ["sku", "name", "category", "list_price", "contract_price"]
    assert not table.header_errors


def test_reads_xlsx_values():
    data = xlsx_bytes([row(list_price=20, contract_price=13.99, pack_size=24)])
    table = open_table(data, "catalog.xlsx")
    assert table.kind == "xlsx"
    [(number, values)] = _rows(table)
    assert number == 2
    assert values[HEADER.index("contract_price")] == 13.99
    assert values[HEADER.index("sku")] == "AA-1"


def test_xlsx_is_recognised_by_content_even_if_named_csv():
    assert open_table(xlsx_bytes([row()]), "catalog.csv").kind == "xlsx"


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "c.csv", "empty"),
        (b"\xef\xbb\xbf  \r\n", "c.csv", "empty"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "catalog.csv", "PDF"),
        (b"\x00\x01\x02binary\x00", "catalog.csv", "binary"),
        (b"sku,name\n", "catalog.pdf", "Wrong file type"),
        (b"sku,name\n", "catalog.xlsx", "not an Excel workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "catalog.csv", ".xls"),
        (b"sku,name\n\x81\x8d\x8f\x90\x9d", "catalog.csv", "neither UTF-8 nor Windows-1252"),
    ],
)
def test_refuses_files_that_are_not_catalogs(data, name, message):
    with pytest.raises(FileRejected) as raised:
        open_table(data, name)
    assert message in raised.value.error.reason


def test_refuses_a_zip_that_is_not_a_workbook():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(FileRejected, match="ZIP archive"):
        open_table(out.getvalue(), "catalog.xlsx")
