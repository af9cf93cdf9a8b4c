"""Every kind of row error is reported with row, column, value and reason — all of them, not just the first."""

import pytest

from contracts.models import CatalogImport, ImportStatus
from tests.catalog_imports.conftest import HEADER, catalog_state, csv_bytes, make_item, row, xlsx_bytes

pytestmark = pytest.mark.django_db

CASES = [
    ("unknown category", {"category": "Spaceships"}, "category", "Unknown category"),
    ("price not a number", {"list_price": "twenty"}, "list_price", "is not a number"),
    ("european decimal comma", {"contract_price": "14,5"}, "contract_price", "is not a number"),
    ("negative price", {"contract_price": "-3.00"}, "contract_price", "is negative"),
    ("zero price", {"contract_price": "0"}, "contract_price", "more than zero"),
    ("too many decimals", {"contract_price": "13.999"}, "contract_price", "two decimal places"),
    ("above min discount", {"contract_price": "14.01"}, "contract_price", "at least 30% off"),
    ("missing sku", {"sku": ""}, "sku", "required"),
    ("missing name", {"name": "  "}, "name", "required"),
    ("missing price", {"list_price": ""}, "list_price", "required"),
    ("formula in name", {"name": '=HYPERLINK("http://evil","x")'}, "name", "Formulas are not allowed"),
    ("formula with plus", {"description": "+cmd|' /C calc'!A0"}, "description", "Formulas are not allowed"),
    ("formula with at", {"manufacturer": "@SUM(1+1)"}, "manufacturer", "Formulas are not allowed"),
    ("formula after tab", {"mpn": "\t=1+2"}, "mpn", "Formulas are not allowed"),
    ("formula in attributes", {"attributes": "=cmd|x"}, "attributes", "Formulas are not allowed"),
    ("bad status", {"status": "retired"}, "status", "active or discontinued"),
    ("bad pack size", {"pack_size": "half"}, "pack_size", "whole number"),
    ("zero pack size", {"pack_size": "0"}, "pack_size", "from 1"),
    ("bad lead time", {"lead_time_days": "-2"}, "lead_time_days", "whole number"),
    ("bad image url", {"image_url": "javascript:alert(1)"}, "image_url", "Not a web address"),
    ("malformed attributes", {"attributes": "voltage 12; size=AA"}, "attributes", "key=value"),
    ("duplicate attribute", {"attributes": "a=1; a=2"}, "attributes", "given twice"),
    ("name too long", {"name": "x" * 301}, "name", "Too long"),
    ("sku too long", {"sku": "S" * 65}, "sku", "Too long"),
    ("bad unspsc", {"unspsc": "12AB"}, "unspsc", "8 digits"),
]


@pytest.mark.parametrize(("label", "fields", "column", "reason"), CASES, ids=[c[0] for c in CASES])
def test_reports_each_kind_of_error(run, contract, label, fields, column, reason):
    make_item(contract, "KEEP-1")
    before = catalog_state(contract)

    imp = run([row("OK-1"), row(**{"sku": "BAD-1", **fields})])

    assert imp.status == ImportStatus.REJECTED
    assert imp.error_count >= 1
    error = next(e for e in imp.errors if e["column"] == column)
    assert error["row"] == 3
    assert reason in error["reason"], error
    assert catalog_state(contract) == before  # nothing applied, not even the good row


@pytest.mark.parametrize(
    "text",
    ["-20°C rated; +5V rail", "- Rechargeable battery (NiMH), model AB12", "- Great value!", "+1 (555) 123-4567"],
)
def test_plain_text_starting_with_a_sign_is_not_a_formula(run, text):
    imp = run([row(description=text)])
    assert imp.status == ImportStatus.APPLIED, imp.errors


def test_reports_every_error_in_one_pass(run):
    rows = [row("A"), row("A"), row("B", category="Nope", list_price="x"), row("C", status="gone")]
    imp = run(rows)
    assert imp.status == ImportStatus.REJECTED
    found = {(e["row"], e["column"]) for e in imp.errors}
    assert found == {(3, "sku"), (4, "category"), (4, "list_price"), (5, "status")}
    duplicate = next(e for e in imp.errors if e["column"] == "sku")
    assert "more than once" in duplicate["reason"] and "row 2" in duplicate["reason"]


def test_unknown_and_missing_columns(run):
    header = ["sku", "name", "colour", "list_price"]
    imp = run(csv_bytes([["A", "Cell", "red", "2"]], header=header))
    reasons = {(e["row"], e["column"]): e["reason"] for e in imp.errors}
    assert "Unknown column" in reasons[(1, "colour")]
    assert "missing" in reasons[(1, "category")]
    assert "missing" in reasons[(1, "contract_price")]


def test_header_only_file_is_refused(run):
    imp = run(csv_bytes([]))
    assert imp.status == ImportStatus.REJECTED
    assert "no rows" in imp.errors[0]["reason"]


def test_wrong_file_type_by_content(run):
    imp = run(b"%PDF-1.4 not a catalog", name="catalog.csv")
    assert imp.status == ImportStatus.REJECTED
    assert imp.errors == [{"row": 0, "column": "", "value": "", "reason": imp.errors[0]["reason"]}]
    assert "PDF" in imp.errors[0]["reason"]


def test_fixed_price_contract_allows_up_to_list(run, contract):
    contract.pricing_basis, contract.min_discount_percent = "fixed", None
    contract.save()
    assert run([row(list_price="10.00", contract_price="10.00")]).status == ImportStatus.APPLIED
    imp = run([row("B", list_price="10.00", contract_price="10.01")])
    assert "above the list price" in imp.errors[0]["reason"]


def test_min_discount_limit_rounds_half_up(run, contract):
    # 30% off 10.05 = 7.035 -> 7.04 (half-up): 7.04 is allowed, 7.05 is not
    assert run([row("R1", list_price="10.05", contract_price="7.04")]).status == ImportStatus.APPLIED
    assert run([row("R2", list_price="10.05", contract_price="7.05")]).status == ImportStatus.REJECTED


def test_xlsx_errors_are_reported_too(run):
    imp = run(xlsx_bytes([row("X1"), row("X2", contract_price="=A1*2")]), name="catalog.xlsx")
    assert imp.status == ImportStatus.REJECTED
    assert imp.errors[0]["row"] == 3 and imp.errors[0]["column"] == "contract_price"


def test_error_report_lists_every_error_and_neutralises_formulas(run, client, world):
    rows = [row(f"S{n}", category="Nope") for n in range(1200)] + [row("F", name="=1+1")]
    imp = run(rows)
    assert imp.error_count == 1201 and len(imp.errors) == 1000
    client.force_login(world.catalog_manager)
    response = client.get(f"/suppliers/{world.supplier.slug}/catalog/imports/{imp.public_id}/errors.csv")
    text = response.content.decode("utf-8-sig")
    assert text.count("\n") == 1202  # header + every error
    assert "'=1+1" in text and "\n1202,name,=1+1" not in text
    assert CatalogImport.objects.get(pk=imp.pk).error_count == 1201


def test_all_template_columns_are_known():
    assert HEADER[0] == "sku" and len(HEADER) == 15
