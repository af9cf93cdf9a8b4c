"""The "Download current catalog" of a contract's items in the import format (CSV streamed, XLSX), formula-neutralised,
and re-importable: export → import in upsert mode → nothing changes."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.http import StreamingHttpResponse

from contracts.catalog.imports.export import EXPORT_COLUMNS, catalog_export_rows
from contracts.catalog.imports.parsing import COLUMNS
from contracts.catalog.services.pricing import catalog_item_price_request
from contracts.models import CatalogItem, ImportStatus, PriceChange
from tests.catalog_imports.conftest import catalog_state, make_item, row
from tests.factories import ContractFactory

pytestmark = pytest.mark.django_db


def _url(world, contract, fmt="csv"):
    return f"/suppliers/{world.supplier.slug}/catalog/contracts/{contract.slug}/export.{fmt}"


def _download(client, world, contract, fmt="csv") -> bytes:
    response = client.get(_url(world, contract, fmt))
    assert response.status_code == 200
    assert f"{contract.slug}-catalog-" in response["Content-Disposition"]
    return b"".join(response.streaming_content)


@pytest.fixture
def catalog(run, contract):
    """A catalog as an import leaves it: awkward text, a discontinued item, empty optional columns."""
    imp = run(
        [
            row("AA-1", description="Line one\nline two, with a comma and “quotes”"),
            row("BB-2", name="-20°C rated lantern", attributes="lumens=300; note=+5 spare"),
            row("CC-3", lead_time_days="", pack_size="", unit="", image_url="", attributes="", status="discontinued"),
            row("DD-4", name="Lampe à pile — édition été", list_price="$1,234.50", contract_price="864.15"),
        ]
    )
    assert imp.status == ImportStatus.APPLIED, imp.errors
    return contract


def test_csv_export_is_the_import_format(client, world, catalog):
    client.force_login(world.catalog_manager)
    response = client.get(_url(world, catalog))
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))

    assert tuple(rows[0]) == EXPORT_COLUMNS and set(EXPORT_COLUMNS) <= set(COLUMNS)
    assert [r["sku"] for r in rows] == ["AA-1", "BB-2", "CC-3", "DD-4"]
    assert rows[0]["description"] == "Line one\nline two, with a comma and “quotes”"
    assert rows[0]["category"] == "Batteries > Alkaline & lithium cells"
    assert set(rows[0]["attributes"].split("; ")) == {"chemistry=alkaline", "voltage=1.5 V"}
    assert (rows[3]["list_price"], rows[3]["contract_price"]) == ("1234.50", "864.15")
    assert rows[2]["status"] == "discontinued" and rows[2]["lead_time_days"] == "" and rows[2]["unit"] == "EA"
    # a cell a spreadsheet could run is written with a leading quote (the member directory's rule)
    assert rows[1]["name"] == "'-20°C rated lantern"


def test_csv_round_trip_changes_nothing(client, world, catalog, run):
    client.force_login(world.catalog_manager)
    before = catalog_state(catalog)
    data = _download(client, world, catalog)

    imp = run(data, mode="upsert", name="current.csv")

    assert imp.status == ImportStatus.APPLIED, imp.errors
    assert imp.counts["unchanged"] == 4
    assert imp.counts["added"] == imp.counts["changed"] == imp.counts["increases"] == imp.counts["decreases"] == 0
    assert catalog_state(catalog) == before  # not even updated_at moved; no new price history


def test_xlsx_round_trip_changes_nothing(client, world, catalog, run):
    client.force_login(world.catalog_manager)
    before = catalog_state(catalog)
    data = _download(client, world, catalog, "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    assert sheet.title == "Catalog"
    assert [c.value for c in sheet[1]] == list(EXPORT_COLUMNS)
    assert sheet["B3"].value == "-20°C rated lantern" and sheet["B3"].data_type == "s"

    imp = run(data, mode="upsert", name="current.xlsx")

    assert imp.status == ImportStatus.APPLIED, imp.errors
    assert imp.counts["unchanged"] == 4 and imp.counts["changed"] == 0
    assert catalog_state(catalog) == before


def test_formulas_are_neutralised(client, world, contract):
    # an item that did not come through an import (say, the admin): its text is still never run as a formula
    make_item(contract, "F-1", name='=HYPERLINK("http://evil.test","Click")')
    client.force_login(world.catalog_manager)

    text = _download(client, world, contract).decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    cells = [c for r in csv.reader(io.StringIO(text)) for c in r]
    assert not any(cell[:1] in ("=", "+", "@") for cell in cells)

    data = _download(client, world, contract, "xlsx")
    cell = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]["B2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")  # text, not a formula


def test_a_pending_increase_is_exported_as_requested_and_kept_on_reimport(client, world, contract, run):
    item = make_item(contract, "UP-1", price="12.00", list_price="20.00")
    pending = catalog_item_price_request(
        item=item,
        actor=world.catalog_manager,
        contract_price=Decimal("13.00"),
        list_price=Decimal("20.00"),
        reason="Cell costs up 8%",
    )
    client.force_login(world.catalog_manager)
    rows = list(csv.DictReader(io.StringIO(_download(client, world, contract).decode("utf-8-sig"))))
    assert (rows[0]["contract_price"], rows[0]["reason"]) == ("13.00", "Cell costs up 8%")
    before = catalog_state(contract)

    imp = run(_download(client, world, contract), mode="upsert")

    assert imp.status == ImportStatus.APPLIED and imp.counts["unchanged"] == 1 and imp.counts["increases"] == 0
    assert catalog_state(contract) == before
    assert PriceChange.objects.get(pk=pending.pk).status == "pending"  # not superseded, not duplicated
    assert CatalogItem.objects.get(pk=item.pk).contract_price == Decimal("12.00")


def test_rows_come_in_batches_by_sku(contract):
    for n in range(7):
        make_item(contract, f"B-{n:02d}")

    rows = list(catalog_export_rows(contract=contract, batch=3))

    assert [r["sku"] for r in rows] == [f"B-{n:02d}" for n in range(7)]


def test_same_query_count_for_1_and_50_items(client, world, contract, django_assert_num_queries):
    client.force_login(world.catalog_manager)
    make_item(contract, "Q-0")
    response = client.get(_url(world, contract))
    with django_assert_num_queries(2):  # one batch of items, its pending increases
        b"".join(response.streaming_content)
    for n in range(1, 50):
        make_item(contract, f"Q-{n}")
    response = client.get(_url(world, contract))
    with django_assert_num_queries(2):
        assert b"".join(response.streaming_content).count(b"\r\n") == 51


def test_another_suppliers_contract_is_404_and_the_order_desk_403(client, world, make_member, other_contract):
    make_item(other_contract, "SECRET-1")
    client.force_login(world.supplier_admin)
    for fmt in ("csv", "xlsx"):
        response = client.get(_url(world, other_contract, fmt))
        assert response.status_code == 404 and b"SECRET-1" not in response.content
    desk = make_member(world.supplier, "order_desk")
    client.force_login(desk)
    assert client.get(_url(world, ContractFactory(cooperative=world.coop, supplier=world.supplier))).status_code == 403


def test_catalog_page_links_each_contracts_download(client, world, contract):
    client.force_login(world.catalog_manager)
    body = client.get(f"/suppliers/{world.supplier.slug}/catalog/").content.decode()
    assert f'href="{_url(world, contract)}"' in body and f'href="{_url(world, contract, "xlsx")}"' in body
