"""`seed_demo` builds the demo world and is idempotent."""

import pytest
from django.core.management import call_command

from agencies.agreements.selectors import current_agreement
from agencies.models import AgreementAcceptance, Facility, JoinApplication
from contracts.models import Contract
from marketplace.core.dates import organization_today
from marketplace.core.models import CoopMembership, Membership, Organization, User
from marketplace.demo.data import DEMO_PASSWORD
from suppliers.models import StoreLocation, Supplier, SupplierDocument

pytestmark = pytest.mark.django_db


def _counts():
    return [
        m.objects.count() for m in (Organization, User, Membership, CoopMembership, Facility, StoreLocation, Contract)
    ]


def test_seed_demo_is_idempotent_and_keeps_changed_passwords(capsys):
    call_command("seed_demo")
    first = _counts()
    buyer = User.objects.get(email="buyer@maple-ridge.test")
    buyer.set_password("changed-by-the-user-1")
    buyer.save()

    call_command("seed_demo")

    assert _counts() == first
    buyer.refresh_from_db()
    assert buyer.check_password("changed-by-the-user-1")
    assert "buyer@maple-ridge.test" in capsys.readouterr().out


def test_seed_demo_builds_a_believable_world():
    call_command("seed_demo", "--quiet-logins")

    kinds = sorted(Organization.objects.values_list("kind", flat=True))
    assert kinds.count("agency") >= 3 and kinds.count("cooperative") == 1 and kinds.count("supplier") == 2
    agencies = Organization.objects.filter(kind="agency").select_related("agency_profile")
    assert len({a.agency_profile.agency_type for a in agencies}) >= 3
    assert len({a.agency_profile.state for a in agencies}) >= 3
    contract = Contract.objects.get(number="GAPPC-2026-017")
    assert contract.status == "active" and contract.min_discount_percent == 30
    assert contract.lead_agency.slug == "city-of-maple-ridge"
    assert StoreLocation.objects.filter(supplier=contract.supplier, locally_owned=True).count() >= 3
    for role in ["requester", "approver", "agency_admin", "finance", "catalog_manager", "order_desk", "coop_staff"]:
        assert Membership.objects.filter(role=role).exists(), role
    user = User.objects.get(email="staff@gulf-atlantic-coop.test")
    assert user.check_password(DEMO_PASSWORD)
    assert user.emailaddress_set.get().verified


def test_demo_buyer_sees_the_contract_on_their_home_page(client):
    call_command("seed_demo", "--quiet-logins")
    client.force_login(User.objects.get(email="buyer@maple-ridge.test"))

    html = client.get("/", follow=True).content.decode()

    assert "GAPPC-2026-017" in html and "BrightCell Batteries + Bulbs" in html and "Public Works Fleet Garage" in html


def test_applicant_agency_sees_no_contracts_yet(client):
    call_command("seed_demo", "--quiet-logins")
    client.force_login(User.objects.get(email="admin@cedar-falls-water.test"))

    html = client.get("/", follow=True).content.decode()

    assert "GAPPC-2026-017" not in html
    assert "needs an active co-op membership" in html


def test_demo_onboarding_has_work_waiting_for_each_side():
    call_command("seed_demo", "--quiet-logins")
    call_command("seed_demo", "--quiet-logins")  # twice: nothing is added the second time

    coop = Organization.objects.get(slug="gulf-atlantic-coop")
    statuses = dict(JoinApplication.objects.filter(cooperative=coop).values_list("legal_name", "status"))
    assert statuses == {"Town of Lake Alder": "pending", "Osprey Bay Fire Control District": "info_requested"}
    question = JoinApplication.objects.get(legal_name="Osprey Bay Fire Control District").messages.get()
    assert "special act or ordinance" in question.body

    invited = Supplier.objects.get(organization__name="Sunrise Solar & Lighting")
    assert invited.vetting_status == "submitted"
    waiting = SupplierDocument.objects.filter(supplier=invited.organization, status="pending")
    assert sorted(waiting.values_list("kind", flat=True)) == ["coi", "w9"]
    assert Membership.objects.filter(user__email="admin@sunrise-solar.test", role="supplier_admin").exists()

    brightcell = Organization.objects.get(slug="brightcell")
    expiring = SupplierDocument.objects.get(supplier=brightcell, kind="cert", status="verified")
    assert 0 < (expiring.expires_on - organization_today(brightcell)).days <= 30

    version = current_agreement(cooperative=coop)
    active = CoopMembership.objects.filter(cooperative=coop, status="active").values_list("agency_id", flat=True)
    signed = AgreementAcceptance.objects.filter(version=version).values_list("agency_id", "pdf_status")
    assert sorted(signed) == sorted((agency_id, "ready") for agency_id in active)
