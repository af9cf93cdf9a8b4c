"""The vetting API end to end: the supplier completes its profile, uploads documents (multipart) and stores, and
submits; co-op staff list, verify documents and the supplier, or send it back. Errors in the documented shape."""

from __future__ import annotations

import pytest

from marketplace.core.models import Organization
from suppliers.models import Supplier
from suppliers.vetting.models import SupplierDocument
from tests.suppliers.conftest import COI, pdf

pytestmark = pytest.mark.django_db


def test_invite_through_the_api(client, world):
    client.force_login(world.coop_staff)
    response = client.post(
        "/api/v1/coops/alpha-coop/suppliers/",
        {"name": "Volt & Beam", "admin_email": "owner@voltbeam.test"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["supplier"]["supplier"] == "volt-beam"
    assert response.json()["invitation_email"] == "owner@voltbeam.test"
    listed = client.get("/api/v1/coops/alpha-coop/suppliers/").json()
    assert [row["supplier"] for row in listed["results"]] == ["volt-beam"]


def test_invite_refusal_is_the_error_shape_and_changes_nothing(client, world):
    client.force_login(world.coop_staff)
    count = Organization.objects.count()
    response = client.post(
        "/api/v1/coops/alpha-coop/suppliers/", {"name": "X", "admin_email": "nope"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid" and "admin_email" in response.json()["error"]["fields"]
    assert Organization.objects.count() == count


def test_supplier_completes_submits_and_staff_verify(client, world, invited):
    org = invited.organization
    client.force_login(invited.admin)
    base = f"/api/v1/suppliers/{org.slug}"
    response = client.patch(
        f"{base}/profile/",
        {"legal_name": "Volt & Beam LLC", "ein": "12-3456789", "remit_to": "PO Box 1"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["ein"] == "**-***6789" and "12-3456789" not in response.content.decode()
    assert "a W-9" in response.json()["missing"]
    bad = client.patch(f"{base}/profile/", {"ein": "123"}, content_type="application/json")
    assert bad.status_code == 400 and "ein" in bad.json()["error"]["fields"]

    assert client.post(f"{base}/documents/", {"kind": "w9", "file": pdf("w9.pdf")}).status_code == 201
    refused = client.post(
        f"{base}/documents/", {"kind": "coi", **COI, "expires_on": "2027-06-30", "file": pdf("x.pdf", b"no")}
    )
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "invalid_file"
    coi = client.post(f"{base}/documents/", {"kind": "coi", **COI, "expires_on": "2027-06-30", "file": pdf("coi.pdf")})
    assert coi.status_code == 201 and coi.json()["general_liability"] == "1000000.00"
    assert len(client.get(f"{base}/documents/").json()["results"]) == 2

    store = client.post(
        f"{base}/stores/",
        {"name": "Downtown", "address": "1 Main", "city": "Orlando", "state": "FL", "postal_code": "32801"},
        content_type="application/json",
    )
    assert store.status_code == 201 and store.json()["latitude"] == "28.539900"
    unknown = client.patch(
        f"{base}/stores/{store.json()['id']}/", {"postal_code": "00000"}, content_type="application/json"
    )
    assert (
        unknown.status_code == 400
        and "not a known U.S. ZIP code" in unknown.json()["error"]["fields"]["postal_code"][0]
    )

    submitted = client.post(f"{base}/profile/submit/")
    assert submitted.status_code == 200 and submitted.json()["vetting_status"] == "submitted"

    client.force_login(world.coop_staff)
    staff = f"/api/v1/coops/alpha-coop/suppliers/{org.slug}"
    not_yet = client.post(f"{staff}/verify/")
    assert not_yet.status_code == 409 and not_yet.json()["error"]["code"] == "not_ready"
    for document in SupplierDocument.objects.filter(supplier=org):
        assert client.post(f"{staff}/documents/{document.pk}/verify/").json()["status"] == "verified"
    detail = client.post(f"{staff}/verify/")
    assert detail.status_code == 200 and detail.json()["profile"]["vetting_status"] == "verified"
    assert Supplier.objects.get(pk=invited.pk).vetting_status == "verified"


def test_send_back_needs_comments(client, world, invited):
    Supplier.objects.filter(pk=invited.pk).update(vetting_status="submitted")
    client.force_login(world.coop_staff)
    staff = f"/api/v1/coops/alpha-coop/suppliers/{invited.organization.slug}"
    empty = client.post(f"{staff}/send-back/", {"comments": "  "}, content_type="application/json")
    assert empty.status_code == 400
    response = client.post(f"{staff}/send-back/", {"comments": "Sign the W-9"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["profile"]["changes_requested"] is True


def test_a_coop_that_does_not_vet_the_supplier_gets_404(client, world, invited):
    client.force_login(world.other_coop_admin)
    assert client.get(f"/api/v1/coops/beta-coop/suppliers/{invited.organization.slug}/").status_code == 404
    assert client.get("/api/v1/coops/beta-coop/suppliers/").json()["results"] == []


def test_another_suppliers_document_and_store_through_our_url_are_404(client, world, invited, make_member):
    other = SupplierDocument.objects.create(supplier=world.supplier, kind="w9", original_name="theirs.pdf")
    client.force_login(invited.admin)
    org = invited.organization.slug
    assert client.get(f"/suppliers/{org}/profile/documents/{other.pk}/").status_code == 404
    from tests.factories import StoreLocationFactory

    store = StoreLocationFactory(supplier=world.supplier)
    assert client.get(f"/api/v1/suppliers/{org}/stores/{store.pk}/").status_code == 404
    assert client.get(f"/suppliers/{org}/profile/stores/{store.pk}/").status_code == 404
