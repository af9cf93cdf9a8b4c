"""Hostile input to the vetting pages and API (quotes, 10 KB strings, bad numbers and dates, wrong types): a 4xx with
the field named, never a 500, and nothing changes."""

from __future__ import annotations

import json

import pytest

from marketplace.core.models import AuditEvent, Organization
from suppliers.models import StoreLocation, Supplier
from suppliers.vetting.models import SupplierDocument
from tests.suppliers.conftest import pdf

pytestmark = pytest.mark.django_db

LONG = "x" * 10_240
STORE = {"name": "S", "address": "1 Main", "city": "Orlando", "state": "FL", "postal_code": "32801"}


def _state():
    return (
        Organization.objects.count(),
        list(Supplier.objects.values_list("pk", "legal_name", "ein", "vetting_status").order_by("pk")),
        SupplierDocument.objects.count(),
        StoreLocation.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("profile/", {"legal_name": LONG}),
        ("profile/", {"ein": "'; DROP TABLE x; --"}),
        ("profile/", {"ein": 12345}),
        ("profile/", {"order_desk_email": ["a@b.test"]}),
        ("profile/", {"website": "javascript:alert(1)"}),
        ("stores/", {**STORE, "latitude": "1e999", "longitude": "1"}),
        ("stores/", {**STORE, "latitude": "NaN", "longitude": "NaN"}),
        ("stores/", {**STORE, "service_radius_miles": 10**20}),
        ("stores/", {**STORE, "postal_code": LONG}),
        ("stores/", {**STORE, "state": "F'L"}),
        ("stores/", {**STORE, "name": LONG}),
    ],
)
def test_supplier_api_writes_refuse_hostile_json(client, world, path, body):
    client.force_login(world.supplier_admin)
    before = _state()
    method = client.patch if path == "profile/" else client.post
    response = method(f"/api/v1/suppliers/alpha-cells/{path}", json.dumps(body), content_type="application/json")
    assert 400 <= response.status_code < 500, response.content
    assert response.json()["error"]["fields"]
    assert _state() == before


@pytest.mark.parametrize(
    "fields",
    [
        {
            "kind": "coi",
            "general_liability": "1e99999",
            "auto_liability": "1",
            "workers_comp": "1",
            "expires_on": "2030-01-01",
        },
        {
            "kind": "coi",
            "general_liability": "NaN",
            "auto_liability": "1",
            "workers_comp": "1",
            "expires_on": "2030-01-01",
        },
        {
            "kind": "coi",
            "general_liability": "1",
            "auto_liability": "1",
            "workers_comp": "1",
            "expires_on": "2030-13-45",
        },
        {"kind": "cert", "certification_type": "small", "issuer": LONG},
        {"kind": "'\"<script>"},
    ],
)
def test_document_upload_refuses_hostile_fields_and_stores_nothing(client, world, fields):
    client.force_login(world.supplier_admin)
    before = _state()
    response = client.post("/api/v1/suppliers/alpha-cells/documents/", {**fields, "file": pdf()})
    assert response.status_code == 400, response.content
    assert _state() == before


@pytest.mark.parametrize(
    "data",
    [
        {"name": LONG, "admin_email": "a@b.test"},
        {"name": "Ok", "admin_email": LONG + "@b.test"},
        {"name": "Ok", "admin_email": "a@b.test", "message": LONG},
    ],
)
def test_invite_refuses_hostile_input_on_the_page(client, world, data):
    client.force_login(world.coop_staff)
    before = _state()
    response = client.post("/coops/alpha-coop/suppliers/", data)
    assert response.status_code == 400 and 'id="error-summary"' in response.content.decode()
    assert _state() == before


def test_store_form_refuses_bad_numbers_on_the_page(client, world):
    client.force_login(world.supplier_admin)
    before = _state()
    response = client.post(
        "/suppliers/alpha-cells/profile/stores/", {**STORE, "latitude": "abc", "service_radius_miles": "9" * 30}
    )
    assert response.status_code == 400 and 'id="error-summary"' in response.content.decode()
    assert _state() == before
