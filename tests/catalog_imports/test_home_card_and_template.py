"""The supplier home leads with the catalog (items, last import, pending increases) for catalog managers; the XLSX
template explains every column on an Instructions sheet, and the upload page has the same guide."""

from __future__ import annotations

import io

import openpyxl
import pytest

from contracts.catalog.imports.parsing import COLUMNS, REQUIRED_COLUMNS
from contracts.catalog.services.pricing import catalog_item_price_request
from contracts.models import ImportStatus
from tests.catalog_imports.conftest import make_item, row

pytestmark = pytest.mark.django_db


def test_the_catalog_card_leads_the_supplier_home(client, world, contract, run):
    from decimal import Decimal

    make_item(contract, "OLD-1", status="discontinued")
    item = make_item(contract, "UP-1", price="12.00", list_price="20.00")
    catalog_item_price_request(item=item, actor=world.catalog_manager, contract_price=Decimal("13.00"))
    assert run([row("A-1"), row("A-2")], name="spring-update.csv").status == ImportStatus.APPLIED
    client.force_login(world.catalog_manager)

    body = client.get(f"/suppliers/{world.supplier.slug}/").content.decode()

    card = body[body.index('aria-labelledby="catalog-card-heading"') : body.index("</section>")]
    assert body.index("catalog-card-heading") < body.index("Your cooperative contracts")
    assert 'id="catalog-items">3<' in card  # UP-1, A-1, A-2 (the discontinued item is not counted)
    assert "spring-update.csv" in card and "Applied" in card and contract.number in card
    assert 'id="catalog-pending">1<' in card
    assert 'class="usa-button usa-button--big" href="/suppliers/alpha-cells/catalog/">Open your catalog</a>' in card
    assert f"/catalog/contracts/{contract.slug}/export.csv" in card  # one contract: its download is right here


def test_the_order_desk_sees_no_catalog_card(client, world, make_member, contract):
    desk = make_member(world.supplier, "order_desk")
    client.force_login(desk)
    body = client.get(f"/suppliers/{world.supplier.slug}/").content.decode()
    assert "catalog-card-heading" not in body and "Open your catalog" not in body


def test_the_xlsx_template_has_instructions_for_every_column(client, world):
    client.force_login(world.catalog_manager)
    data = client.get(f"/suppliers/{world.supplier.slug}/catalog/template.xlsx").content
    workbook = openpyxl.load_workbook(io.BytesIO(data))

    assert workbook.sheetnames == ["Catalog", "Instructions"]  # the import reads the first sheet only
    rows = [tuple(c.value for c in r) for r in workbook["Instructions"].iter_rows()]
    guide = {r[0]: r for r in rows if r[0] in COLUMNS}
    assert set(guide) == set(COLUMNS)
    for column in COLUMNS:
        assert guide[column][1] == ("Required" if column in REQUIRED_COLUMNS else "Optional")
        assert guide[column][2]  # its format
    assert "price change reason" in guide["reason"][2] and guide["reason"][3]
    texts = " ".join(str(v) for r in rows for v in r if v)
    assert "Add and update (upsert)" in texts and "discontinues (never deletes)" in texts


def test_the_upload_page_has_the_column_guide(client, world, contract):
    client.force_login(world.catalog_manager)
    body = client.get(f"/suppliers/{world.supplier.slug}/catalog/imports/new/").content.decode()
    assert "Columns and formats" in body
    assert "<code>reason</code> <span" in body and "Why a price goes up" in body
