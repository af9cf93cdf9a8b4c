"""The membership agreement and the member directory in a real browser: an agency admin reads and signs the co-op's
agreement and sees the signed PDF's link appear once the real worker has rendered it; a requester whose agency has
not signed is stopped at checkout with a clear message and nothing is ordered; co-op staff publish a version and
read the member directory. Every new page is scanned by axe and screenshotted at 1280 and 390 px (also into
/tmp/shots/agree/ for review)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from agencies.agreements.models import AgreementAcceptance, AgreementVersion
from orders.models import PurchaseOrder, Requisition
from tests.agreements import helpers
from tests.factories import AgencyFactory, ContractFactory, CoopMembershipFactory
from tests.orders.shopping import make_shop, put_in_cart

SHOTS = Path("/tmp/shots/agree")
BODY = (
    "1. Purpose. The Members establish a cooperative purchasing program so that any Member may buy goods and "
    "services on contracts the Cooperative awards after a competitive solicitation.\n\n"
    "2. Authority. Each Member enters into this Agreement under the interlocal cooperation laws of its state.\n\n"
    "3. Term. This Agreement takes effect on the Effective Date and continues until a party ends it in writing "
    "with thirty days' notice."
)


def look(ui, name: str) -> None:
    """axe at both widths, and a screenshot of each for people to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        ui.page.set_viewport_size({"width": width, "height": 900})
        ui.page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True, caret="initial")
        ui.assert_accessible(f"{name}-{width}")
    ui.page.set_viewport_size({"width": 1280, "height": 900})


def test_agency_admin_signs_and_sees_the_signed_pdf_link_appear(ui, world, password, worker):
    helpers.version(world.coop, label="2027-1", title="Interlocal Cooperative Purchasing Agreement", body=BODY)
    ui.sign_in(world.agency_admin.email, password)
    expect(ui.page.locator(".agreement-notice")).to_contain_text("must accept Alpha Co-op's membership agreement")
    ui.page.get_by_role("link", name="Read and sign the agreement").click()
    expect(ui.page.get_by_role("heading", level=1)).to_have_text("Membership agreement")
    look(ui, "agency-agreement")

    # submitting without the checkbox: the error summary links to it, nothing is signed
    ui.page.get_by_label("Full name of the authorized signer").fill("Pat Q. Signer")
    ui.page.get_by_label("Title").fill("City Manager")
    ui.page.get_by_role("button", name="Accept and sign").click()
    summary = ui.page.locator("#error-summary")
    expect(summary).to_contain_text("Confirm that you are authorized to sign for City of Alpha.")
    look(ui, "agency-agreement-errors")
    assert not AgreementAcceptance.objects.exists()

    ui.page.get_by_text(
        "I am authorized to sign for City of Alpha", exact=True
    ).click()  # the USWDS label is the target
    ui.page.get_by_role("button", name="Accept and sign").click()
    expect(ui.page.locator(".usa-alert--success").first).to_contain_text("Signed: City of Alpha accepted")
    deadline = time.time() + 90
    link = ui.page.get_by_role("link", name="Download signed agreement")
    while time.time() < deadline and not link.count():
        time.sleep(0.5)
        ui.page.reload()
    expect(link).to_be_visible()
    look(ui, "agency-agreement-signed")
    href = link.get_attribute("href")
    response = ui.page.request.get(ui.base_url + href)
    assert response.status == 200 and response.body().startswith(b"%PDF-")
    acceptance = AgreementAcceptance.objects.get()
    assert (acceptance.signer_name, acceptance.signer_title, acceptance.pdf_status) == (
        "Pat Q. Signer",
        "City Manager",
        "ready",
    )


def test_requester_whose_agency_has_not_signed_is_stopped_at_checkout(ui, world, password):
    shop = make_shop(world)
    put_in_cart(world, shop.battery, 2)
    helpers.version(world.coop)
    ui.sign_in(world.requester.email, password)
    ui.goto("/agencies/city-of-alpha/checkout/", "checkout")
    expect(ui.page.locator(".agreement-notice")).to_contain_text(
        "Your agency must accept Alpha Co-op's membership agreement before its first order."
    )
    ui.page.get_by_role("button", name="Place order").click()
    summary = ui.page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Membership agreement: Your agency must accept Alpha Co-op's membership agreement")
    expect(summary).to_contain_text("Ask an agency admin of City of Alpha to sign it; your cart is kept.")
    look(ui, "checkout-blocked")
    assert Requisition.objects.count() == 0 and PurchaseOrder.objects.count() == 0


def test_coop_staff_publish_a_version_and_read_the_directory(ui, world, password):
    ContractFactory(cooperative=world.coop, supplier=world.supplier, number="CT-2026-001")
    applicant = AgencyFactory(organization__name="Gamma School District", state="GA").organization
    CoopMembershipFactory(cooperative=world.coop, agency=applicant, status="approved")
    first = helpers.version(world.coop, label="2026-1", body=BODY)
    helpers.acceptance(world.agency, first, by=world.agency_admin, signer_name="Pat Q. Signer", pdf=True)
    ui.sign_in(world.coop_staff.email, password)
    ui.page.get_by_role("link", name="Membership agreement").first.click()
    expect(ui.page.get_by_role("heading", level=1)).to_have_text("Membership agreement")
    look(ui, "coop-agreement")

    ui.page.get_by_label("Version label").fill("2027-1")
    ui.page.get_by_label("Title").fill("Interlocal Cooperative Purchasing Agreement (2027)")
    ui.page.get_by_label("Agreement text").fill(BODY + "\n\n4. Fees. Suppliers pay the administrative fee.")
    ui.page.get_by_label("Effective date").fill("2027-01-01")
    ui.page.get_by_label("Members must re-accept by (optional)").fill("2027-03-01")
    ui.page.get_by_role("button", name="Publish version").click()
    expect(ui.page.get_by_role("heading", level=1)).to_have_text("Interlocal Cooperative Purchasing Agreement (2027)")
    expect(ui.page.locator("main")).to_contain_text("members re-accept by Mar 1, 2027")
    look(ui, "coop-agreement-version")
    assert AgreementVersion.objects.filter(cooperative=world.coop).count() == 2

    ui.goto("/coops/alpha-coop/members/", "directory")
    table = ui.page.get_by_role("region", name="Member directory")
    expect(table).to_contain_text("re-acceptance due Mar 1, 2027")
    expect(table).to_contain_text("Gamma School District")
    expect(table).to_contain_text("Alpha Cells")
    look(ui, "coop-directory")
    ui.page.get_by_label("Show").select_option("supplier")
    ui.page.get_by_role("button", name="Filter").click()
    expect(table).not_to_contain_text("Gamma School District")
    expect(ui.page.locator("main")).to_contain_text("1 organization matches")


@pytest.mark.parametrize("path", ["/coops/alpha-coop/members/?status=bogus"])
def test_directory_with_bad_filter_is_accessible(ui, world, password, path):
    ui.sign_in(world.coop_staff.email, password)
    ui.goto(path, "directory-bad-filter")
    expect(ui.page.locator("#error-summary")).to_be_visible()
    ui.assert_accessible("directory-bad-filter")
