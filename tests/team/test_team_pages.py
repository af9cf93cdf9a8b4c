"""Team pages: the admin sees members (roles in words, MFA, last sign-in, access) and waiting invitations, invites,
resends, withdraws, changes roles, deactivates and sets the MFA policy; refusals show the reason and change nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.core.models import Invitation, Membership, Organization

pytestmark = pytest.mark.django_db

TEAM = "/agencies/city-of-alpha/team/"


@pytest.fixture
def admin(client, world):
    client.force_login(world.agency_admin)
    return client


def _members():
    return sorted(Membership.objects.values_list("user_id", "organization_id", "role", "is_active"))


def test_team_page_lists_members_invitations_and_policy(admin, world):
    admin.post(TEAM + "invite/", {"email": "pending@alpha.test", "roles": ["approver"]})
    body = admin.get(TEAM).content.decode()
    assert world.requester.email in body and "Requester" in body and "Never" in body
    assert "pending@alpha.test" in body and "Pending until" in body
    assert "Two-factor sign-in policy" in body and "Agency admin, Approver, Finance" in body


def test_invite_with_roles_and_message(admin, world):
    response = admin.post(
        TEAM + "invite/", {"email": "Fresh@Alpha.test", "roles": ["requester", "finance"], "message": "Hi"}
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="fresh@alpha.test")
    assert invitation.roles == ["finance", "requester"] and invitation.organization == world.agency


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "not-an-address", "roles": ["requester"]}, "Enter a valid email address."),
        ({"email": "x@alpha.test"}, "This field is required."),
        ({"email": "x@alpha.test", "roles": ["order_desk"]}, "is not one of the available choices"),
        ({"email": "requester@alpha.test", "roles": ["requester"]}, "already holds these roles"),
    ],
)
def test_bad_invitation_is_explained_and_nothing_is_sent(admin, world, data, message):
    response = admin.post(TEAM + "invite/", data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Please correct" in body and message in body
    assert not Invitation.objects.exists()


def test_resend_and_withdraw(admin, world):
    admin.post(TEAM + "invite/", {"email": "later@alpha.test", "roles": ["requester"]})
    invitation = Invitation.objects.get()
    too_soon = admin.post(f"{TEAM}invitations/{invitation.pk}/resend/", follow=True)
    assert "try again in" in too_soon.content.decode()
    Invitation.objects.filter(pk=invitation.pk).update(last_sent_at=timezone.now() - timedelta(minutes=2))
    admin.post(f"{TEAM}invitations/{invitation.pk}/resend/")
    assert Invitation.objects.get().send_count == 2

    admin.post(f"{TEAM}invitations/{invitation.pk}/revoke/")
    assert Invitation.objects.get().revoked_at is not None
    assert "No invitations waiting." in admin.get(TEAM).content.decode()


def test_change_roles_page_and_last_admin_refusal(admin, world):
    page = admin.get(f"{TEAM}members/{world.requester.pk}/").content.decode()
    assert "Roles of" in page and 'value="requester" checked' in page
    assert admin.post(f"{TEAM}members/{world.requester.pk}/", {"roles": ["approver"]}).status_code == 302
    assert list(Membership.objects.filter(user=world.requester).values_list("role", flat=True)) == ["approver"]

    before = _members()
    refused = admin.post(f"{TEAM}members/{world.agency_admin.pk}/", {"roles": ["requester"]})
    assert refused.status_code == 400 and "needs at least one active admin" in refused.content.decode()
    assert _members() == before


def test_deactivate_and_reactivate_from_the_list(admin, world):
    admin.post(f"{TEAM}members/{world.requester.pk}/active/", {"active": "0"})
    assert not Membership.objects.get(user=world.requester).is_active
    assert "Deactivated" in admin.get(TEAM).content.decode()
    admin.post(f"{TEAM}members/{world.requester.pk}/active/", {"active": "1"})
    assert Membership.objects.get(user=world.requester).is_active

    before = _members()
    refused = admin.post(f"{TEAM}members/{world.agency_admin.pk}/active/", {"active": "0"}, follow=True)
    assert "needs at least one active admin" in refused.content.decode()
    assert _members() == before


def test_mfa_policy_form(admin, world):
    admin.post(TEAM + "mfa-policy/", {"roles": ["agency_admin"]})
    assert Organization.objects.get(pk=world.agency.pk).mfa_required_roles == ["agency_admin"]
    admin.post(TEAM + "mfa-policy/", {})
    assert Organization.objects.get(pk=world.agency.pk).mfa_required_roles == []
    refused = admin.post(TEAM + "mfa-policy/", {"roles": ["coop_admin"]})
    assert refused.status_code == 400
    assert Organization.objects.get(pk=world.agency.pk).mfa_required_roles == []


def test_coop_staff_may_look_but_not_change(client, world):
    client.force_login(world.coop_staff)
    body = client.get("/coops/alpha-coop/team/").content.decode()
    assert world.coop_admin.email in body and "Invite someone" not in body and "Deactivate" not in body
    assert (
        client.post("/coops/alpha-coop/team/invite/", {"email": "a@b.test", "roles": ["coop_staff"]}).status_code == 403
    )


def test_team_link_on_each_organization_home(client, world):
    for user, home, team in (
        (world.agency_admin, "/agencies/city-of-alpha/", TEAM),
        (world.supplier_admin, "/suppliers/alpha-cells/", "/suppliers/alpha-cells/team/"),
        (world.coop_admin, "/coops/alpha-coop/", "/coops/alpha-coop/team/"),
    ):
        client.force_login(user)
        assert f'href="{team}"' in client.get(home).content.decode()
    client.force_login(world.requester)
    assert f'href="{TEAM}"' not in client.get("/agencies/city-of-alpha/").content.decode()
