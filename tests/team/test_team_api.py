"""Team API: invitations (list, create, resend, revoke), one member (GET, PATCH roles / is_active), MFA policy
(GET, PUT). Errors are the documented JSON shape and change nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.core.models import Invitation, Membership, Organization

pytestmark = pytest.mark.django_db

API = "/api/v1/agencies/city-of-alpha"


@pytest.fixture
def api(client, world):
    client.force_login(world.agency_admin)
    return client


def _error(response, status, code):
    assert response.status_code == status, response.content
    assert response.json()["error"]["code"] == code
    return response.json()["error"]


def test_invitation_lifecycle(api, world):
    created = api.post(f"{API}/invitations/", {"email": "api@alpha.test", "roles": ["approver"]}, "application/json")
    assert created.status_code == 201
    body = created.json()
    assert body["email"] == "api@alpha.test" and body["status"] == "pending" and body["send_count"] == 1
    assert "token" not in body and "token_digest" not in body
    assert [row["email"] for row in api.get(f"{API}/invitations/").json()["results"]] == ["api@alpha.test"]

    _error(api.post(f"{API}/invitations/{body['id']}/resend/"), 429, "resend_too_soon")
    Invitation.objects.filter(pk=body["id"]).update(last_sent_at=timezone.now() - timedelta(minutes=2))
    assert api.post(f"{API}/invitations/{body['id']}/resend/").json()["send_count"] == 2
    assert api.post(f"{API}/invitations/{body['id']}/revoke/").json()["status"] == "revoked"
    _error(api.post(f"{API}/invitations/{body['id']}/revoke/"), 409, "not_pending")
    assert api.get(f"{API}/invitations/").json()["results"] == []


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"email": "x@alpha.test", "roles": []}, "roles"),
        ({"email": "x@alpha.test", "roles": ["coop_admin"]}, "roles"),
        ({"email": "x@alpha.test", "roles": ["nope"]}, "roles.0"),
        ({"email": "bad", "roles": ["requester"]}, "email"),
        ({"email": "x@alpha.test", "roles": ["requester"], "message": "m" * 2001}, "message"),
    ],
)
def test_bad_invitation_is_400_and_nothing_is_created(api, world, data, field):
    error = _error(api.post(f"{API}/invitations/", data, "application/json"), 400, "invalid")
    assert field in error["fields"]
    assert not Invitation.objects.exists()


def test_member_read_and_patch(api, world):
    url = f"{API}/members/{world.requester.pk}/"
    got = api.get(url).json()
    assert got == {
        "user_id": world.requester.pk,
        "email": world.requester.email,
        "full_name": world.requester.full_name,
        "roles": ["requester"],
        "is_active": True,
        "mfa_enabled": False,
        "last_login": None,
    }
    patched = api.patch(url, {"roles": ["approver", "finance"]}, "application/json").json()
    assert patched["roles"] == ["approver", "finance"]
    assert api.patch(url, {"is_active": False}, "application/json").json()["is_active"] is False
    assert not Membership.objects.filter(user=world.requester, is_active=True).exists()
    assert api.patch(url, {"is_active": True}, "application/json").json()["is_active"] is True


def test_last_admin_patch_is_409_and_changes_nothing(api, world):
    before = sorted(Membership.objects.values_list("pk", "role", "is_active"))
    url = f"{API}/members/{world.agency_admin.pk}/"
    _error(api.patch(url, {"roles": ["requester"]}, "application/json"), 409, "last_admin")
    _error(api.patch(url, {"is_active": False}, "application/json"), 409, "last_admin")
    # roles change and deactivation in one request: refused as a whole
    _error(
        api.patch(url, {"roles": ["agency_admin", "finance"], "is_active": False}, "application/json"),
        409,
        "last_admin",
    )
    assert sorted(Membership.objects.values_list("pk", "role", "is_active")) == before


def test_another_tenants_member_and_invitation_are_404(api, world):
    _error(api.get(f"{API}/members/{world.other_agency_admin.pk}/"), 404, "not_found")
    _error(
        api.patch(f"{API}/members/{world.other_agency_admin.pk}/", {"is_active": False}, "application/json"),
        404,
        "not_found",
    )
    from marketplace.core.services.invitations import invitation_create

    other, _ = invitation_create(
        organization=world.other_agency, email="x@beta.test", roles=["requester"], actor=world.other_agency_admin
    )
    _error(api.post(f"{API}/invitations/{other.pk}/revoke/"), 404, "not_found")
    assert Invitation.objects.get(pk=other.pk).revoked_at is None


def test_mfa_policy_get_and_put(api, world):
    assert api.get(f"{API}/mfa-policy/").json() == {"roles": ["agency_admin", "approver", "finance"]}
    assert api.put(f"{API}/mfa-policy/", {"roles": ["requester"]}, "application/json").json() == {
        "roles": ["requester"]
    }
    error = _error(api.put(f"{API}/mfa-policy/", {"roles": ["order_desk"]}, "application/json"), 400, "invalid")
    assert "roles" in error["fields"]
    assert Organization.objects.get(pk=world.agency.pk).mfa_required_roles == ["requester"]


def test_requester_is_403(client, world):
    client.force_login(world.requester)
    _error(client.get(f"{API}/invitations/"), 403, "permission_denied")
    _error(client.put(f"{API}/mfa-policy/", {"roles": []}, "application/json"), 403, "permission_denied")


def test_member_list_gives_the_user_id_an_admin_patches(api, world):
    rows = api.get(f"{API}/members/").json()["results"]
    assert {(row["user_id"], row["email"]) for row in rows} >= {(world.requester.pk, world.requester.email)}
