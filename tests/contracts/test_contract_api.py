"""Co-op contracts API and the public contracts API."""

from __future__ import annotations

import pytest

from contracts.models import Contract
from contracts.services.documents import contract_document_upload
from marketplace.core.models import AuditEvent
from tests.contracts.conftest import make_pdf, upload
from tests.factories import ContractFactory

pytestmark = pytest.mark.django_db

BASE = "/api/v1/coops/alpha-coop/contracts/"
PAYLOAD = {
    "number": "API-1",
    "title": "UPS batteries",
    "supplier": "alpha-cells",
    "lead_agency": "city-of-alpha",
    "solicitation_number": "RFP 9",
    "solicitation_method": "RFP",
    "solicitation_issued_on": "2025-01-10",
    "solicitation_closed_on": "2025-02-10",
    "evaluation_summary": "Scored on price and service.",
    "award_date": "2025-03-01",
    "term_start": "2025-04-01",
    "term_end": "2028-03-31",
    "pricing_basis": "min_discount",
    "min_discount_percent": "30",
    "admin_fee_percent": "2",
    "states": ["fl"],
    "available_to": ["beta-coop"],
}


def test_create_retrieve_update_publish(client, world):
    client.force_login(world.coop_staff)
    response = client.post(BASE, PAYLOAD, content_type="application/json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft" and body["slug"] == "api-1"
    assert body["admin_fee_percent"] == "2" and body["admin_fee_rate"] == "0.0200"
    assert {c["slug"] for c in body["available_to"]} == {"alpha-coop", "beta-coop"}

    by_id = client.get(f"{BASE}{body['id']}/").json()
    assert by_id["number"] == "API-1"

    response = client.patch(f"{BASE}api-1/", {"title": "UPS and lighting"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["title"] == "UPS and lighting"

    response = client.post(f"{BASE}api-1/transition/", {"to": "active"}, content_type="application/json")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "not_ready"
    assert "a signed contract document" in response.json()["error"]["message"]

    contract = Contract.objects.get(number="API-1")
    contract_document_upload(
        contract=contract, actor=world.coop_staff, kind="signed_contract", title="Signed", file=upload(make_pdf())
    )
    response = client.post(f"{BASE}api-1/transition/", {"to": "active"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "active"


def test_validation_errors_use_the_error_shape_and_change_nothing(client, world):
    client.force_login(world.coop_staff)
    bad = {**PAYLOAD, "term_end": "2024-01-01", "states": ["FL", "XY"], "admin_fee_percent": "25"}
    response = client.post(BASE, bad, content_type="application/json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert set(error["fields"]) == {"term_end", "award_date", "states", "admin_fee_percent"}
    assert "Unknown state code: XY" in error["fields"]["states"][0]
    assert not Contract.objects.exists()

    response = client.post(BASE, {**PAYLOAD, "supplier": "no-such"}, content_type="application/json")
    assert response.status_code == 400 and "supplier" in response.json()["error"]["fields"]


def test_duplicate_number_refused(client, world, draft):
    client.force_login(world.coop_staff)
    response = client.post(BASE, {**PAYLOAD, "number": draft.number}, content_type="application/json")
    assert response.status_code == 400
    assert "already in use" in response.json()["error"]["fields"]["number"][0]
    assert Contract.objects.count() == 1


def test_other_coops_contract_is_404_and_unchanged(client, world):
    theirs = ContractFactory(cooperative=world.other_coop, supplier=world.supplier, status="draft")
    client.force_login(world.coop_admin)
    assert client.get(f"{BASE}{theirs.slug}/").status_code == 404
    assert client.patch(f"{BASE}{theirs.slug}/", {"title": "x"}, content_type="application/json").status_code == 404
    theirs.refresh_from_db()
    assert theirs.title == "Batteries and lighting"


def test_terminate_through_api_requires_reason(client, world):
    contract = ContractFactory(cooperative=world.coop, supplier=world.supplier)
    client.force_login(world.coop_admin)
    url = f"{BASE}{contract.slug}/transition/"
    response = client.post(url, {"to": "terminated"}, content_type="application/json")
    assert response.status_code == 400 and "reason" in response.json()["error"]["fields"]
    contract.refresh_from_db()
    assert contract.status == "active"
    assert not AuditEvent.objects.filter(action="contract.terminated").exists()


def test_public_api_lists_only_published_contracts_without_login(client, world, draft):
    active = ContractFactory(cooperative=world.coop, supplier=world.supplier, lead_agency=world.agency)
    contract_document_upload(
        contract=active, actor=world.coop_staff, kind="award_letter", title="Award", file=upload(make_pdf())
    )
    contract_document_upload(
        contract=active,
        actor=world.coop_staff,
        kind="other",
        title="Internal",
        file=upload(make_pdf()),
        is_public=False,
    )
    listing = client.get("/api/v1/contracts/")
    assert listing.status_code == 200
    assert [c["number"] for c in listing.json()["results"]] == [active.number]
    assert client.get(f"/api/v1/contracts/{draft.slug}/").status_code == 404
    detail = client.get(f"/api/v1/contracts/{active.slug}/").json()
    assert detail["lead_agency"]["name"] == "City of Alpha"
    assert [d["title"] for d in detail["documents"]] == ["Award"]
    assert detail["documents"][0]["download_url"].startswith(f"/contracts/{active.slug}/documents/")
    assert "admin_fee_rate" not in detail and "available_to" not in detail


def test_schema_documents_the_contract_endpoints(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    for path in (
        "/api/v1/coops/{org}/contracts/",
        "/api/v1/coops/{org}/contracts/{contract}/transition/",
        "/api/v1/coops/{org}/contracts/{contract}/documents/",
        "/api/v1/contracts/{contract}/",
    ):
        assert path in schema
    assert "ContractInput" in schema and "DocumentUploadInput" in schema
