"""Journey (2) of issue 9: co-op staff invite a supplier; its admin completes the profile, uploads a W-9 and a
certificate of insurance and submits; staff verify the documents and the supplier and publish its draft contract;
the expiry sweep, with the calendar moved past the insurance's end, suspends the catalog (agency search no longer
shows its item) and a new certificate, verified by staff, restores it. axe scans each new page; screenshots at 1280
and 390 px go to test-artifacts/screenshots/vetting/ (or VETTING_SHOTS_DIR)."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from playwright.sync_api import expect

from marketplace.core.models import Invitation, User
from suppliers.models import Supplier
from suppliers.vetting.services import supplier_expiry_sweep
from tests.browser.conftest import ARTIFACTS
from tests.browser.invitations import sign_up_and_accept
from tests.factories import ContractDocumentFactory, ContractFactory
from tests.orders.factories import priced_item
from tests.suppliers.conftest import make_pdf

# Screenshots for people to look at: test-artifacts/screenshots/vetting/, or VETTING_SHOTS_DIR (e.g. /tmp/shots/vet).
SHOTS = Path(os.environ.get("VETTING_SHOTS_DIR") or ARTIFACTS / "screenshots" / "vetting")


OWNER_PASSWORD = "Olive-owns-Volt-and-Beam-2026"


def _shots(ui, name: str) -> None:
    """The current page at 1280 and at 390 px wide."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        ui.page.set_viewport_size({"width": width, "height": 900})
        ui.page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True, caret="initial")
    ui.page.set_viewport_size({"width": 1280, "height": 900})


def _upload_coi(ui, path: Path, ends: str) -> None:
    ui.page.get_by_label("Certificate of insurance (PDF)").set_input_files(str(path))
    ui.page.get_by_label("General liability coverage (USD)").fill("1000000")
    ui.page.get_by_label("Auto liability coverage (USD)").fill("500000")
    ui.page.get_by_label("Workers' compensation coverage (USD)").fill("250000")
    ui.page.get_by_label("Coverage starts").fill("2026-07-01")
    ui.page.get_by_label("Coverage ends").fill(ends)
    ui.page.get_by_role("button", name="Upload certificate of insurance").click()
    expect(ui.page.locator(".usa-alert--success").first).to_contain_text("Certificate of insurance uploaded")


def test_supplier_is_invited_vetted_published_suspended_and_restored(ui, world, password, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    document = tmp_path / "w9.pdf"
    document.write_bytes(make_pdf())

    # co-op staff invite the supplier
    ui.sign_in(world.coop_staff.email, password)
    ui.goto(f"/coops/{world.coop.slug}/suppliers/", "coop-suppliers")
    ui.assert_accessible("coop-suppliers")
    ui.page.get_by_role("button", name="Invite supplier").click()
    expect(ui.page.get_by_role("alert")).to_contain_text("Please correct")
    ui.assert_accessible("coop-suppliers-errors")
    ui.page.get_by_label("Supplier name").fill("Volt & Beam")
    ui.page.get_by_label("Supplier admin's e-mail").fill("owner@voltbeam.test")
    ui.page.get_by_role("button", name="Invite supplier").click()
    expect(ui.page.get_by_role("heading", level=1)).to_have_text("Volt & Beam")
    expect(ui.page.locator("#main-content")).to_contain_text("The supplier has not submitted its profile yet.")
    invitation = Invitation.objects.get(email="owner@voltbeam.test")
    org = invitation.organization
    ui.sign_out()

    # the supplier's admin accepts the e-mailed invitation by creating an account with the invited address
    sign_up_and_accept(ui, "owner@voltbeam.test", OWNER_PASSWORD, org.name)
    owner = User.objects.get(email="owner@voltbeam.test")
    assert list(owner.memberships.values_list("organization", "role")) == [(org.pk, "supplier_admin")]

    # the supplier completes its profile, uploads its W-9 and insurance, and submits
    ui.goto(f"/suppliers/{org.slug}/profile/", "supplier-profile")
    expect(ui.page.locator("#submit-heading + p + ul")).to_contain_text("a W-9")
    ui.assert_accessible("supplier-profile")
    ui.page.get_by_label("Legal name").fill("Volt & Beam LLC")
    ui.page.get_by_label("EIN").fill("12-34567")
    ui.page.get_by_role("button", name="Save profile").click()
    expect(ui.page.get_by_role("alert").first).to_contain_text("two digits, a hyphen and seven digits")
    ui.page.get_by_label("EIN").fill("12-3456789")
    ui.page.get_by_label("Remit-to address").fill("PO Box 12, Orlando, FL 32801")
    ui.page.get_by_label("Order-desk e-mail").fill("orders@voltbeam.test")
    ui.page.get_by_role("button", name="Save profile").click()
    expect(ui.page.locator(".usa-alert--success").first).to_contain_text("Profile saved")
    ui.page.get_by_label("W-9 (PDF)").set_input_files(str(document))
    ui.page.get_by_role("button", name="Upload W-9").click()
    expect(ui.page.locator(".usa-alert--success").first).to_contain_text("W-9 uploaded")
    _upload_coi(ui, document, "2027-06-30")
    _shots(ui, "supplier-profile")
    ui.page.get_by_role("button", name="Submit for vetting").click()
    expect(ui.page.locator("#main-content")).to_contain_text("Submitted for vetting")
    ui.assert_accessible("supplier-profile-submitted")
    ui.goto(f"/suppliers/{org.slug}/profile/stores/", "supplier-stores")
    ui.page.get_by_label("Store name").fill("Volt & Beam Orlando")
    ui.page.get_by_label("Street address").fill("100 Orange Ave")
    ui.page.get_by_label("City").fill("Orlando")
    ui.page.get_by_label("State").select_option("FL")
    ui.page.get_by_label("ZIP code").fill("00000")
    ui.page.get_by_role("button", name="Add store").click()
    expect(ui.page.get_by_role("alert").first).to_contain_text("not a known U.S. ZIP code")
    ui.page.get_by_label("ZIP code").fill("32801")
    ui.page.get_by_role("button", name="Add store").click()
    expect(ui.page.get_by_role("table", name="Store locations")).to_contain_text("28.5399")
    ui.assert_accessible("supplier-stores")
    _shots(ui, "supplier-stores")
    ui.sign_out()

    # its draft contract (drafted by the co-op while the supplier was being vetted)
    contract = ContractFactory(
        cooperative=world.coop,
        supplier=org,
        status="draft",
        number="VB-2026-01",
        solicitation_number="RFP-26-9",
        solicitation_method="RFP",
        solicitation_issued_on=date(2026, 1, 5),
        solicitation_closed_on=date(2026, 2, 5),
        evaluation_summary="Best value of four proposals",
        award_date=date(2026, 3, 1),
    )
    ContractDocumentFactory(contract=contract)
    priced_item(contract=contract, sku="VB-LAMP-1")

    # staff verify the documents and the supplier, then publish the contract
    ui.sign_in(world.coop_staff.email, password)
    ui.goto(f"/coops/{world.coop.slug}/suppliers/{org.slug}/", "coop-supplier")
    expect(ui.page.locator("#main-content")).to_contain_text("**-***6789")
    expect(ui.page.locator("#main-content")).not_to_contain_text("12-3456789")
    ui.assert_accessible("coop-supplier")
    _shots(ui, "coop-supplier")
    ui.page.get_by_role("button", name="Verify supplier").click()
    expect(ui.page.locator(".usa-alert--error").first).to_contain_text("Cannot verify yet")
    for _ in range(2):
        ui.page.get_by_role("button", name="Verify", exact=False).filter(has_text="Verify W").or_(
            ui.page.get_by_role("button", name="Verify Certificate", exact=False)
        ).first.click()
        expect(ui.page.locator(".usa-alert--success").first).to_contain_text("verified")
    ui.page.get_by_role("button", name="Verify supplier").click()
    expect(ui.page.locator(".usa-alert--success").first).to_contain_text("Volt & Beam is verified")
    ui.goto(f"/coops/{world.coop.slug}/contracts/{contract.slug}/", "contract")
    ui.page.get_by_role("link", name="Publish contract").click()  # the confirmation page, then the button
    ui.page.get_by_role("button", name="Publish contract").click()
    expect(ui.page.locator("#main-content")).to_contain_text("Active")
    ui.sign_out()

    # the agency finds its item
    ui.sign_in(world.requester.email, password)
    ui.goto(f"/agencies/{world.agency.slug}/catalog/?q=VB-LAMP-1", "search-before")
    expect(ui.page.locator("#main-content")).to_contain_text("Item VB-LAMP-1")

    # the calendar moves past the insurance's end: the sweep suspends the catalog
    assert supplier_expiry_sweep(today=date(2027, 7, 1))["suspended"] == 1
    ui.goto(f"/agencies/{world.agency.slug}/catalog/?q=VB-LAMP-1", "search-suspended")
    expect(ui.page.locator("#main-content")).not_to_contain_text("Item VB-LAMP-1")
    ui.sign_out()

    # the supplier sees why, uploads a new certificate; staff verify it; the item is back
    ui.sign_in(owner.email, OWNER_PASSWORD)
    ui.goto(f"/suppliers/{org.slug}/", "supplier-home-suspended")
    expect(ui.page.get_by_role("alert")).to_contain_text("The certificate of insurance expired on Jun 30, 2027")
    _shots(ui, "supplier-home-suspended")
    ui.goto(f"/suppliers/{org.slug}/profile/", "supplier-profile-suspended")
    _upload_coi(ui, document, "2028-06-30")
    ui.sign_out()
    ui.sign_in(world.coop_staff.email, password)
    ui.goto(f"/coops/{world.coop.slug}/suppliers/{org.slug}/", "coop-supplier-new-coi")
    ui.page.get_by_role("button", name="Verify Certificate", exact=False).first.click()
    expect(ui.page.locator("#main-content")).not_to_contain_text("Catalog suspended")
    assert Supplier.objects.get(organization=org).vetting_status == "verified"
    ui.sign_out()
    ui.sign_in(world.requester.email, password)
    ui.goto(f"/agencies/{world.agency.slug}/catalog/?q=VB-LAMP-1", "search-restored")
    expect(ui.page.locator("#main-content")).to_contain_text("Item VB-LAMP-1")


def test_vetting_pages_with_errors_and_changes_requested_are_accessible(
    ui, world, password, make_member, settings, tmp_path
):
    """The states the journey passes quickly: an upload refused, a send back refused then done (the supplier sees the
    comments), the store edit page, the co-op's list with rows."""
    from suppliers.vetting import services
    from tests.suppliers.conftest import complete

    settings.MEDIA_ROOT = str(tmp_path / "media")
    supplier, _invitation, _token = services.supplier_invite(
        cooperative=world.coop, actor=world.coop_staff, data={"name": "Volt & Beam", "admin_email": "o@vb.test"}
    )
    admin = supplier.admin = make_member(supplier.organization, "supplier_admin", email="o@vb.test")
    supplier = services.supplier_submit(supplier=complete(supplier), actor=admin)
    slug = supplier.organization.slug
    store = services.store_location_create(
        supplier=supplier.organization,
        actor=admin,
        data={"name": "Downtown", "address": "1 Main", "city": "Orlando", "state": "FL", "postal_code": "32801"},
    )

    ui.sign_in(world.coop_staff.email, password)
    ui.goto(f"/coops/{world.coop.slug}/suppliers/", "coop-suppliers-rows")
    expect(ui.page.get_by_role("table", name="Suppliers")).to_contain_text("Submitted")
    _shots(ui, "coop-suppliers")
    ui.goto(f"/coops/{world.coop.slug}/suppliers/{slug}/", "coop-supplier")
    ui.page.get_by_role("button", name="Send back with comments").click()
    expect(ui.page.get_by_role("alert")).to_contain_text("Please correct")
    ui.assert_accessible("coop-supplier-send-back-errors")
    ui.page.get_by_label("What should the supplier change?").fill("The W-9 is not signed.\nSign page 1.")
    ui.page.get_by_role("button", name="Send back with comments").click()
    expect(ui.page.locator("#main-content")).to_contain_text("Changes requested by Alpha Co-op")
    ui.sign_out()

    ui.sign_in("o@vb.test", password)
    ui.goto(f"/suppliers/{slug}/profile/", "supplier-profile-changes-requested")
    expect(ui.page.locator("#main-content")).to_contain_text("The W-9 is not signed.")
    bad = tmp_path / "not-a.pdf"
    bad.write_bytes(b"GIF89a not a pdf")
    ui.page.get_by_label("W-9 (PDF)").set_input_files(str(bad))
    ui.page.get_by_role("button", name="Upload W-9").click()
    expect(ui.page.get_by_role("alert").first).to_contain_text("This is not a PDF file")
    ui.assert_accessible("supplier-profile-upload-refused")
    _shots(ui, "supplier-profile-changes-requested")
    ui.goto(f"/suppliers/{slug}/profile/stores/{store.pk}/", "store-edit")
    ui.page.get_by_label("ZIP code").fill("99999")
    ui.page.get_by_role("button", name="Save store").click()
    expect(ui.page.get_by_role("alert").first).to_contain_text("not a known U.S. ZIP code")
    ui.assert_accessible("store-edit-errors")
    ui.page.keyboard.press("Tab")  # keyboard: the error summary's links lead to the fields
    ui.page.get_by_label("ZIP code").fill("33101")
    ui.page.get_by_role("button", name="Save store").click()
    expect(ui.page.get_by_role("table", name="Store locations")).to_contain_text("33101")
