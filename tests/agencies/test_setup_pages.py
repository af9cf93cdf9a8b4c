"""Agency set-up pages: every page renders for an agency admin; each form saves through its service; each
refusal answers 400 with the message on the page and changes nothing."""

from __future__ import annotations

import hashlib
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage

from agencies.models import ApprovalRule, Department, Facility, FundCode, MemberDefaults, TaxExemptionCertificate
from marketplace.core.models import AuditEvent
from tests.contracts.conftest import make_pdf, upload
from tests.factories import FacilityFactory
from tests.orders.factories import ApprovalRuleFactory, DepartmentFactory, FundCodeFactory

pytestmark = pytest.mark.django_db

BASE = "/agencies/city-of-alpha/setup"


@pytest.fixture
def admin(client, world):
    client.force_login(world.agency_admin)
    return client


def _state():
    return (
        list(Department.objects.values_list("pk", "name", "code", "is_active").order_by("pk")),
        list(Facility.objects.values_list("pk", "name", "latitude", "is_active").order_by("pk")),
        list(FundCode.objects.values_list("pk", "code", "department_id", "is_active").order_by("pk")),
        list(ApprovalRule.objects.values_list("pk", "min_amount", "is_emergency", "is_active").order_by("pk")),
        list(TaxExemptionCertificate.objects.values_list("pk", "removed_at").order_by("pk")),
        list(MemberDefaults.objects.values_list("pk", "facility_id", "fund_code_id").order_by("pk")),
        AuditEvent.objects.exclude(action__startswith="auth.").count(),
    )


# --- home and overview ---


def test_agency_home_shows_the_setup_card_to_admins_only(client, world):
    client.force_login(world.agency_admin)
    assert "Open set-up" in client.get("/agencies/city-of-alpha/").content.decode()
    client.force_login(world.requester)
    body = client.get("/agencies/city-of-alpha/").content.decode()
    assert "Open set-up" not in body and "My ordering defaults" in body


def test_overview_counts_and_ladder(admin, world):
    DepartmentFactory(agency=world.agency)
    ApprovalRuleFactory(agency=world.agency, min_amount=Decimal("2500"), approvals_required=1)
    body = admin.get(f"{BASE}/").content.decode()
    assert "Ordering set-up" in body
    assert "Under $2,500.00: approved at once; from $2,500.00: 1 approver." in body


def test_requester_is_refused_the_setup_pages(client, world):
    client.force_login(world.requester)
    for path in ("/", "/departments/", "/facilities/new/", "/fund-codes/", "/approval-rules/", "/tax-certificates/"):
        assert client.get(f"{BASE}{path}").status_code == 403


# --- departments ---


def test_department_create_edit_deactivate_reactivate(admin, world):
    response = admin.post(f"{BASE}/departments/new/", {"name": "Fire Rescue", "code": "FR"})
    assert response.status_code == 302 and response["Location"] == f"{BASE}/departments/"
    department = Department.objects.get(agency=world.agency)
    assert "Fire Rescue" in admin.get(f"{BASE}/departments/").content.decode()
    assert "Fire Rescue" in admin.get(f"{BASE}/departments/{department.pk}/").content.decode()
    assert admin.post(f"{BASE}/departments/{department.pk}/", {"name": "Fire & Rescue"}).status_code == 302
    assert admin.post(f"{BASE}/departments/{department.pk}/active/", {"active": "0"}).status_code == 302
    department.refresh_from_db()
    assert (department.name, department.code, department.is_active) == ("Fire & Rescue", "", False)
    assert "Reactivate" in admin.get(f"{BASE}/departments/").content.decode()
    admin.post(f"{BASE}/departments/{department.pk}/active/", {"active": "1"})
    department.refresh_from_db()
    assert department.is_active


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": ""}, "This field is required."),
        ({"name": "x" * 10_000}, "Ensure this value has at most 150 characters"),
        ({"name": "fire"}, "There is already a department named “fire”."),
    ],
)
def test_department_form_refusals(admin, world, data, message):
    DepartmentFactory(agency=world.agency, name="Fire")
    before = _state()
    response = admin.post(f"{BASE}/departments/new/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _state() == before


def test_active_toggle_without_a_choice_changes_nothing(admin, world):
    department = DepartmentFactory(agency=world.agency)
    before = _state()
    response = admin.post(f"{BASE}/departments/{department.pk}/active/", {"active": "maybe"})
    assert response.status_code == 302
    assert _state() == before


# --- facilities ---

FACILITY = {
    "name": "Fire Station 3",
    "address": "300 Oak Ave",
    "city": "Alpha",
    "state": "FL",
    "postal_code": "32801",
    "contact_name": "Sam Lee",
    "contact_phone": "407-555-0100",
    "delivery_notes": "Bay door 2",
    "latitude": "28.538336",
    "longitude": "-81.379234",
}


def test_facility_create_edit_deactivate(admin, world):
    assert admin.post(f"{BASE}/facilities/new/", FACILITY).status_code == 302
    facility = Facility.objects.get(agency=world.agency)
    body = admin.get(f"{BASE}/facilities/").content.decode()
    assert "Fire Station 3" in body and "Bay door 2" in body and "28.538336" in body
    edit = admin.get(f"{BASE}/facilities/{facility.pk}/").content.decode()
    assert "Bay door 2" in edit
    response = admin.post(f"{BASE}/facilities/{facility.pk}/", {**FACILITY, "delivery_notes": "Gate 4, call ahead"})
    assert response.status_code == 302
    admin.post(f"{BASE}/facilities/{facility.pk}/active/", {"active": "0"})
    facility.refresh_from_db()
    assert facility.delivery_notes == "Gate 4, call ahead" and not facility.is_active
    assert AuditEvent.objects.filter(action="agency.facility.deactivated", object_id=str(facility.pk)).exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"latitude": "91"}, "Ensure this value is less than or equal to 90."),
        ({"longitude": "-180.5"}, "Ensure this value is greater than or equal to -180."),
        ({"latitude": "north"}, "Enter a number."),
        ({"longitude": ""}, "Give both latitude and longitude, or neither."),
        ({"postal_code": "3280"}, "Enter a 5-digit ZIP code"),
        ({"state": "ZZ"}, "Select a valid choice."),
        ({"delivery_notes": "n" * 10_000}, "Ensure this value has at most 2000 characters"),
        ({"name": "a" * 10_000}, "Ensure this value has at most 200 characters"),
    ],
)
def test_facility_form_refusals(admin, world, changes, message):
    before = _state()
    response = admin.post(f"{BASE}/facilities/new/", {**FACILITY, **changes})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _state() == before


# --- fund codes ---


def test_fund_code_create_with_department_and_deactivate(admin, world):
    department = DepartmentFactory(agency=world.agency, name="Parks")
    data = {"code": "001-5100", "description": "Parks supplies", "department": department.pk}
    assert admin.post(f"{BASE}/fund-codes/new/", data).status_code == 302
    code = FundCode.objects.get(agency=world.agency)
    assert code.department == department
    assert "Parks supplies" in admin.get(f"{BASE}/fund-codes/").content.decode()
    admin.post(f"{BASE}/fund-codes/{code.pk}/active/", {"active": "0"})
    code.refresh_from_db()
    assert not code.is_active


def test_fund_code_form_refuses_another_agencys_department(admin, world):
    other = DepartmentFactory(agency=world.other_agency, name="Beta Roads")
    before = _state()
    response = admin.post(f"{BASE}/fund-codes/new/", {"code": "X-1", "department": other.pk})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Select a valid choice" in body and "Beta Roads" not in body
    assert _state() == before


def test_fund_code_form_refuses_a_duplicate_code(admin, world):
    FundCodeFactory(agency=world.agency, code="GF-1")
    before = _state()
    response = admin.post(f"{BASE}/fund-codes/new/", {"code": "gf-1"})
    assert response.status_code == 400 and "There is already a fund code “gf-1”." in response.content.decode()
    assert _state() == before


# --- approval rules ---


def test_rules_page_shows_the_ladder(admin, world):
    for name, amount, approvals, role in [
        ("Small", "0", 0, "approver"),
        ("Medium", "2500", 1, "approver"),
        ("Large", "25000", 2, "agency_admin"),
    ]:
        data = {"name": name, "min_amount": amount, "approvals_required": approvals, "approver_role": role}
        assert admin.post(f"{BASE}/approval-rules/new/", data).status_code == 302
    body = admin.get(f"{BASE}/approval-rules/").content.decode()
    assert (
        "From $0.00: approved at once; from $2,500.00: 1 approver; from $25,000.00: 2 approvers (agency admin)."
    ) in body


RULE = {"name": "Storm", "min_amount": "0", "approvals_required": "1", "approver_role": "approver"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({**RULE, "min_amount": "-5"}, "Ensure this value is greater than or equal to 0."),
        ({**RULE, "min_amount": "ten"}, "Enter a number."),
        ({**RULE, "approvals_required": "6"}, "Ensure this value is less than or equal to 5."),
        ({**RULE, "approvals_required": "1.5"}, "Enter a whole number."),
        ({**RULE, "approver_role": "supplier_admin"}, "Select a valid choice."),
        ({**RULE, "is_emergency": "on"}, "“Hurricane” is already the active emergency rule; deactivate it first."),
        ({**RULE, "min_amount": "1000.00"}, "“Mid” already starts at $1,000.00; change that rule instead."),
    ],
)
def test_rule_form_refusals(admin, world, data, message):
    ApprovalRuleFactory(agency=world.agency, name="Hurricane", is_emergency=True)
    ApprovalRuleFactory(agency=world.agency, name="Mid", min_amount=Decimal("1000"))
    before = _state()
    response = admin.post(f"{BASE}/approval-rules/new/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _state() == before


def test_reactivating_a_clashing_rule_shows_why(admin, world):
    old = ApprovalRuleFactory(agency=world.agency, name="Old", min_amount=Decimal("100"), is_active=False)
    ApprovalRuleFactory(agency=world.agency, name="New", min_amount=Decimal("100"))
    before = _state()
    response = admin.post(f"{BASE}/approval-rules/{old.pk}/active/", {"active": "1"}, follow=True)
    assert "“New” already starts at $100.00" in response.content.decode()
    assert _state() == before


# --- tax-exemption certificates ---


def _cert_post(client, data=None, file=None):
    payload = {"state": "FL", "number": "85-8012345678C-9", "expires_on": "2031-06-30"}
    payload.update(data or {})
    payload["file"] = file if file is not None else upload(make_pdf(2), "fl-certificate.pdf")
    return client.post(f"{BASE}/tax-certificates/", payload)


def test_certificate_upload_list_download_withdraw(admin, client, world):
    data = make_pdf(2)
    response = _cert_post(admin, file=upload(data, "fl-certificate.pdf"))
    assert response.status_code == 302
    certificate = TaxExemptionCertificate.objects.get(agency=world.agency)
    assert (certificate.page_count, certificate.sha256) == (2, hashlib.sha256(data).hexdigest())
    assert default_storage.exists(certificate.file.name)
    body = admin.get(f"{BASE}/tax-certificates/").content.decode()
    assert "85-8012345678C-9" in body and "Valid" in body
    # any member may download it
    client.force_login(world.requester)
    download = client.get(f"{BASE}/tax-certificates/{certificate.pk}/download/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == data
    client.force_login(world.agency_admin)
    assert admin.post(f"{BASE}/tax-certificates/{certificate.pk}/withdraw/").status_code == 302
    certificate.refresh_from_db()
    assert certificate.removed_at is not None
    assert "Withdrawn" in admin.get(f"{BASE}/tax-certificates/").content.decode()
    assert AuditEvent.objects.filter(action__startswith="agency.tax_certificate.").count() == 2


def test_expired_certificate_is_listed_as_expired(admin, world):
    TaxExemptionCertificate.objects.create(
        agency=world.agency, state="GA", number="GA-OLD", expires_on="2020-01-01", file="x.pdf", sha256="0" * 64
    )
    body = admin.get(f"{BASE}/tax-certificates/").content.decode()
    assert "GA-OLD" in body and "Expired" in body


@pytest.mark.parametrize(
    ("data", "file", "message"),
    [
        ({}, upload(b"PK\x03\x04 a zip file, not a pdf" * 20, "cert.pdf"), "This is not a PDF file"),
        ({}, upload(make_pdf(1, password="s3cret"), "cert.pdf"), "The PDF is password-protected."),
        ({}, upload(b"%PDF-1.7\n%not really\n", "cert.pdf"), "The PDF is damaged"),
        ({"state": "ZZ"}, None, "Select a valid choice."),
        ({"number": ""}, None, "This field is required."),
        ({"number": "n" * 10_000}, None, "Ensure this value has at most 60 characters"),
        ({"expires_on": "2020-01-01"}, None, "This certificate expired on Jan 1, 2020; upload a current one."),
        ({"expires_on": "31/31/2030"}, None, "Enter a valid date."),
    ],
)
def test_certificate_upload_refusals(admin, world, data, file, message):
    before = _state()
    response = _cert_post(admin, data, file)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _state() == before


def test_certificate_over_the_size_limit_is_refused(admin, world, settings):
    settings.CONTRACT_DOCUMENT_MAX_BYTES = 500
    before = _state()
    response = _cert_post(admin, file=upload(make_pdf(1) + b"%" * 1000, "big.pdf"))
    assert response.status_code == 400 and "the limit is" in response.content.decode()
    assert _state() == before


# --- members' defaults ---


def test_admin_sets_a_members_defaults(admin, world):
    facility = FacilityFactory(agency=world.agency, name="Central Warehouse")
    code = FundCodeFactory(agency=world.agency, code="001-9000")
    body = admin.get(f"{BASE}/members/").content.decode()
    assert world.requester.email in body
    url = f"{BASE}/members/{world.requester.pk}/"
    assert admin.get(url).status_code == 200
    assert admin.post(url, {"facility": facility.pk, "fund_code": code.pk}).status_code == 302
    body = admin.get(f"{BASE}/members/").content.decode()
    assert "Central Warehouse" in body and "001-9000" in body
    assert MemberDefaults.objects.get(user=world.requester).fund_code == code


def test_my_defaults_for_any_member(client, world):
    facility = FacilityFactory(agency=world.agency, name="Station 9")
    client.force_login(world.requester)
    url = "/agencies/city-of-alpha/setup/my-defaults/"
    assert "Station 9" in client.get(url).content.decode()
    assert client.post(url, {"facility": facility.pk, "fund_code": ""}).status_code == 302
    assert MemberDefaults.objects.get(user=world.requester, agency=world.agency).facility == facility


@pytest.mark.parametrize("which", ["other", "inactive"])
def test_my_defaults_refuse_another_agencys_or_an_inactive_facility(client, world, which):
    agency = world.other_agency if which == "other" else world.agency
    facility = FacilityFactory(agency=agency, is_active=which != "inactive", name="Not Yours Depot")
    client.force_login(world.requester)
    before = _state()
    response = client.post("/agencies/city-of-alpha/setup/my-defaults/", {"facility": facility.pk})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Select a valid choice" in body and "Not Yours Depot" not in body
    assert _state() == before


def test_a_deactivated_facility_is_no_longer_offered_as_a_default(admin, world):
    facility = FacilityFactory(agency=world.agency, name="Old Depot")
    admin.post(f"{BASE}/facilities/{facility.pk}/active/", {"active": "0"})
    assert ">Old Depot</option>" not in admin.get(f"{BASE}/my-defaults/").content.decode()
    assert ">Old Depot</option>" not in admin.get(f"{BASE}/members/{world.requester.pk}/").content.decode()
