"""axe-core scans of the pages people use: no serious or critical WCAG violations.

Pages are filled with realistic rows first (contracts, facilities, stores, notifications, audit events) so the
scan covers tables, lists and alerts, not only empty states.
"""

import re

import pytest
from playwright.sync_api import expect

from agencies.models import ApprovalRule, Department, Facility, FundCode, TaxExemptionCertificate
from marketplace.core.models import Notification
from marketplace.core.services.audit import audit_record


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/", "Buy on vetted cooperative contracts"),
        ("/accounts/login/", "Sign in"),
        ("/accounts/signup/", "Create account"),
        ("/accounts/password/reset/", "Password reset"),
    ],
)
def test_public_page_has_no_serious_violations(ui, path, heading):
    response = ui.goto(path)

    assert response.status == 200
    expect(ui.page.get_by_role("heading", level=1)).to_contain_text(heading)
    expect(ui.page).to_have_title(re.compile(r".+ · Co-op Marketplace$"))
    ui.assert_accessible(path)


def test_service_status_page_has_no_serious_violations(ui, worker):
    response = ui.goto("/status/")

    assert response.status == 200
    expect(ui.page.get_by_role("heading", level=1)).to_have_text("Service status")
    expect(ui.page.get_by_text("Everything is working.")).to_be_visible()
    ui.assert_accessible("status")


def test_operator_home_has_no_serious_violations(ui, world, password):
    from tests.factories import UserFactory

    operator = UserFactory(email="ops@coop-marketplace.test", is_staff=True)
    operator.set_password(password)
    operator.save()
    ui.sign_in(operator.email, password)

    assert ui.path == "/operator/"
    expect(ui.page.get_by_role("heading", level=1)).to_have_text("Operator home")
    ui.assert_accessible("operator-home")
    ui.page.set_viewport_size({"width": 390, "height": 844})
    ui.assert_accessible("operator-home-390")


def test_login_page_with_errors_has_no_serious_violations(ui, world):
    ui.sign_in(world.requester.email, "wrong-password")

    expect(ui.page.get_by_role("alert")).to_contain_text("not correct")
    ui.assert_accessible("login-with-errors")


def test_signup_with_errors_links_each_error_to_its_field(ui, world):
    ui.goto("/accounts/signup/")
    ui.page.get_by_label("Email").fill(world.requester.email)
    ui.page.locator("#id_password1").fill("short")
    ui.page.locator("#id_password2").fill("different")
    ui.page.get_by_role("button", name="Create account").click()

    summary = ui.page.get_by_role("alert")
    expect(summary).to_be_visible()
    first_error_link = summary.get_by_role("link").first
    target = first_error_link.get_attribute("href")
    assert target.startswith("#") and ui.page.locator(target).count() == 1
    ui.assert_accessible("signup-with-errors")


@pytest.mark.parametrize(
    ("member", "organization", "expected_text"),
    [
        ("requester", "agency", "CT-2026-001"),
        ("catalog_manager", "supplier", "Downtown store"),
        ("coop_staff", "coop", "Gamma School District"),
    ],
)
def test_organization_home_has_no_serious_violations(ui, furnished, password, member, organization, expected_text):
    org = getattr(furnished, organization)
    ui.sign_in(getattr(furnished, member).email, password)

    expect(ui.page.get_by_role("heading", level=1)).to_have_text(org.name)
    expect(ui.page).to_have_title(f"{org.name} · Co-op Marketplace")
    expect(ui.page.locator("#main-content")).to_contain_text(expected_text)
    ui.assert_accessible(f"{organization}-home")


def test_notifications_page_has_no_serious_violations(ui, world, password):
    Notification.objects.create(
        user=world.requester, organization=world.agency, title="PO CT-1 approved", url=f"/agencies/{world.agency.slug}/"
    )
    Notification.objects.create(user=world.requester, title="Welcome", body="Your account is ready.")
    ui.sign_in(world.requester.email, password)
    ui.goto("/notifications/")

    expect(ui.page.get_by_role("heading", level=2)).to_have_count(2)
    expect(ui.page.get_by_role("link", name="Notifications 2 unread")).to_be_visible()
    expect(ui.page.locator("#main-content .usa-tag")).to_have_count(2)
    ui.assert_accessible("notifications")

    ui.page.get_by_role("button", name="Mark all as read").click()

    expect(ui.page.get_by_text("Marked 2 notifications as read.")).to_be_visible()
    expect(ui.page.locator("#main-content .usa-tag")).to_have_count(0)
    expect(ui.page.get_by_role("link", name="Notifications", exact=True)).to_be_visible()
    ui.assert_accessible("notifications-read")


def test_api_tokens_page_before_and_after_creating_a_token(ui, world, password):
    ui.sign_in(world.requester.email, password)
    ui.goto("/account/api-tokens/")
    expect(ui.page.get_by_text("You have no active tokens.")).to_be_visible()
    ui.assert_accessible("api-tokens-empty")

    ui.page.get_by_label("Token name").fill("ERP nightly sync")
    ui.page.get_by_role("button", name="Create token").click()

    secret = ui.page.locator("#new-token").inner_text()
    assert len(secret) > 20
    row = ui.page.get_by_role("row", name="ERP nightly sync")
    expect(row).to_contain_text(secret[:6])
    assert world.requester.api_tokens.filter(name="ERP nightly sync", revoked_at__isnull=True).count() == 1
    ui.assert_accessible("api-tokens-created")


def test_agency_audit_log_has_no_serious_violations(ui, world, password):
    facility = Facility.objects.create(
        agency=world.agency,
        name="Fire Station 3",
        address="1 Main St",
        city="Springfield",
        state="FL",
        postal_code="32000",
    )
    audit_record(
        actor=world.agency_admin,
        action="agency.facility.created",
        organization=world.agency,
        obj=facility,
        after={"name": "Fire Station 3", "address": "1 Main St, Springfield, FL 32000", "is_active": True},
    )
    audit_record(
        actor=world.agency_admin,
        action="agency.facility.updated",
        organization=world.agency,
        obj=facility,
        before={"postal_code": "32000", "delivery_notes": "Dock open 7-3. " * 20},
        after={"postal_code": "32001", "delivery_notes": "Dock open 6-2. " * 20},
    )
    audit_record(
        actor=world.requester,
        action="invoice.created",
        organization=world.agency,
        after={"total": "1234.5", "invoice_date": "2026-12-01"},
    )
    audit_record(actor=world.other_agency_admin, action="agency.facility.created", organization=world.other_agency)
    ui.sign_in(world.agency_admin.email, password)
    ui.goto(f"/agencies/{world.agency.slug}/audit/")

    expect(ui.page.get_by_role("heading", level=1)).to_contain_text("Audit log")
    table = ui.page.get_by_role("table")
    expect(table.locator("caption")).to_have_text("3 events, newest first")
    expect(table).to_contain_text("Facility: created")
    expect(table).to_contain_text("$1,234.50")
    expect(table).not_to_contain_text(world.other_agency_admin.email)
    link = table.get_by_role("link", name="Facility Fire Station 3").first
    expect(link).to_have_attribute("href", f"/agencies/{world.agency.slug}/setup/facilities/{facility.pk}/")
    # the changes column has the room: a 300-character value wraps at words' width, not a character a line
    assert table.locator("td.audit-changes").first.evaluate("el => el.getBoundingClientRect().width") > 350
    ui.assert_accessible("agency-audit")

    ui.page.get_by_label("Action").select_option(label="Invoice: created")
    ui.page.get_by_role("button", name="Filter").click()

    expect(table.locator("caption")).to_have_text("1 event matches these filters, newest first")
    ui.assert_accessible("agency-audit-filtered")

    ui.page.set_viewport_size({"width": 390, "height": 844})
    ui.goto(f"/agencies/{world.agency.slug}/audit/")
    assert not ui.page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    expect(ui.page.get_by_text("Postal code")).to_be_visible()
    ui.assert_accessible("agency-audit-phone")


def test_a_bad_audit_filter_is_explained_in_the_browser(ui, world, password):
    ui.sign_in(world.agency_admin.email, password)
    response = ui.goto(f"/agencies/{world.agency.slug}/audit/?date_from=2026-12-05&date_to=2026-12-01")

    assert response.status == 400
    summary = ui.page.get_by_role("alert")
    expect(summary).to_contain_text("The end date must be on or after the start date.")
    ui.assert_accessible("agency-audit-bad-filter")


def test_audit_log_is_refused_to_a_requester(ui, world, password):
    ui.sign_in(world.requester.email, password)
    response = ui.goto(f"/agencies/{world.agency.slug}/audit/")

    assert response.status == 403  # a member without the role: 403 (a non-member would get 404)
    expect(ui.page.get_by_role("heading", level=1)).to_have_text("You can’t do this with your current role")
    expect(ui.page.get_by_role("table")).to_have_count(0)
    ui.assert_accessible("audit-refused")


def test_two_factor_pages_have_no_serious_violations(ui, world, password):
    ui.sign_in(world.requester.email, password)
    ui.goto("/accounts/2fa/")
    expect(ui.page.get_by_text("An authenticator app is not active.")).to_be_visible()
    ui.assert_accessible("2fa-index")

    ui.page.get_by_role("link", name="Activate").first.click()
    assert ui.path == "/accounts/reauthenticate/"
    ui.assert_accessible("reauthenticate")
    ui.page.get_by_label("Password").fill(password)
    ui.page.get_by_role("button", name="Confirm").click()

    expect(ui.page.get_by_role("heading", level=1)).to_have_text("Activate authenticator app")
    qr = ui.page.get_by_role("img", name="QR code for your authenticator app", exact=False)
    expect(qr).to_be_visible()
    secret = ui.page.get_by_label("Authenticator secret")
    assert secret.input_value() not in qr.get_attribute("alt")  # not spelled out to screen-reader users
    expect(secret).to_be_editable(editable=False)
    expect(secret).to_be_enabled()  # read-only, not disabled: it can be focused, read and copied
    ui.assert_accessible("totp-activate")

    ui.page.get_by_label("Authenticator code").fill("000000")
    ui.page.get_by_role("button", name="Activate").click()
    expect(ui.page.get_by_role("alert")).to_contain_text("Incorrect code")
    ui.assert_accessible("totp-activate-with-error")


def test_agency_setup_pages_have_no_serious_violations(ui, world, password):
    department = Department.objects.create(agency=world.agency, name="Public Works", code="PW")
    Department.objects.create(agency=world.agency, name="Library", is_active=False)
    Facility.objects.create(
        agency=world.agency,
        name="Fire Station 3",
        address="300 Oak Ave",
        city="Alpha",
        state="FL",
        postal_code="32801",
        delivery_notes="Bay door 2, 7am–3pm",
        latitude="28.538336",
        longitude="-81.379234",
    )
    FundCode.objects.create(agency=world.agency, code="001-4100-5230", description="Lighting", department=department)
    ApprovalRule.objects.create(agency=world.agency, name="Department approval", min_amount="2500")
    ApprovalRule.objects.create(agency=world.agency, name="Emergency", is_emergency=True)
    TaxExemptionCertificate.objects.create(
        agency=world.agency, state="FL", number="85-801234", expires_on="2031-01-01", file="x.pdf", sha256="0" * 64
    )
    ui.sign_in(world.agency_admin.email, password)
    base = f"/agencies/{world.agency.slug}/setup"
    for path, heading in [
        ("/", "Ordering set-up"),
        ("/departments/", "Departments"),
        ("/facilities/", "Ship-to facilities"),
        ("/facilities/new/", "New facility"),
        ("/fund-codes/", "Fund codes"),
        ("/approval-rules/", "Approval rules"),
        ("/tax-certificates/", "Tax-exemption certificates"),
        ("/members/", "Members' ordering defaults"),
        ("/my-defaults/", "My ordering defaults"),
    ]:
        assert ui.goto(base + path).status == 200
        expect(ui.page.get_by_role("heading", level=1)).to_contain_text(heading)
        ui.assert_accessible(f"agency-setup{path}")

    ui.goto(base + "/approval-rules/new/")
    ui.page.get_by_label("Name").fill("Storm")
    ui.page.get_by_label("Applies from (USD)").fill("0")
    ui.page.get_by_label("Approvals required").fill("1")
    ui.page.get_by_text("Emergency rule", exact=True).click()
    ui.page.get_by_role("button", name="Add approval rule").click()
    expect(ui.page.get_by_role("alert")).to_contain_text("already the active emergency rule")
    ui.assert_accessible("agency-setup-rule-with-error")
