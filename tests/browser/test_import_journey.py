"""Journey: a supplier's catalog manager opens the catalog from the home page's catalog card, sends a file without
a contract (the form keeps the file), uploads a catalog with errors, sees every error, fixes the file, uploads it
again, reviews the preview and confirms; a real Celery worker validates and applies it. Then they download the
current catalog and upload it again: nothing changes."""

from __future__ import annotations

import csv

from playwright.sync_api import expect

from contracts.models import CatalogItem, ImportStatus
from tests.factories import ContractFactory

HEADER = ["sku", "name", "category", "manufacturer", "list_price", "contract_price", "attributes"]
AA = ["AA-24", "AA alkaline battery, 24-pack", "Alkaline & lithium cells", "Duracell", "$29.99", "$20.99", "size=AA"]


def _file(tmp_path, name, rows):
    path = tmp_path / name
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def test_upload_fix_preview_apply(ui, world, password, tmp_path, worker):
    contract = ContractFactory(cooperative=world.coop, supplier=world.supplier, number="CM-2026-100")
    page = ui.page
    bad = _file(
        tmp_path,
        "catalog.csv",
        [
            AA,
            ["LED-9", "9W A19 LED lamp", "Moon lamps", "Cree", "6.00", "5.50", "watts 9"],
        ],
    )
    good = _file(
        tmp_path,
        "catalog-fixed.csv",
        [
            AA,
            ["LED-9", "9W A19 LED lamp", "LED lamps", "Cree", "6.00", "4.20", "watts=9"],
        ],
    )

    ui.sign_in(world.catalog_manager.email, password)
    card = page.get_by_role("region", name="Your catalog")
    expect(card).to_contain_text("None yet")
    ui.shot("supplier-home")
    card.get_by_role("link", name="Open your catalog").click()
    page.wait_for_load_state()
    ui.shot("catalog-home")
    ui.assert_accessible("catalog-home")
    page.get_by_role("link", name="Upload a catalog file").click()
    page.wait_for_load_state()
    expect(page.get_by_label("Contract")).to_have_value(contract.number)  # the only contract: preselected
    ui.assert_accessible("upload-form")

    # 0. no contract chosen: the form is refused, and it keeps the chosen file
    page.get_by_label("Contract").select_option("")
    page.get_by_label("Catalog file").set_input_files(str(bad))
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_load_state()
    expect(page.locator(".usa-error-message")).to_contain_text("This field is required.")
    expect(page.locator("#kept-file")).to_contain_text("Keeps: catalog.csv")
    expect(page.locator("#kept-file")).to_contain_text("choose another file to replace it")
    ui.shot("upload-form-kept-file")
    ui.assert_accessible("upload-form-kept-file")
    assert not contract.imports.exists()
    assert ui.console_errors == ["Failed to load resource: the server responded with a status of 400 (Bad Request)"]
    ui.console_errors.clear()  # that 400 was the refusal we asked for; nothing else may fail from here on

    # 1. the kept file with errors (not chosen again): every problem is listed, nothing changes
    page.get_by_label("Contract").select_option(contract.number)
    page.get_by_role("button", name="Upload and check").click()
    expect(page.locator("#import-status")).to_have_text("Rejected", timeout=20_000)
    ui.shot("rejected")
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("3 problems found — nothing was changed")
    table = page.get_by_role("table", name="Problems")
    expect(table).to_contain_text("Unknown category")
    expect(table).to_contain_text("at least 30% off the list price")
    expect(table).to_contain_text("key=value")
    ui.assert_accessible("rejected-import")
    assert not CatalogItem.objects.filter(contract=contract).exists()

    # 2. the fixed file: a preview of the changes, nothing applied yet
    page.get_by_role("link", name="Upload a corrected file").click()
    page.wait_for_load_state()
    expect(page.get_by_label("Contract")).to_have_value(contract.number)
    page.get_by_label("Catalog file").set_input_files(str(good))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.locator("#import-status")).to_have_text("Ready to review", timeout=20_000)
    expect(page.locator("#count-added")).to_have_text("2")
    ui.shot("preview")
    ui.assert_accessible("preview")
    assert not CatalogItem.objects.filter(contract=contract).exists()

    # 3. confirm: the worker applies it and the page follows along
    page.get_by_role("button", name="Confirm and apply").click()
    expect(page.locator("#import-status")).to_have_text("Applied", timeout=20_000)
    ui.shot("applied")
    items = dict(CatalogItem.objects.filter(contract=contract).values_list("sku", "contract_price"))
    assert {k: str(v) for k, v in items.items()} == {"AA-24": "20.99", "LED-9": "4.20"}
    assert contract.imports.filter(status=ImportStatus.APPLIED).count() == 1

    page.get_by_role("link", name="Catalog", exact=True).click()
    page.wait_for_load_state()
    expect(page.get_by_role("table", name="Catalog imports, newest first")).to_contain_text("catalog-fixed.csv")
    ui.shot("history")

    # 4. download the current catalog (CSV and Excel); the CSV uploads again with no change
    with page.expect_download() as download:
        page.get_by_role("link", name=f"Excel for {contract.number}").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    with page.expect_download() as download:
        page.get_by_role("link", name=f"CSV for {contract.number}").click()
    exported = tmp_path / download.value.suggested_filename
    download.value.save_as(exported)
    text = exported.read_text(encoding="utf-8-sig")
    assert text.startswith("sku,name,description,category,") and "AA-24" in text and "LED-9" in text
    page.get_by_role("link", name=f"Upload for {contract.number}").click()
    page.wait_for_load_state()
    page.get_by_label("Catalog file").set_input_files(str(exported))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.locator("#import-status")).to_have_text("Ready to review", timeout=20_000)
    expect(page.locator("#count-added")).to_have_text("0")
    expect(page.locator("#count-changed")).to_have_text("0")
    assert not ui.console_errors, ui.console_errors


def test_coop_staff_decide_price_increases(ui, world, password):
    from decimal import Decimal

    from contracts.models import Category, PriceChange

    contract = ContractFactory(cooperative=world.coop, supplier=world.supplier, number="CM-2026-200")
    category = Category.objects.get(slug="led-lamps")
    changes = []
    for sku in ("LED-A", "LED-B"):
        item = CatalogItem.objects.create(
            contract=contract,
            sku=sku,
            name=f"{sku} lamp",
            category=category,
            category_path=category.path,
            list_price="20.00",
            contract_price="12.00",
        )
        changes.append(
            PriceChange.objects.create(
                item=item,
                old_price="12.00",
                new_price="13.00",
                old_list_price="20.00",
                new_list_price="20.00",
                status="pending",
                requested_by=world.catalog_manager,
                request_reason=f"{sku}: zinc up 12% since the bid",
            )
        )
    page = ui.page
    ui.sign_in(world.coop_staff.email, password)
    ui.goto(f"/coops/{world.coop.slug}/price-changes/", "pending")
    ui.assert_accessible("price-changes")
    table = page.get_by_role("table", name="Price changes")
    expect(table).to_contain_text("+8.3%")
    expect(table).to_contain_text("40.0%")  # 12.00 off a 20.00 list, now 13.00: 35.0%, "was 40.0%"
    expect(table).to_contain_text("35.0% off list")
    expect(table).to_contain_text("LED-A: zinc up 12% since the bid")
    # short visible words ("Approve", "Reject") on one line; the SKU is in their accessible names
    approve = page.get_by_role("button", name="Approve LED-A")
    expect(approve).to_have_text("Approve LED-A")
    assert approve.bounding_box()["height"] < 56
    expect(approve).to_be_in_viewport()  # not hidden past the right edge of the table's scroll region
    box, region = approve.bounding_box(), page.get_by_role("region", name="Price changes").bounding_box()
    assert box["x"] + box["width"] <= region["x"] + region["width"]

    page.get_by_role("button", name="Reject LED-A").click()  # no reason: the browser's own check stops it
    page.get_by_label("Reason for rejecting LED-A").fill("Not supported by the pricing exhibit.")
    page.get_by_role("button", name="Reject LED-A").click()
    page.wait_for_load_state()
    expect(page.locator(".usa-alert--success")).to_contain_text("Rejected the increase for LED-A")
    page.get_by_role("button", name="Approve LED-B").click()
    page.wait_for_load_state()
    ui.shot("decided")
    expect(page.locator(".usa-alert--success")).to_contain_text("Approved: LED-B is now $13.00")
    assert CatalogItem.objects.get(sku="LED-B").contract_price == Decimal("13.00")
    assert CatalogItem.objects.get(sku="LED-A").contract_price == Decimal("12.00")
    assert PriceChange.objects.get(pk=changes[0].pk).reason == "Not supported by the pricing exhibit."
    assert not ui.console_errors, ui.console_errors
