"""Journey: co-op staff create a contract, upload its signed PDF and publish it; a visitor reads the public page,
downloads the document and the compliance packet built by a real worker."""

from __future__ import annotations

import io

from playwright.sync_api import expect
from pypdf import PdfReader, PdfWriter

from contracts.models import Contract


def _pdf(tmp_path, pages=2):
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=612, height=792)
    path = tmp_path / "signed-agreement.pdf"
    with path.open("wb") as out:
        writer.write(out)
    return path


def test_staff_publish_a_contract_and_the_public_reads_it(ui, world, password, tmp_path, worker):
    page = ui.page
    ui.sign_in(world.coop_staff.email, password)
    page.get_by_role("link", name="New contract").click()
    page.wait_for_load_state()
    ui.shot("new-contract-form")
    ui.assert_accessible("contract-form")

    page.get_by_label("Contract number").fill("CM-2026-777")
    page.get_by_label("Title").fill("Batteries, power and lighting")
    page.get_by_label("Supplier").select_option(label="Alpha Cells")
    page.get_by_label("Lead agency").select_option(label="City of Alpha")
    page.get_by_label("Solicitation number").fill("RFP 25-07")
    page.get_by_label("Solicitation method").fill("RFP")
    page.get_by_label("Solicitation issued on").fill("2025-09-01")
    page.get_by_label("Solicitation closed on").fill("2025-10-15")
    page.get_by_label("Evaluation summary").fill("Six proposals scored on price, range and local fulfilment.")
    page.get_by_label("Award date").fill("2025-12-01")
    page.get_by_label("Term starts").fill("2026-01-01")
    page.get_by_label("Term ends").fill("2029-12-31")
    page.locator("label", has_text="Minimum discount off list").first.click()
    page.get_by_label("Minimum discount off list (%)").fill("25")
    page.get_by_label("Admin fee (%)").fill("2")
    page.get_by_label("States where it may be used").fill("FL, GA")
    page.get_by_role("button", name="Create draft").click()
    page.wait_for_load_state()
    ui.shot("draft-created")
    expect(page.get_by_role("heading", level=1)).to_have_text("Batteries, power and lighting")
    expect(page.locator("#publish-problems")).to_contain_text("a signed contract document")

    # publishing too early: the confirmation page says what is missing and offers nothing to confirm
    page.get_by_role("link", name="Publish contract").click()
    page.wait_for_load_state()
    expect(page.locator("#publish-problems")).to_contain_text("a signed contract document")
    expect(page.get_by_role("button", name="Publish contract")).to_have_count(0)
    ui.shot("publish-refused")
    page.get_by_role("link", name="Back to the contract").click()
    page.wait_for_load_state()

    page.get_by_label("Kind of document").select_option(label="Signed contract")
    page.get_by_label("Title", exact=True).fill("Signed master agreement")
    page.get_by_label("PDF file").set_input_files(str(_pdf(tmp_path)))
    page.get_by_role("button", name="Upload").click()
    page.wait_for_load_state()
    expect(page.get_by_text("“Signed master agreement” uploaded (2 pages).")).to_be_visible()
    ui.shot("document-uploaded")
    ui.assert_accessible("contract-detail")

    page.get_by_role("link", name="Publish contract").click()
    page.wait_for_load_state()
    expect(page.locator("#publish-outlook")).to_contain_text("from today, until its term ends on Dec 31, 2029")
    ui.assert_accessible("confirm-publish")
    assert Contract.objects.get(number="CM-2026-777").status == "draft"  # nothing happens until confirmed
    page.get_by_role("button", name="Publish contract").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Contract CM-2026-777 is published. Member agencies can order on it now.")).to_be_visible()
    ui.shot("published")
    assert Contract.objects.get(number="CM-2026-777").status == "active"

    page.get_by_role("link", name="Contracts", exact=True).click()
    page.wait_for_load_state()
    expect(page.get_by_role("row", name="CM-2026-777")).to_contain_text("Active")
    ui.shot("contract-list")
    ui.sign_out()

    # an anonymous visitor
    ui.goto("/contracts/", "public-list")
    ui.assert_accessible("public-list")
    page.get_by_role("link", name="CM-2026-777").click()
    page.wait_for_load_state()
    ui.shot("public-detail")
    expect(page.get_by_role("heading", level=1)).to_have_text("Batteries, power and lighting")
    expect(
        page.get_by_text("may buy on it at the contract's terms and prices without running their own")
    ).to_be_visible()
    document_link = page.get_by_role("link", name="Signed master agreement")
    expect(document_link).to_be_visible()
    ui.assert_accessible("public-detail")
    with page.expect_download() as download_info:
        document_link.click()
    assert download_info.value.suggested_filename == "signed-agreement.pdf"

    page.get_by_role("button", name="Download compliance packet").click()
    packet_link = page.get_by_role("link", name="Download the compliance packet (PDF)")
    expect(packet_link).to_be_visible(timeout=30_000)  # htmx polls every 2 s while the worker builds it
    ui.shot("packet-ready")
    with page.expect_download() as download_info:
        packet_link.click()
    reader = PdfReader(io.BytesIO(download_info.value.path().read_bytes()))
    assert len(reader.pages) == 1 + 2
    assert "CM-2026-777" in reader.pages[0].extract_text()
    assert not ui.console_errors, ui.console_errors
