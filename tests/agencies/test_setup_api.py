"""Agency set-up API: list / create / update for departments, facilities, fund codes and approval rules;
certificates list / upload / withdraw; member defaults get / put. Errors in the documented JSON shape, and a
refused write changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from agencies.models import ApprovalRule, Department, Facility, FundCode, MemberDefaults, TaxExemptionCertificate
from marketplace.core.models import AuditEvent
from tests.contracts.conftest import make_pdf, upload
from tests.factories import FacilityFactory
from tests.orders.factories import ApprovalRuleFactory, DepartmentFactory, FundCodeFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/agencies/city-of-alpha"


@pytest.fixture
def api(world):
    client = APIClient()
    client.force_authenticate(world.agency_admin)
    return client


def _state():
    return (
        list(Department.objects.values_list("pk", "name", "is_active").order_by("pk")),
        list(Facility.objects.values_list("pk", "name", "latitude", "is_active").order_by("pk")),
        list(FundCode.objects.values_list("pk", "code", "department_id", "is_active").order_by("pk")),
        list(ApprovalRule.objects.values_list("pk", "min_amount", "is_emergency", "is_active").order_by("pk")),
        list(TaxExemptionCertificate.objects.values_list("pk", "removed_at").order_by("pk")),
        list(MemberDefaults.objects.values_list("pk", "facility_id", "fund_code_id").order_by("pk")),
        AuditEvent.objects.exclude(action__startswith="auth.").count(),
    )


def _error(response, status, code, field=None, message=None):
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["code"] == code
    if field:
        assert field in error["fields"], error
        if message:
            assert message in " ".join(error["fields"][field]), error
    elif message:
        assert message in error["message"]
    return error


# --- departments ---


def test_departments_list_create_update_deactivate(api, world):
    DepartmentFactory(agency=world.other_agency, name="Beta Roads")
    response = api.post(f"{API}/departments/", {"name": "Library", "code": "LIB"}, format="json")
    assert response.status_code == 201
    department_id = response.json()["id"]
    assert response.json() == {"id": department_id, "name": "Library", "code": "LIB", "is_active": True}
    body = api.get(f"{API}/departments/").json()
    assert body["count"] == 1 and body["results"][0]["name"] == "Library"
    response = api.patch(f"{API}/departments/{department_id}/", {"name": "Public Library", "is_active": False})
    assert response.status_code == 200
    assert response.json()["name"] == "Public Library" and response.json()["is_active"] is False
    assert api.get(f"{API}/departments/{department_id}/").json()["is_active"] is False
    actions = list(AuditEvent.objects.filter(action__startswith="agency.department.").values_list("action", flat=True))
    assert sorted(actions) == [
        "agency.department.created",
        "agency.department.deactivated",
        "agency.department.updated",
    ]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({}, "name", "This field is required."),
        ({"name": ""}, "name", "may not be blank"),
        ({"name": "x" * 10_000}, "name", "at most 150 characters"),
        ({"name": "LIBRARY"}, "name", "already a department named"),
    ],
)
def test_department_create_refusals(api, world, data, field, message):
    DepartmentFactory(agency=world.agency, name="Library")
    before = _state()
    _error(api.post(f"{API}/departments/", data, format="json"), 400, "invalid", field, message)
    assert _state() == before


# --- facilities ---

FACILITY = {
    "name": "EOC",
    "address": "1 Emergency Way",
    "city": "Alpha",
    "state": "FL",
    "postal_code": "32801-1234",
    "delivery_notes": "Loading dock B",
    "latitude": "28.5",
    "longitude": "-81.25",
}


def test_facility_create_and_update(api, world):
    response = api.post(f"{API}/facilities/", FACILITY, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["latitude"] == "28.500000" and body["delivery_notes"] == "Loading dock B"
    response = api.patch(f"{API}/facilities/{body['id']}/", {"contact_phone": "555-0101"}, format="json")
    assert response.status_code == 200 and response.json()["contact_phone"] == "555-0101"
    assert api.get(f"{API}/facilities/").json()["results"][0]["name"] == "EOC"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"latitude": "-90.5"}, "latitude", "between −90 and 90"),
        ({"longitude": "200"}, "longitude", "between −180 and 180"),
        ({"latitude": "abc"}, "latitude", "A valid number is required."),
        ({"latitude": None}, "latitude", "both latitude and longitude"),
        ({"state": "Florida"}, "state", "at most 2 characters"),
        ({"postal_code": "1"}, "postal_code", "5-digit ZIP"),
        ({"delivery_notes": "d" * 10_000}, "delivery_notes", "at most 2000 characters"),
    ],
)
def test_facility_refusals(api, world, changes, field, message):
    before = _state()
    _error(api.post(f"{API}/facilities/", {**FACILITY, **changes}, format="json"), 400, "invalid", field, message)
    assert _state() == before


# --- fund codes ---


def test_fund_code_create_update_and_department_of_another_agency(api, world):
    own = DepartmentFactory(agency=world.agency, name="Water")
    other = DepartmentFactory(agency=world.other_agency, name="Beta Water")
    response = api.post(f"{API}/fund-codes/", {"code": "401-1000", "department": own.pk}, format="json")
    assert response.status_code == 201 and response.json()["department_name"] == "Water"
    code_id = response.json()["id"]
    before = _state()
    error = _error(
        api.patch(f"{API}/fund-codes/{code_id}/", {"department": other.pk}, format="json"),
        400,
        "invalid",
        "department",
        "Choose a department of this agency.",
    )
    assert "Beta Water" not in str(error)
    assert _state() == before
    response = api.patch(f"{API}/fund-codes/{code_id}/", {"department": None, "is_active": False}, format="json")
    assert response.json()["department"] is None and response.json()["is_active"] is False


def test_fund_code_duplicate_refused(api, world):
    FundCodeFactory(agency=world.agency, code="100-1")
    before = _state()
    _error(api.post(f"{API}/fund-codes/", {"code": "100-1"}, format="json"), 400, "invalid", "code", "already")
    assert _state() == before


# --- approval rules ---


def test_rule_create_and_update(api, world):
    data = {"name": "Over 2,500", "min_amount": "2500.00", "approvals_required": 1}
    response = api.post(f"{API}/approval-rules/", data, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["approver_role"] == "approver" and body["min_amount"] == "2500.00"
    response = api.patch(f"{API}/approval-rules/{body['id']}/", {"approvals_required": 2}, format="json")
    assert response.json()["approvals_required"] == 2


@pytest.mark.parametrize(
    ("data", "status", "code", "field", "message"),
    [
        ({"min_amount": "-1"}, 400, "invalid", "min_amount", "between $0.00 and"),
        ({"min_amount": "1.234"}, 400, "invalid", "min_amount", "decimal places"),
        ({"approvals_required": 9}, 400, "invalid", "approvals_required", "from 0 to 5"),
        ({"approver_role": "order_desk"}, 400, "invalid", "approver_role", "is not a valid choice"),
        ({"is_emergency": True, "min_amount": "10"}, 400, "invalid", "is_emergency", "already the active emergency"),
        ({"min_amount": "500.00"}, 400, "invalid", "min_amount", "already starts at $500.00"),
        ({"category": 0}, 400, "invalid", "category", "Choose a category"),
    ],
)
def test_rule_refusals(api, world, data, status, code, field, message):
    ApprovalRuleFactory(agency=world.agency, name="Emergency", is_emergency=True)
    ApprovalRuleFactory(agency=world.agency, name="Mid", min_amount=Decimal("500"))
    before = _state()
    payload = {"name": "New", "min_amount": "0", "approvals_required": 1, **data}
    _error(api.post(f"{API}/approval-rules/", payload, format="json"), status, code, field, message)
    assert _state() == before


def test_rule_reactivation_clash_is_a_409(api, world):
    old = ApprovalRuleFactory(agency=world.agency, is_emergency=True, is_active=False)
    ApprovalRuleFactory(agency=world.agency, name="Current", is_emergency=True)
    before = _state()
    _error(
        api.patch(f"{API}/approval-rules/{old.pk}/", {"is_active": True}, format="json"),
        409,
        "conflict",
        message="already the active emergency rule",
    )
    assert _state() == before


# --- tax certificates ---


def test_certificate_upload_list_withdraw(api, world):
    response = api.post(
        f"{API}/tax-certificates/",
        {"state": "fl", "number": "85-1234", "expires_on": "2032-01-31", "file": upload(make_pdf(1), "cert.pdf")},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["state"], body["page_count"], body["is_valid"]) == ("FL", 1, True)
    assert body["uploaded_by"] == world.agency_admin.email
    listed = api.get(f"{API}/tax-certificates/").json()
    assert [c["number"] for c in listed["results"]] == ["85-1234"]
    response = api.post(f"{API}/tax-certificates/{body['id']}/withdraw/")
    assert response.status_code == 200 and response.json()["is_valid"] is False
    _error(api.post(f"{API}/tax-certificates/{body['id']}/withdraw/"), 409, "already_withdrawn")


@pytest.mark.parametrize(
    ("data", "code", "field", "message"),
    [
        ({"file": upload(b"<html>not a pdf</html>", "cert.pdf")}, "invalid_file", "file", "not a PDF"),
        ({"file": upload(make_pdf(1, password="pw"), "cert.pdf")}, "invalid_file", "file", "password-protected"),
        ({"file": upload(b"", "cert.pdf")}, "invalid", "file", "empty"),
        ({"state": "QQ"}, "invalid", "state", "U.S. state"),
        ({"number": "n" * 10_000}, "invalid", "number", "at most 60 characters"),
        ({"expires_on": "2001-01-01"}, "invalid", "expires_on", "expired on"),
    ],
)
def test_certificate_upload_refusals(api, world, data, code, field, message):
    before = _state()
    payload = {"state": "FL", "number": "85-1", "file": upload(make_pdf(1), "cert.pdf"), **data}
    _error(api.post(f"{API}/tax-certificates/", payload, format="multipart"), 400, code, field, message)
    assert _state() == before


# --- member defaults ---


def test_admin_puts_and_gets_a_members_defaults(api, world):
    facility = FacilityFactory(agency=world.agency, name="Depot")
    code = FundCodeFactory(agency=world.agency, code="FC-9")
    url = f"{API}/members/{world.requester.pk}/defaults/"
    assert api.get(url).json()["facility"] is None
    response = api.put(url, {"facility": facility.pk, "fund_code": code.pk}, format="json")
    assert response.status_code == 200
    assert response.json() == {
        "user": world.requester.pk,
        "email": world.requester.email,
        "facility": facility.pk,
        "facility_name": "Depot",
        "fund_code": code.pk,
        "fund_code_code": "FC-9",
    }
    assert api.put(url, {}, format="json").json()["facility"] is None  # PUT replaces: missing clears


def test_member_defaults_of_another_agencys_user_is_404(api, world):
    _error(api.get(f"{API}/members/{world.other_requester.pk}/defaults/"), 404, "not_found")


def test_my_defaults_for_a_requester_and_refusals(world):
    client = APIClient()
    client.force_authenticate(world.requester)
    own = FacilityFactory(agency=world.agency)
    other = FacilityFactory(agency=world.other_agency)
    other_code = FundCodeFactory(agency=world.other_agency)
    url = f"{API}/me/defaults/"
    assert client.put(url, {"facility": own.pk}, format="json").json()["facility"] == own.pk
    before = _state()
    _error(client.put(url, {"facility": other.pk}, format="json"), 400, "invalid", "facility", "of this agency")
    _error(client.put(url, {"fund_code": other_code.pk}, format="json"), 400, "invalid", "fund_code", "of this agency")
    _error(client.put(url, {"facility": "x"}, format="json"), 400, "invalid", "facility", "valid integer")
    assert _state() == before
    # … and a requester cannot use the admin endpoints
    _error(client.get(f"{API}/members/{world.requester.pk}/defaults/"), 403, "permission_denied")
    _error(client.post(f"{API}/departments/", {"name": "Sneaky"}, format="json"), 403, "permission_denied")
    assert _state() == before
