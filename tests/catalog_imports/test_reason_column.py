"""The optional `reason` column: why a price goes up. Stored on the PriceChange the row creates, shown to co-op
staff in the queue, their notification and the API; an over-long or formula reason is a row error."""

from __future__ import annotations

from decimal import Decimal

import pytest

from contracts.models import CatalogItem, ImportStatus, PriceChange
from marketplace.core.models import Notification
from tests.catalog_imports.conftest import HEADER, catalog_state, csv_bytes, make_item, row, xlsx_bytes

pytestmark = pytest.mark.django_db

WITH_REASON = [*HEADER, "reason"]


def test_an_increase_carries_its_reason_to_the_coop(client, world, contract, run):
    make_item(contract, "UP-1", price="12.00", list_price="20.00")
    make_item(contract, "DOWN-1", price="12.00", list_price="20.00")

    imp = run(
        csv_bytes(
            [
                row("UP-1", list_price="20.00", contract_price="13.00", reason="Zinc up 12% since the bid"),
                row("DOWN-1", list_price="20.00", contract_price="11.00", reason="Clearance"),
            ],
            header=WITH_REASON,
        )
    )

    assert imp.status == ImportStatus.APPLIED and imp.counts["pending_created"] == 1
    pending = PriceChange.objects.get(item__sku="UP-1", status="pending")
    assert pending.request_reason == "Zinc up 12% since the bid"
    assert (
        PriceChange.objects.get(item__sku="DOWN-1", status="applied", old_price__isnull=False).request_reason
        == "Clearance"
    )
    assert CatalogItem.objects.get(sku="UP-1").contract_price == Decimal("12.00")  # waits for the co-op

    note = Notification.objects.get(user=world.coop_staff, title__contains="price increase to review")
    assert "UP-1: $12.00 → $13.00 (reason: Zinc up 12% since the bid)" in note.body

    client.force_login(world.coop_staff)
    page = client.get(f"/coops/{world.coop.slug}/price-changes/").content.decode()
    assert ">Zinc up 12% since the bid</td>" in page
    api = client.get(f"/api/v1/coops/{world.coop.slug}/price-changes/").json()
    assert [(c["item"]["sku"], c["request_reason"]) for c in api["results"]] == [("UP-1", "Zinc up 12% since the bid")]


def test_the_preview_shows_the_reason(client, world, contract):
    from contracts.catalog.services.imports import catalog_import_create, catalog_import_validate
    from tests.catalog_imports.conftest import upload

    make_item(contract, "UP-1", price="12.00", list_price="20.00")
    data = csv_bytes([row("UP-1", contract_price="13.00", reason="Freight")], header=WITH_REASON)
    imp = catalog_import_create(contract=contract, actor=world.catalog_manager, file=upload(data), run_async=False)
    catalog_import_validate(import_id=imp.pk)
    imp.refresh_from_db()
    assert imp.preview["samples"]["increases"][0]["reason"] == "Freight"
    client.force_login(world.catalog_manager)
    page = client.get(f"/suppliers/{world.supplier.slug}/catalog/imports/{imp.public_id}/").content.decode()
    assert '<span class="usa-hint">Reason: Freight</span>' in page


@pytest.mark.parametrize("header", ["Price change reason", "REASON", "price-change-reason"])
def test_the_header_may_be_written_in_words(contract, run, header):
    make_item(contract, "UP-1", price="12.00", list_price="20.00")
    imp = run(csv_bytes([[*row("UP-1", contract_price="13.00").values(), "Resin costs"]], header=[*HEADER, header]))
    assert imp.status == ImportStatus.APPLIED
    assert PriceChange.objects.get(status="pending").request_reason == "Resin costs"


def test_an_xlsx_reason_works_too(contract, run):
    make_item(contract, "UP-1", price="12.00", list_price="20.00")
    data = xlsx_bytes([row("UP-1", contract_price="13.00", reason="Tariff")], header=WITH_REASON)
    imp = run(data, name="catalog.xlsx")
    assert imp.status == ImportStatus.APPLIED
    assert PriceChange.objects.get(status="pending").request_reason == "Tariff"


def test_an_over_long_reason_is_a_row_error_and_nothing_changes(contract, run):
    make_item(contract, "UP-1", price="12.00", list_price="20.00")
    before = catalog_state(contract)

    imp = run(csv_bytes([row("UP-1", contract_price="13.00", reason="x" * 2001)], header=WITH_REASON))

    assert imp.status == ImportStatus.REJECTED
    assert imp.errors == [
        {
            "row": 2,
            "column": "reason",
            "value": "x" * 200 + "…",
            "reason": "The reason is too long: 2,001 characters; the most is 2,000.",
        }
    ]
    assert catalog_state(contract) == before


def test_a_formula_reason_is_refused(contract, run):
    make_item(contract, "UP-1", price="12.00", list_price="20.00")
    before = catalog_state(contract)
    imp = run(csv_bytes([row("UP-1", contract_price="13.00", reason='=HYPERLINK("x")')], header=WITH_REASON))
    assert imp.status == ImportStatus.REJECTED and imp.errors[0]["column"] == "reason"
    assert "Formulas are not allowed" in imp.errors[0]["reason"]
    assert catalog_state(contract) == before


def test_a_quote_before_a_formula_does_not_smuggle_it_in(contract, run):
    imp = run([row("Q-1", name="'=SUM(A1:A9)")])
    assert imp.status == ImportStatus.REJECTED and imp.errors[0]["column"] == "name"
    assert not CatalogItem.objects.filter(contract=contract).exists()


def test_a_reason_on_an_unchanged_price_is_ignored(contract, run):
    make_item(contract, "SAME-1", price="14.00", list_price="20.00")
    before = catalog_state(contract)
    imp = run(csv_bytes([row("SAME-1", reason="No reason needed")], header=WITH_REASON))
    assert imp.status == ImportStatus.APPLIED
    assert catalog_state(contract)[1] == before[1]  # no price change recorded


def test_a_single_request_tells_the_coop_its_reason(world, contract):
    from contracts.catalog.services.pricing import catalog_item_price_request

    item = make_item(contract, "ONE-1", price="12.00", list_price="20.00")
    catalog_item_price_request(
        item=item, actor=world.catalog_manager, contract_price=Decimal("13.00"), reason="Supplier cost letter"
    )
    note = Notification.objects.get(user=world.coop_staff, title__startswith="Price increase to approve")
    assert note.body.endswith("$12.00 → $13.00. Reason: Supplier cost letter")
