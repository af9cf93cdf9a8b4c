"""The MFA policy at sign-in: a member holding a role their organization requires MFA for, without an authenticator,
is sent to enrol from every page (with the reason); allauth's pages, the invitation page, static files and health stay
reachable; a session API call gets 403 `mfa_required`; an API token request is not interactive and passes. The test
settings turn enforcement off (most tests sign in admins without an authenticator); these tests turn it on."""

import pytest
from allauth.mfa.models import Authenticator

from marketplace.core.services.tokens import api_token_create

pytestmark = pytest.mark.django_db

ENROL = "/accounts/2fa/totp/activate/"


@pytest.fixture(autouse=True)
def enforced(settings):
    settings.MFA_ENFORCED = True


def test_admin_without_mfa_is_sent_to_enrol_with_the_reason(client, world):
    client.force_login(world.agency_admin)
    response = client.get("/agencies/city-of-alpha/")
    assert response.status_code == 302 and response["Location"] == ENROL
    followed = client.get("/agencies/city-of-alpha/", follow=True)
    assert "Your role requires two-factor sign-in (City of Alpha: Agency admin)" in followed.content.decode()


def test_allauth_pages_invitation_and_health_stay_reachable(client, world):
    client.force_login(world.agency_admin)
    assert client.get("/accounts/2fa/").status_code == 200
    assert client.get("/invitations/whatever/").status_code == 404  # the page itself, not a redirect
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/healthz").status_code in (200, 503)


def test_requester_is_not_bound(client, world):
    client.force_login(world.requester)
    assert client.get("/agencies/city-of-alpha/").status_code == 200


def test_enrolled_admin_passes(client, world):
    Authenticator.objects.create(user=world.agency_admin, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(world.agency_admin)
    assert client.get("/agencies/city-of-alpha/").status_code == 200


def test_policy_without_the_role_lets_them_in(client, world):
    world.agency.mfa_required_roles = ["approver"]
    world.agency.save(update_fields=["mfa_required_roles"])
    client.force_login(world.agency_admin)
    assert client.get("/agencies/city-of-alpha/").status_code == 200


def test_a_role_required_in_any_organization_binds_everywhere(client, world, make_member):
    from tests.factories import MembershipFactory

    MembershipFactory(user=world.requester, organization=world.other_agency, role="finance")
    client.force_login(world.requester)
    assert client.get("/agencies/city-of-alpha/")["Location"] == ENROL


def test_inactive_membership_does_not_bind(client, world):
    from marketplace.core.models import Membership

    Membership.objects.create(user=world.requester, organization=world.other_agency, role="finance", is_active=False)
    client.force_login(world.requester)
    assert client.get("/agencies/city-of-alpha/").status_code == 200


def test_session_api_call_is_403_mfa_required(client, world):
    client.force_login(world.agency_admin)
    response = client.get("/api/v1/me/")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "mfa_required"
    assert "City of Alpha: Agency admin" in response.json()["error"]["message"]


def test_api_token_request_is_not_interactive_and_passes(client, world):
    _token, secret = api_token_create(user=world.agency_admin, name="erp")
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {secret}")
    assert response.status_code == 200


def test_htmx_request_is_redirected_by_header(client, world):
    client.force_login(world.agency_admin)
    response = client.get("/agencies/city-of-alpha/", HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"] == ENROL


def test_the_team_page_shows_each_members_mfa_state_and_the_policy(client, world):
    Authenticator.objects.create(user=world.agency_admin, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(world.agency_admin)
    body = client.get("/agencies/city-of-alpha/team/").content.decode()
    assert ">On<" in body and ">Off<" in body
    assert "must sign in with an authenticator app" in body
