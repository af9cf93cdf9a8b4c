"""axe-core scans of the team pages, the invitation link in every state, and the enrolment the MFA policy sends people
to; each also screenshotted at 1280 and 390 px into /tmp/shots/team/ for people to look at."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from marketplace.core.models import Invitation
from marketplace.core.services.invitations import invitation_create, invitation_revoke
from marketplace.core.services.team import member_set_active

SHOTS = Path("/tmp/shots/team")


def _both_widths(ui, label):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        ui.page.set_viewport_size({"width": width, "height": 900})
        ui.page.screenshot(path=str(SHOTS / f"{label}-{width}.png"), full_page=True, caret="initial")
    ui.page.set_viewport_size({"width": 1280, "height": 900})


def _invite(world, email, **kwargs):
    return invitation_create(
        organization=world.agency, email=email, roles=["requester", "approver"], actor=world.agency_admin, **kwargs
    )


def test_team_and_member_pages(ui, world, password, make_member):
    _invite(world, "waiting@alpha.test", message="Hello")
    expired, _ = _invite(world, "late@alpha.test")
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))
    gone = make_member(world.agency, "approver", email="gone@alpha.test", full_name="Gone Approver")
    member_set_active(organization=world.agency, user=gone, active=False, actor=world.agency_admin)
    ui.sign_in(world.agency_admin.email, password)

    ui.goto(f"/agencies/{world.agency.slug}/team/", "team")
    expect(ui.page.get_by_role("heading", level=1)).to_have_text("Team")
    expect(ui.page.get_by_role("row", name="late@alpha.test")).to_contain_text("Expired")
    ui.assert_accessible("team")
    _both_widths(ui, "team")

    # the invite form with errors
    ui.page.get_by_role("button", name="Send invitation").click()
    expect(ui.page.get_by_role("alert")).to_contain_text("Please correct")
    ui.assert_accessible("team-invite-errors")
    _both_widths(ui, "team-invite-errors")

    ui.goto(f"/agencies/{world.agency.slug}/team/members/{world.requester.pk}/", "member")
    expect(ui.page.get_by_role("heading", level=1)).to_contain_text("Roles of")
    ui.assert_accessible("member")
    _both_widths(ui, "member")


@pytest.mark.parametrize("state", ["pending", "expired", "revoked", "accepted", "unknown", "wrong-account", "invited"])
def test_invitation_page_in_every_state(ui, world, password, state):
    invitation, token = _invite(world, "requester@alpha.test" if state == "invited" else "newbie@alpha.test")
    if state == "expired":
        Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(days=1))
    elif state == "revoked":
        invitation_revoke(invitation=invitation, actor=world.agency_admin)
    elif state == "accepted":
        Invitation.objects.filter(pk=invitation.pk).update(accepted_at=timezone.now())
    elif state == "unknown":
        token = "no-such-invitation"
    elif state == "wrong-account":
        ui.sign_in(world.other_agency_admin.email, password)
    elif state == "invited":
        # already a requester, invited to add the approver role
        ui.sign_in(world.requester.email, password)

    ui.goto(f"/invitations/{token}/", f"invitation-{state}")

    heading = "This invitation link is not valid" if state == "unknown" else "Invitation to City of Alpha"
    expect(ui.page.get_by_role("heading", level=1)).to_have_text(heading)
    ui.assert_accessible(f"invitation-{state}")
    _both_widths(ui, f"invitation-{state}")


def test_enrolment_redirect(ui, world, password, settings):
    settings.MFA_ENFORCED = True
    ui.sign_in(world.agency_admin.email, password)
    expect(ui.page.get_by_text("Your role requires two-factor sign-in")).to_be_visible()
    ui.assert_accessible("mfa-required")
    _both_widths(ui, "mfa-required")
