"""Issue 9's second journey through the REST API only (the browser version is tests/browser/test_vetting_journey.py):
co-op staff invite a supplier; its admin accepts the invitation with an API token, completes the profile, uploads a
W-9 and a certificate of insurance (multipart), adds a store (coordinates from the ZIP's centre) and submits; staff
verify the documents and the supplier and publish its draft contract (refused while the supplier is unverified); an
agency of the co-op finds the item in its catalog API; the expiry sweep, with the calendar moved past the insurance's
end, suspends the supplier (the item is gone from the agency's catalog, the profile API says why); a new certificate
uploaded and verified through the API restores the item. Refusals on the way change nothing."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings

from contracts.models import Contract
from marketplace.core.models import Invitation, Membership, Organization, OutgoingEmail
from marketplace.core.services.tokens import api_token_create
from orders.models import Requisition
from suppliers.models import Supplier
from suppliers.vetting.models import SupplierDocument
from suppliers.vetting.services import supplier_expiry_sweep
from tests.factories import UserFactory
from tests.orders.factories import priced_item
from tests.suppliers.conftest import COI, pdf

pytestmark = pytest.mark.django_db

API = "/api/v1"
COOP = f"{API}/coops/alpha-coop"
JSON = "application/json"
COI_ENDS = date(2027, 6, 30)


def bearer(user) -> dict:
    """The headers of a signed-in API caller: a personal API token (no session, no MFA prompt)."""
    _token, secret = api_token_create(user=user, name="journey")
    return {"HTTP_AUTHORIZATION": f"Token {secret}"}


def invitation_secret(address: str) -> str:
    for email in OutgoingEmail.objects.filter(to__contains=[address]).order_by("-pk"):
        found = re.search(r"/invitations/([^/\s]+)/", email.body)
        if found:
            return found.group(1)
    raise AssertionError(f"no invitation e-mailed to {address}")


def skus(client, headers, q: str) -> list[str]:
    response = client.get(f"{API}/agencies/city-of-alpha/catalog/items/?q={q}", **headers)
    assert response.status_code == 200, response.json()
    return [row["sku"] for row in response.json()["results"]]


def vetting(supplier_org) -> tuple[str, str]:
    profile = Supplier.objects.get(organization=supplier_org)
    return profile.vetting_status, profile.suspension_reason


def documents(supplier_org) -> list[tuple[str, str, date | None]]:
    rows = SupplierDocument.objects.filter(supplier=supplier_org).order_by("pk")
    return list(rows.values_list("kind", "status", "expires_on"))


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file())


def test_a_supplier_is_invited_vetted_published_suspended_and_restored_through_the_api(client, world):
    staff = bearer(world.coop_staff)
    buyer = bearer(world.requester)

    # 1. co-op staff invite the supplier
    invited = client.post(
        f"{COOP}/suppliers/", {"name": "Volt & Beam", "admin_email": "owner@voltbeam.test"}, content_type=JSON, **staff
    )
    assert invited.status_code == 201, invited.json()
    slug = invited.json()["supplier"]["supplier"]
    assert (slug, invited.json()["supplier"]["vetting_status"]) == ("volt-beam", "invited")
    assert invited.json()["invitation_email"] == "owner@voltbeam.test"
    org = Organization.objects.get(slug=slug)
    assert list(Invitation.objects.filter(organization=org).values_list("email", "roles")) == [
        ("owner@voltbeam.test", ["supplier_admin"])
    ]
    listed = client.get(f"{COOP}/suppliers/", **staff).json()["results"]
    assert [(r["supplier"], r["vetting_status"]) for r in listed if r["supplier"] == slug] == [(slug, "invited")]

    # 2. the supplier's admin accepts with an API token. Creating the account is not an API feature (sign-up is
    # allauth's web form), so the account is made directly with the invited address.
    owner = UserFactory(email="owner@voltbeam.test")
    owner_api = bearer(owner)
    secret = invitation_secret("owner@voltbeam.test")
    accepted = client.post(f"{API}/invitations/{secret}/accept/", **owner_api)
    assert accepted.status_code == 200, accepted.json()
    assert list(Membership.objects.filter(user=owner).values_list("organization__slug", "role", "is_active")) == [
        (slug, "supplier_admin", True)
    ]

    # 3. the profile, the W-9 and the certificate of insurance, a store, then submit
    base = f"{API}/suppliers/{slug}"
    before = client.get(f"{base}/profile/", **owner_api).json()
    assert before["vetting_status"] == "invited" and "a W-9" in before["missing"]
    bad_ein = client.patch(f"{base}/profile/", {"ein": "12-34567"}, content_type=JSON, **owner_api)
    assert bad_ein.status_code == 400 and "ein" in bad_ein.json()["error"]["fields"]
    assert Supplier.objects.get(organization=org).ein == ""
    profile = client.patch(
        f"{base}/profile/",
        {
            "legal_name": "Volt & Beam LLC",
            "ein": "12-3456789",
            "remit_to": "PO Box 12, Orlando, FL 32801",
            "order_desk_email": "orders@voltbeam.test",
        },
        content_type=JSON,
        **owner_api,
    )
    assert profile.status_code == 200, profile.json()
    assert profile.json()["ein"] == "**-***6789" and "12-3456789" not in profile.content.decode()

    w9 = client.post(f"{base}/documents/", {"kind": "w9", "file": pdf("w9.pdf")}, **owner_api)
    assert w9.status_code == 201, w9.json()
    coi_fields = {"kind": "coi", **COI, "effective_on": "2026-07-01", "expires_on": COI_ENDS.isoformat()}
    coi = client.post(f"{base}/documents/", {**coi_fields, "file": pdf("coi.pdf")}, **owner_api)
    assert coi.status_code == 201, coi.json()
    assert (coi.json()["status"], coi.json()["expires_on"]) == ("pending", "2027-06-30")
    assert documents(org) == [("w9", "pending", None), ("coi", "pending", COI_ENDS)]

    store = client.post(
        f"{base}/stores/",
        {
            "name": "Volt & Beam Orlando",
            "address": "100 Orange Ave",
            "city": "Orlando",
            "state": "FL",
            "postal_code": "32801",
        },
        content_type=JSON,
        **owner_api,
    )
    assert store.status_code == 201, store.json()
    assert (store.json()["latitude"], store.json()["longitude"]) == ("28.539900", "-81.372700")
    assert client.get(f"{base}/profile/", **owner_api).json()["missing"] == []

    submitted = client.post(f"{base}/profile/submit/", **owner_api)
    assert submitted.status_code == 200, submitted.json()
    assert vetting(org) == ("submitted", "")

    # 4. its contract is drafted while the supplier is being vetted (awarded first, vetted after), with an item
    terms = {
        "number": "VB-2026-01",
        "title": "Lamps and fixtures",
        "supplier": slug,
        "term_start": "2026-01-01",
        "term_end": "2029-01-01",
        "solicitation_number": "RFP-26-9",
        "solicitation_method": "RFP",
        "solicitation_issued_on": "2026-01-05",
        "solicitation_closed_on": "2026-02-05",
        "evaluation_summary": "Best value of four proposals",
        "award_date": "2026-03-01",
        "min_discount_percent": "25.0",
    }
    drafted = client.post(f"{COOP}/contracts/", terms, content_type=JSON, **staff)
    assert drafted.status_code == 201, drafted.json()
    contract = Contract.objects.get(supplier=org)
    assert contract.status == "draft"
    assert [c.slug for c in contract.available_to.all()] == ["alpha-coop"]
    item = priced_item(contract=contract, sku="VB-LAMP-1")
    signed_copy = client.post(
        f"{COOP}/contracts/{contract.slug}/documents/",
        {"kind": "signed_contract", "title": "Signed contract", "file": pdf("signed.pdf")},
        **staff,
    )
    assert signed_copy.status_code == 201, signed_copy.json()
    publish = f"{COOP}/contracts/{contract.slug}/transition/"

    # refusal: publishing is refused while the supplier is unverified
    early = client.post(publish, {"to": "active"}, content_type=JSON, **staff)
    assert early.status_code == 409 and early.json()["error"]["code"] == "not_ready"
    assert early.json()["error"]["message"] == "Cannot publish yet. Missing: a verified supplier."
    assert Contract.objects.get(pk=contract.pk).status == "draft"
    assert skus(client, buyer, "VB-LAMP-1") == []

    # 5. staff verify: refused until the documents are verified, then the documents, then the supplier
    staff_base = f"{COOP}/suppliers/{slug}"
    not_yet = client.post(f"{staff_base}/verify/", **staff)
    assert not_yet.status_code == 409 and not_yet.json()["error"]["code"] == "not_ready"
    assert vetting(org) == ("submitted", "")
    detail = client.get(f"{staff_base}/", **staff).json()
    assert detail["profile"]["pending_documents"] == 2 and len(detail["stores"]) == 1
    for document in detail["documents"]:
        reviewed = client.post(f"{staff_base}/documents/{document['id']}/verify/", **staff)
        assert reviewed.status_code == 200 and reviewed.json()["status"] == "verified"
    verified = client.post(f"{staff_base}/verify/", **staff)
    assert verified.status_code == 200, verified.json()
    assert verified.json()["profile"]["vetting_status"] == "verified"
    assert verified.json()["profile"]["insurance_expires_on"] == "2027-06-30"
    assert vetting(org) == ("verified", "")

    # 6. publishing is accepted now; the agency finds the item
    published = client.post(publish, {"to": "active"}, content_type=JSON, **staff)
    assert published.status_code == 200, published.json()
    assert published.json()["status"] == "active"
    assert Contract.objects.get(pk=contract.pk).status == "active"
    assert skus(client, buyer, "VB-LAMP-1") == ["VB-LAMP-1"]
    item_url = f"{API}/agencies/city-of-alpha/catalog/items/{item.pk}/"
    assert client.get(item_url, **buyer).status_code == 200
    cart = f"{API}/agencies/city-of-alpha/cart/lines/"
    line = client.post(cart, {"item": item.pk, "quantity": 3}, content_type=JSON, **buyer)
    assert line.status_code == 201, line.json()

    # 7. the calendar moves past the insurance's end: the sweep suspends the supplier
    assert supplier_expiry_sweep(today=date(2027, 7, 1))["suspended"] == 1
    status, reason = vetting(org)
    assert status == "suspended" and "expired on Jun 30, 2027" in reason
    assert skus(client, buyer, "VB-LAMP-1") == []
    assert client.get(item_url, **buyer).status_code == 404
    # the line already in the buyer's cart cannot be checked out (every problem is listed; nothing is ordered)
    refused = client.post(f"{API}/agencies/city-of-alpha/checkout/", {}, content_type=JSON, **buyer)
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "checkout_invalid"
    line_problem = refused.json()["error"]["fields"][f"lines.{line.json()['id']}.contract"][0]
    assert "Volt & Beam is suspended on the marketplace" in line_problem
    assert not Requisition.objects.exists()
    own = client.get(f"{base}/profile/", **owner_api).json()
    assert (own["vetting_status"], own["suspension_reason"]) == ("suspended", reason)
    assert client.get(f"{staff_base}/", **staff).json()["profile"]["suspension_reason"] == reason
    assert supplier_expiry_sweep(today=date(2027, 7, 1))["suspended"] == 0  # idempotent

    # refusal: a file that is not a PDF is refused and nothing is stored; the suspension stands
    files = stored_files()
    junk = client.post(
        f"{base}/documents/", {**coi_fields, "expires_on": "2028-06-30", "file": pdf("x.pdf", b"no")}, **owner_api
    )
    assert junk.status_code == 400 and junk.json()["error"]["code"] == "invalid_file"
    assert len(documents(org)) == 2 and vetting(org)[0] == "suspended" and stored_files() == files

    # 8. a new certificate uploaded through the API; the item stays hidden until staff verify it
    renewed = client.post(
        f"{base}/documents/", {**coi_fields, "expires_on": "2028-06-30", "file": pdf("coi-2028.pdf")}, **owner_api
    )
    assert renewed.status_code == 201, renewed.json()
    assert vetting(org)[0] == "suspended" and skus(client, buyer, "VB-LAMP-1") == []
    # refusal: another co-op's admin cannot reach this supplier's documents (404) and nothing changes
    stranger = f"{API}/coops/beta-coop/suppliers/{slug}/documents/{renewed.json()['id']}/verify/"
    assert client.post(stranger, **bearer(world.other_coop_admin)).status_code == 404
    assert documents(org)[-1] == ("coi", "pending", date(2028, 6, 30)) and vetting(org)[0] == "suspended"
    reviewed = client.post(f"{staff_base}/documents/{renewed.json()['id']}/verify/", **staff)
    assert reviewed.status_code == 200, reviewed.json()
    # refusal: verifying it a second time is a 409 and changes nothing
    twice = client.post(f"{staff_base}/documents/{renewed.json()['id']}/verify/", **staff)
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "not_pending"

    assert vetting(org) == ("verified", "")
    restored = client.get(f"{base}/profile/", **owner_api).json()
    assert (restored["vetting_status"], restored["suspension_reason"]) == ("verified", "")
    assert restored["insurance_expires_on"] == "2028-06-30"
    assert documents(org) == [
        ("w9", "verified", None),
        ("coi", "verified", COI_ENDS),
        ("coi", "verified", date(2028, 6, 30)),
    ]
    assert skus(client, buyer, "VB-LAMP-1") == ["VB-LAMP-1"]
    assert client.get(item_url, **buyer).status_code == 200
