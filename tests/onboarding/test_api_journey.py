"""Issue 9's first journey through the REST API only (the browser version is tests/browser/test_onboarding_journey.py):
a city applies (public, multipart with its evidence PDF), confirms its e-mail address with the code from the e-mail,
co-op staff ask for more information, the city answers from its status link, staff approve; the contact accepts the
admin invitation with an API token; the co-op's published membership agreement blocks checkout until the admin
accepts it through the agreements API; the admin invites a requester, who accepts and finds an item of a contract
available to the co-op in the agency's catalog API. Each step's state is checked, and the refusals on the way
(approve twice, accept the agreement twice, another account accepting an invitation, checkout before signing, a
requester signing) change nothing."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from agencies.models import Agency, AgreementAcceptance, ApplicationMessage, ApplicationStatus, JoinApplication
from contracts.catalog.search.words import search_words_refresh
from contracts.models import PriceChange, PriceChangeStatus
from marketplace.core.models import CoopMembership, Invitation, Membership, Organization, OutgoingEmail
from marketplace.core.services.tokens import api_token_create
from orders.models import PurchaseOrder, Requisition
from tests.agreements import helpers as agreement
from tests.factories import ContractFactory, UserFactory
from tests.onboarding.conftest import application_data, pdf_upload
from tests.search.conftest import make_item

pytestmark = pytest.mark.django_db

API = "/api/v1"
COOP = f"{API}/coops/alpha-coop"
JSON = "application/json"


def bearer(user) -> dict:
    """The headers of a signed-in API caller: a personal API token (no session, no MFA prompt)."""
    _token, secret = api_token_create(user=user, name="journey")
    return {"HTTP_AUTHORIZATION": f"Token {secret}"}


def last_email_body(address: str) -> str:
    return OutgoingEmail.objects.filter(to__contains=[address]).latest("pk").body


def invitation_secret(address: str) -> str:
    """The secret of the latest invitation link e-mailed to `address` (other e-mails may have come after it)."""
    for email in OutgoingEmail.objects.filter(to__contains=[address]).order_by("-pk"):
        found = re.search(r"/invitations/([^/\s]+)/", email.body)
        if found:
            return found.group(1)
    raise AssertionError(f"no invitation e-mailed to {address}")


def memberships(organization) -> list[tuple[str, str, bool]]:
    rows = Membership.objects.filter(organization=organization)
    return sorted(rows.values_list("user__email", "role", "is_active"))


def checkout_rows() -> tuple[int, int]:
    return Requisition.objects.count(), PurchaseOrder.objects.count()


@pytest.fixture
def catalog(world):
    """A contract of world.supplier made available to alpha-coop, with one priced item, and the co-op's current
    membership agreement (published before the city applies)."""
    contract = ContractFactory(cooperative=world.coop, supplier=world.supplier, number="AC-2026-09", slug="ac-2026-09")
    item = make_item(
        contract, "DUR-C12", "Duracell Procell C Alkaline Battery, 12-pack", manufacturer="Duracell", lp="24", cp="16"
    )
    PriceChange.objects.create(  # the applied price row an import would write (checkout prices from it)
        item=item,
        old_price=None,
        new_price=item.contract_price,
        new_list_price=item.list_price,
        status=PriceChangeStatus.APPLIED,
        effective_date=contract.term_start,
    )
    search_words_refresh()
    version = agreement.version(world.coop, label="2027-1", title="Interlocal cooperative purchasing agreement")
    return item, version


def test_a_city_applies_is_approved_signs_and_its_requester_finds_the_catalog_through_the_api(client, world, catalog):
    item, version = catalog
    staff = bearer(world.coop_staff)

    # 1. the city applies: public, no auth, multipart with its evidence PDF
    applied = client.post(f"{COOP}/applications/", {**application_data(), "evidence": pdf_upload()})
    assert applied.status_code == 201, applied.json()
    assert applied.json()["status"] == "submitted"
    assert applied.json()["confirmation_sent_to"] == "pat@mapleridge.gov"
    # the create answer gives the web status link and its API twin (the same secret)
    token = re.search(r"/join/status/([^/]+)/$", applied.json()["status_url"]).group(1)
    status_api = f"{API}/applications/status/{token}/"
    assert applied.json()["status_api_url"].endswith(status_api)
    assert client.get(status_api).json()["status"] == "submitted"
    assert client.get(f"{COOP}/applications/", **staff).json()["results"] == []  # not confirmed: not in the queue

    # 2. the applicant confirms the address with the code e-mailed to it (public endpoint)
    code = re.search(r"/confirm/([^/\s]+)/", last_email_body("pat@mapleridge.gov")).group(1)
    confirmed = client.post(status_api + "confirm/", {"code": code}, content_type=JSON)
    assert confirmed.status_code == 200, confirmed.json()
    assert confirmed.json()["status"] == "pending" and confirmed.json()["confirmed_at"]

    # 3. staff find it in the queue and ask for more information
    queue = client.get(f"{COOP}/applications/", **staff).json()["results"]
    assert [(a["legal_name"], a["status"]) for a in queue] == [("City of Maple Ridge", "pending")]
    one = f"{COOP}/applications/{queue[0]['id']}/"
    detail = client.get(one, **staff).json()
    assert detail["duplicates"] == [] and detail["evidence_pages"] == 1
    asked = client.post(one + "request-info/", {"message": "Who may sign for the city?"}, content_type=JSON, **staff)
    assert asked.status_code == 200, asked.json()
    assert asked.json()["status"] == "info_requested"

    # 4. the applicant reads the question and answers through the public status endpoint
    status = client.get(status_api).json()
    assert status["status"] == "info_requested"
    assert [(m["author_kind"], m["body"]) for m in status["messages"]] == [("staff", "Who may sign for the city?")]
    reply = client.post(status_api + "replies/", {"message": "The City Manager, under charter article IV."})
    assert reply.status_code == 201, reply.json()
    assert [m["author_kind"] for m in reply.json()["messages"]] == ["staff", "applicant"]
    assert [m["author_kind"] for m in client.get(one, **staff).json()["messages"]] == ["staff", "applicant"]

    # 5. staff approve: the agency, its active membership of alpha-coop, and the contact's admin invitation
    approved = client.post(one + "approve/", **staff)
    assert approved.status_code == 200, approved.json()
    assert approved.json()["invited"] == "pat@mapleridge.gov"
    assert approved.json()["application"]["status"] == "approved"
    agency = Organization.objects.get(slug=approved.json()["agency"])
    assert Agency.objects.get(organization=agency).email_domain == "mapleridge.gov"
    assert list(CoopMembership.objects.filter(agency=agency).values_list("cooperative__slug", "status")) == [
        ("alpha-coop", "active")
    ]
    assert list(Invitation.objects.filter(organization=agency).values_list("email", "roles")) == [
        ("pat@mapleridge.gov", ["agency_admin"])
    ]
    assert memberships(agency) == []  # nobody holds a role until the invitation is accepted

    # refusal: approving again is a 409 and changes nothing
    again = client.post(one + "approve/", **staff)
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_approved"
    assert JoinApplication.objects.get().status == ApplicationStatus.APPROVED
    assert Organization.objects.filter(name="City of Maple Ridge").count() == 1
    assert CoopMembership.objects.filter(agency=agency).count() == 1
    assert Invitation.objects.filter(email="pat@mapleridge.gov").count() == 1
    assert ApplicationMessage.objects.count() == 2
    assert client.get(status_api).json()["status"] == "approved"

    # 6. the contact accepts the invitation with an API token. Creating the account itself is not an API feature
    # (sign-up is allauth's web form), so the account is made directly with the invited address.
    pat = UserFactory(email="pat@mapleridge.gov")
    pat_api = bearer(pat)
    secret = invitation_secret("pat@mapleridge.gov")
    link = client.get(f"{API}/invitations/{secret}/").json()
    assert (link["organization_slug"], link["roles"], link["status"]) == (agency.slug, ["agency_admin"], "pending")

    # refusal: another account holding the link gains nothing
    mallory = UserFactory(email="mallory@example.test")
    stolen = client.post(f"{API}/invitations/{secret}/accept/", **bearer(mallory))
    assert stolen.status_code == 403 and stolen.json()["error"]["code"] == "wrong_account"
    assert memberships(agency) == [] and Invitation.objects.get(organization=agency).status == "pending"

    accepted = client.post(f"{API}/invitations/{secret}/accept/", **pat_api)
    assert accepted.status_code == 200, accepted.json()
    assert accepted.json()["status"] == "accepted"
    assert memberships(agency) == [("pat@mapleridge.gov", "agency_admin", True)]
    twice = client.post(f"{API}/invitations/{secret}/accept/", **pat_api)
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "already_accepted"
    assert memberships(agency) == [("pat@mapleridge.gov", "agency_admin", True)]

    # 7. the agreement is published but unsigned: the admin finds the item and puts it in the cart, and checkout
    # is refused with the documented `agreement_required`, ordering nothing
    base = f"{API}/agencies/{agency.slug}"
    found = client.get(f"{base}/catalog/items/?q=procell+c", **pat_api).json()
    assert [r["sku"] for r in found["results"]] == ["DUR-C12"]
    added = client.post(f"{base}/cart/lines/", {"item": item.pk, "quantity": 2}, content_type=JSON, **pat_api)
    assert added.status_code == 201, added.json()
    standing = client.get(f"{base}/agreements/", **pat_api).json()
    rows = [(s["cooperative"], s["state"], s["blocks_ordering"]) for s in standing]
    assert rows == [("alpha-coop", "unsigned", True)]
    assert standing[0]["current"]["id"] == version.pk
    blocked = client.post(f"{base}/checkout/", {}, content_type=JSON, **pat_api)
    assert blocked.status_code == 409, blocked.json()
    assert blocked.json()["error"]["code"] == "agreement_required"
    assert f"/agencies/{agency.slug}/agreement/" in blocked.json()["error"]["fields"]["agreement"][0]
    assert checkout_rows() == (0, 0)
    assert client.get(f"{base}/cart/lines/", **pat_api).json()["results"][0]["quantity"] == 2

    # 8. the admin accepts the agreement through the agreements API; a second acceptance is refused
    signature = {"signer_name": "Sam Manager", "signer_title": "City Manager", "authorized": True}
    signed = client.post(f"{base}/agreements/{version.pk}/accept/", signature, content_type=JSON, **pat_api)
    assert signed.status_code == 201, signed.json()
    assert (signed.json()["version_label"], signed.json()["signed_by"]) == ("2027-1", "pat@mapleridge.gov")
    resigned = client.post(f"{base}/agreements/{version.pk}/accept/", signature, content_type=JSON, **pat_api)
    assert resigned.status_code == 409 and resigned.json()["error"]["code"] == "already_accepted"
    assert AgreementAcceptance.objects.filter(agency=agency).count() == 1
    assert client.get(f"{base}/agreements/", **pat_api).json()[0]["state"] == "signed"

    # the block is lifted: with a ship-to facility and a fund code (set-up API) the same cart checks out
    facility = client.post(
        f"{base}/facilities/",
        {"name": "City Hall", "address": "1 Main St", "city": "Orlando", "state": "FL", "postal_code": "32801"},
        content_type=JSON,
        **pat_api,
    )
    assert facility.status_code == 201, facility.json()
    fund = client.post(f"{base}/fund-codes/", {"code": "100-OPS"}, content_type=JSON, **pat_api)
    assert fund.status_code == 201, fund.json()
    ordered = client.post(
        f"{base}/checkout/",
        {"facility": facility.json()["id"], "fund_code": fund.json()["id"]},
        content_type=JSON,
        **pat_api,
    )
    assert ordered.status_code == 201, ordered.json()
    assert checkout_rows() == (1, 1)
    assert Requisition.objects.get().agency == agency

    # 9. the admin invites a requester through the team API
    invited = client.post(
        f"{base}/invitations/", {"email": "robin@mapleridge.gov", "roles": ["requester"]}, content_type=JSON, **pat_api
    )
    assert invited.status_code == 201, invited.json()
    assert (invited.json()["email"], invited.json()["roles"], invited.json()["status"]) == (
        "robin@mapleridge.gov",
        ["requester"],
        "pending",
    )
    duplicate = client.post(
        f"{base}/invitations/", {"email": "robin@mapleridge.gov", "roles": ["requester"]}, content_type=JSON, **pat_api
    )
    assert duplicate.status_code == 409 and duplicate.json()["error"]["code"] == "already_invited"
    assert Invitation.objects.filter(email="robin@mapleridge.gov").count() == 1

    # 10. the requester (account made directly, as above) accepts with a token and searches the catalog
    robin = UserFactory(email="robin@mapleridge.gov")
    robin_api = bearer(robin)
    robin_secret = invitation_secret("robin@mapleridge.gov")
    assert client.post(f"{API}/invitations/{robin_secret}/accept/", **robin_api).status_code == 200
    assert memberships(agency) == [
        ("pat@mapleridge.gov", "agency_admin", True),
        ("robin@mapleridge.gov", "requester", True),
    ]
    hits = client.get(f"{base}/catalog/items/?q=procell+c", **robin_api)
    assert hits.status_code == 200, hits.json()
    results = hits.json()["results"]
    assert [(r["id"], r["name"], r["contract"]["number"]) for r in results] == [
        (item.pk, "Duracell Procell C Alkaline Battery, 12-pack", "AC-2026-09")
    ]
    assert Decimal(results[0]["contract_price"]) == Decimal("16.00")

    # refusal: a requester cannot sign (or re-sign) the agreement, and nothing changes
    not_admin = client.post(f"{base}/agreements/{version.pk}/accept/", signature, content_type=JSON, **robin_api)
    assert not_admin.status_code == 403 and "error" in not_admin.json()
    assert AgreementAcceptance.objects.filter(agency=agency).count() == 1
    # and the requester gains nothing in another agency
    assert client.get(f"{API}/agencies/{world.agency.slug}/catalog/items/?q=procell", **robin_api).status_code == 404
