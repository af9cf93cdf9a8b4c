"""Issue 9's first journey, end to end in one browser: a city that has never heard of the co-op applies, co-op staff
ask for more information, the city answers, staff approve; the city's contact accepts the invitation by signing up,
enrols two-factor sign-in because the new agency's policy requires it of admins, signs the membership agreement and
invites a requester, who signs up, accepts and finds the co-op's catalog."""

from __future__ import annotations

import re

from allauth.mfa.models import Authenticator
from playwright.sync_api import expect

from agencies.models import Agency, AgreementAcceptance, ApplicationStatus, JoinApplication
from marketplace.core.models import Membership, Organization, OutgoingEmail
from tests.agreements import helpers as agreement
from tests.browser.invitations import sign_up_and_accept
from tests.browser.test_join_journey import _fill_application
from tests.browser.test_mfa import fresh_totp
from tests.factories import ContractFactory
from tests.search.conftest import make_item

ADMIN_PASSWORD = "Pat-buys-for-Maple-Ridge-2026"
REQUESTER_PASSWORD = "Robin-requests-batteries-2026"


def test_a_city_applies_is_approved_and_its_people_start_buying(ui, world, password, settings, tmp_path):
    settings.MFA_ENFORCED = True
    # the co-op's staff are not the subject here; the new agency gets the default policy (admins need MFA)
    Organization.objects.filter(pk=world.coop.pk).update(mfa_required_roles=[])
    contract = ContractFactory(cooperative=world.coop, supplier=world.supplier, number="AC-2026-09", slug="ac-2026-09")
    make_item(contract, "DUR-C12", "Duracell Procell C Alkaline Battery, 12-pack", manufacturer="Duracell")
    from contracts.catalog.search.words import search_words_refresh

    search_words_refresh()
    agreement.version(world.coop, label="2027-1", title="Interlocal cooperative purchasing agreement")
    page = ui.page

    # 1. the city applies and confirms its address
    ui.goto("/coops/alpha-coop/join/", "apply")
    _fill_application(page, tmp_path, county="Orange", domain="mapleridge.gov")
    page.get_by_role("button", name="Send the application").click()
    page.wait_for_load_state()
    body = OutgoingEmail.objects.filter(to__contains=["pat@mapleridge.gov"]).latest("pk").body
    confirm = re.search(r"https?://\S+/confirm/\S+/", body).group(0)
    page.goto(ui.base_url + confirm[confirm.index("/join/") :])
    page.get_by_role("button", name="Confirm my e-mail address").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Status: Waiting for review")).to_be_visible()
    status_path = ui.path

    # 2. staff ask for more information; the city answers from its status link
    ui.sign_in(world.coop_staff.email, password)
    application = JoinApplication.objects.get()
    ui.goto(f"/coops/alpha-coop/applications/{application.public_id}/", "review")
    page.get_by_label("What should the applicant send or explain?").fill("Who may sign for the city?")
    page.get_by_role("button", name="Send the question").click()
    page.wait_for_load_state()
    ui.sign_out()
    ui.goto(status_path, "status-question")
    page.get_by_label("Your answer").fill("The City Manager, under charter article IV.")
    page.get_by_role("button", name="Send my answer").click()
    page.wait_for_load_state()
    expect(page.get_by_text("your answer was sent")).to_be_visible()

    # 3. staff approve: the agency exists, its contact is invited as admin
    ui.sign_in(world.coop_admin.email, password)
    ui.goto(f"/coops/alpha-coop/applications/{application.public_id}/", "approve")
    page.get_by_role("button", name="Approve").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Approved: City of Maple Ridge is a member of Alpha Co-op")).to_be_visible()
    ui.sign_out()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    agency = Agency.objects.get(email_domain="mapleridge.gov").organization

    # 4. the contact signs up from the invitation, accepts, and must enrol an authenticator (admins need MFA)
    sign_up_and_accept(ui, "pat@mapleridge.gov", ADMIN_PASSWORD, agency.name)
    ui.goto(f"/agencies/{agency.slug}/", "after-accept")
    if ui.path == "/accounts/reauthenticate/":
        page.get_by_label("Password").fill(ADMIN_PASSWORD)
        page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/accounts/2fa/totp/activate/")
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Authenticator code").fill(fresh_totp(secret))
    page.get_by_role("button", name="Activate").click()
    expect(page.get_by_text("Authenticator app activated.")).to_be_visible()
    assert Authenticator.objects.filter(user__email="pat@mapleridge.gov").exists()

    # 5. the admin signs the membership agreement
    ui.goto(f"/agencies/{agency.slug}/agreement/", "agreement")
    page.get_by_label("Full name of the authorized signer").fill("Sam Manager")
    page.get_by_label("Title").fill("City Manager")
    page.get_by_text(f"I am authorized to sign for {agency.name}", exact=True).click()
    page.get_by_role("button", name="Accept and sign").click()
    expect(page.locator(".usa-alert--success").first).to_contain_text(f"Signed: {agency.name} accepted")
    signed = AgreementAcceptance.objects.get(agency=agency)
    assert (signed.signer_name, signed.version.label) == ("Sam Manager", "2027-1")

    # 6. the admin invites a requester from the team page
    ui.goto(f"/agencies/{agency.slug}/", "agency-home")
    page.get_by_role("link", name="Team", exact=True).click()
    page.get_by_label("E-mail address").fill("robin@mapleridge.gov")
    page.locator("#invite_roles_0 + label").click()  # requester
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Invitation sent to robin@mapleridge.gov.")).to_be_visible()
    ui.sign_out()

    # 7. the requester signs up, accepts (no MFA for requesters) and finds the catalog
    sign_up_and_accept(ui, "robin@mapleridge.gov", REQUESTER_PASSWORD, agency.name)
    page.wait_for_url(f"**/agencies/{agency.slug}/")
    page.get_by_role("link", name="Browse the whole catalog").click()
    page.wait_for_load_state()
    page.get_by_label("Search items, SKUs or part numbers").fill("procell c")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.get_by_role("link", name="Duracell Procell C Alkaline Battery, 12-pack")).to_be_visible()
    ui.shot("requester-catalog")
    roles = Membership.objects.filter(organization=agency, is_active=True).values_list("user__email", "role")
    assert sorted(roles) == [("pat@mapleridge.gov", "agency_admin"), ("robin@mapleridge.gov", "requester")]
