"""Team journeys in the browser: an agency admin invites a requester, who follows the e-mailed link, signs up with
the invited address (no confirmation e-mail needed), accepts and lands on the agency's home; an approver without an
authenticator signs in under the MFA policy, is sent to enrol, enrols and reaches the home."""

import re

from allauth.mfa.models import Authenticator
from playwright.sync_api import expect

from marketplace.core.models import Membership, OutgoingEmail
from tests.browser.test_mfa import fresh_totp

NEW_PASSWORD = "a-long-Pass-phrase-for-Ned-7"


def _invitation_path(email: str) -> str:
    mail = OutgoingEmail.objects.filter(to=[email]).order_by("-pk").first()
    assert mail is not None, f"no invitation e-mail to {email}"
    match = re.search(r"/invitations/[A-Za-z0-9_-]+/", mail.body)
    assert match, mail.body
    return match.group(0)


def test_admin_invites_a_requester_who_signs_up_accepts_and_sees_the_agency(ui, world, password):
    ui.sign_in(world.agency_admin.email, password)
    ui.page.get_by_role("link", name="Team", exact=True).click()
    expect(ui.page.get_by_role("heading", level=1)).to_have_text("Team")
    ui.page.get_by_label("E-mail address").fill("ned.newcomer@alpha.test")
    ui.page.locator("#invite_roles_0 + label").click()  # the USWDS label stands in for the hidden box
    ui.page.get_by_label("Message (optional)").fill("Welcome to purchasing, Ned.")
    ui.page.get_by_role("button", name="Send invitation").click()
    expect(ui.page.get_by_text("Invitation sent to ned.newcomer@alpha.test.")).to_be_visible()
    expect(ui.page.get_by_role("row", name=re.compile("ned.newcomer@alpha.test"))).to_contain_text("Pending until")
    ui.shot("invited")
    ui.sign_out()

    link = _invitation_path("ned.newcomer@alpha.test")
    ui.goto(link, "invitation")
    expect(ui.page.get_by_role("heading", level=1)).to_have_text("Invitation to City of Alpha")
    expect(ui.page.get_by_text("Welcome to purchasing, Ned.")).to_be_visible()
    ui.page.get_by_role("link", name="Create an account").click()

    email = ui.page.get_by_label("Email")
    expect(email).to_have_value("ned.newcomer@alpha.test")
    expect(email).to_have_attribute("readonly", "")
    ui.page.locator("#id_password1").fill(NEW_PASSWORD)
    ui.page.locator("#id_password2").fill(NEW_PASSWORD)
    ui.shot("signup-fixed-address")
    ui.page.get_by_role("button", name="Create account").click()

    # no confirmation e-mail: back on the invitation, signed in as the invited address
    ui.page.wait_for_url(f"**{link}")
    ui.page.get_by_role("button", name="Accept and join City of Alpha").click()
    ui.page.wait_for_url(f"**/agencies/{world.agency.slug}/")
    expect(ui.page.get_by_role("heading", level=1)).to_have_text(world.agency.name)
    expect(ui.page.get_by_text("Welcome to City of Alpha.")).to_be_visible()
    ui.shot("agency-home")
    roles = Membership.objects.filter(user__email="ned.newcomer@alpha.test").values_list("organization__slug", "role")
    assert list(roles) == [("city-of-alpha", "requester")]


def test_approver_without_mfa_is_sent_to_enrol_then_reaches_home(ui, world, password, make_member, settings):
    settings.MFA_ENFORCED = True
    approver = make_member(world.agency, "approver", email="approver@alpha.test", full_name="Ada Approver")

    ui.sign_in(approver.email, password)

    # sent to enrol; allauth treats adding an authenticator as sensitive and asks for the password once more
    assert ui.path == "/accounts/reauthenticate/"
    expect(ui.page.get_by_text("Your role requires two-factor sign-in")).to_be_visible()
    ui.page.get_by_label("Password").fill(password)
    ui.page.get_by_role("button", name="Confirm").click()
    ui.page.wait_for_url("**/accounts/2fa/totp/activate/")
    ui.shot("enrol")
    secret = ui.page.locator("#authenticator_secret").input_value()
    ui.page.get_by_label("Authenticator code").fill(fresh_totp(secret))
    ui.page.get_by_role("button", name="Activate").click()
    expect(ui.page.get_by_text("Authenticator app activated.")).to_be_visible()
    assert Authenticator.objects.filter(user=approver, type=Authenticator.Type.TOTP).exists()

    ui.goto("/", "home-after-enrolment")
    ui.page.wait_for_url(f"**/agencies/{world.agency.slug}/")
    expect(ui.page.get_by_role("heading", level=1)).to_have_text(world.agency.name)
