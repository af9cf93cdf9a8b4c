"""What the reviewer sees beside an application: possible duplicates (same domain, similar names by pg_trgm) and
hints about the domain and the addresses."""

from __future__ import annotations

import pytest

from agencies.models import Agency
from agencies.onboarding import selectors, services
from agencies.onboarding.selectors import official_domain
from tests.onboarding.conftest import confirm_code, submit, submit_and_confirm

pytestmark = pytest.mark.django_db


def test_a_member_with_a_similar_name_is_flagged(world):
    Agency.objects.filter(organization=world.agency).update(email_domain="alpha.gov")
    application = submit_and_confirm(world.coop, legal_name="City of Alpha Florida", email_domain="alphafl.org")
    duplicates = selectors.application_duplicates(application=application)
    assert [(d.name, d.what) for d in duplicates] == [("City of Alpha", "member agency")]
    assert duplicates[0].why.startswith("similar name (")


def test_a_member_with_the_same_domain_is_flagged(world, pending):
    # the member joined after the application was made (say, by the bulk import)
    Agency.objects.filter(organization=world.agency).update(email_domain="mapleridge.gov")
    duplicates = selectors.application_duplicates(application=pending)
    assert ("City of Alpha", "member agency", "same e-mail domain (mapleridge.gov)") in [
        (d.name, d.what, d.why) for d in duplicates
    ]


def test_other_applications_with_the_domain_or_a_similar_name_are_flagged(world):
    pending = submit(world.coop)
    twin = submit(world.coop, contact_email="lee@mapleridge.gov")  # unconfirmed, same domain, sent meanwhile
    pending = services.application_confirm(token=services.status_token(pending), code=confirm_code(pending))
    similar = submit(world.coop, legal_name="Maple Ridge City", email_domain="mrcity.us", contact_email="a@mrcity.us")
    unrelated = submit(
        world.coop, legal_name="Orange County Schools", email_domain="ocps.net", contact_email="b@ocps.net"
    )
    found = {d.name: d for d in selectors.application_duplicates(application=pending)}
    assert found["City of Maple Ridge"].why == "same e-mail domain"  # the twin
    assert found["City of Maple Ridge"].url.endswith(f"/{twin.public_id}/")
    assert found["Maple Ridge City"].why.startswith("similar name")
    assert "Orange County Schools" not in found
    assert unrelated and similar


def test_another_coops_members_and_applications_are_not_shown(world, pending):
    Agency.objects.filter(organization=world.other_agency).update(email_domain="mapleridge.gov")
    submit(world.other_coop, email_domain="mapleridge.us", contact_email="clerk@mapleridge.us")
    assert selectors.application_duplicates(application=pending) == []


@pytest.mark.parametrize(
    "domain,state,official",
    [
        ("mapleridge.gov", "FL", True),
        ("lake.k12.fl.us", "FL", True),
        ("ci.maple-ridge.fl.us", "FL", True),
        ("mapleridge.org", "FL", False),
        ("gmail.com", "FL", False),
        ("notgov.com", "FL", False),
    ],
)
def test_official_domains(domain, state, official):
    assert bool(official_domain(domain, state)) is official


def test_hints_check_the_contact_signer_and_website(world):
    application = submit_and_confirm(
        world.coop,
        email_domain="mapleridge.org",
        contact_email="pat.buyer@gmail.com",
        signer_email="sam@hall.mapleridge.org",
        website="https://maple-ridge.com",
    )
    hints = [(h.good, h.text) for h in selectors.application_hints(application=application)]
    assert hints[0] == (False, "mapleridge.org is not a .gov, .us or k12 domain: check the evidence of public status.")
    assert (False, "Primary contact's e-mail (pat.buyer@gmail.com) is not on mapleridge.org.") in hints
    assert (True, "Signer's e-mail (sam@hall.mapleridge.org) is on the entity's domain.") in hints
    assert (False, "The website (maple-ridge.com) is not on mapleridge.org.") in hints


def test_domain_matching():
    assert services.domain_matches("police.mapleridge.gov", "mapleridge.gov")
    assert services.domain_matches("www.mapleridge.gov", "mapleridge.gov")
    assert not services.domain_matches("evilmapleridge.gov", "mapleridge.gov")


def test_the_agency_an_approval_created_is_not_its_duplicate(world, pending):
    services.application_approve(application=pending, actor=world.coop_admin)
    pending.refresh_from_db()
    assert selectors.application_duplicates(application=pending) == []
