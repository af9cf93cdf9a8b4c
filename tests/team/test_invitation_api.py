"""An invitation through the API: anyone holding the link reads what it is; only the invited account accepts it,
once; a used, expired, withdrawn or unknown link is refused and changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from marketplace.core.models import Invitation, Membership
from marketplace.core.services.invitations import invitation_create
from marketplace.core.services.tokens import api_token_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def invited(world):
    invitation, token = invitation_create(
        organization=world.agency, email="ned@alpha.test", roles=["requester", "approver"], actor=world.agency_admin
    )
    return invitation, token


def _bearer(user) -> dict:
    _token, secret = api_token_create(user=user, name="integration")
    return {"HTTP_AUTHORIZATION": f"Token {secret}"}


def _memberships(email: str) -> list[tuple[str, str]]:
    return sorted(Membership.objects.filter(user__email=email).values_list("organization__slug", "role"))


def test_the_link_says_what_it_is_without_signing_in(client, world, invited):
    _invitation, token = invited

    body = client.get(f"/api/v1/invitations/{token}/").json()

    assert body["organization"] == "City of Alpha" and body["organization_kind"] == "agency"
    assert body["roles"] == ["approver", "requester"] and body["status"] == "pending"
    assert body["email"] == "ned@alpha.test"


def test_an_unknown_link_is_a_404_in_the_documented_shape(client, world):
    response = client.get("/api/v1/invitations/not-a-real-secret/")

    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_the_invited_account_accepts_once_with_an_api_token(client, world, invited):
    invitation, token = invited
    ned = UserFactory(email="ned@alpha.test")
    headers = _bearer(ned)

    first = client.post(f"/api/v1/invitations/{token}/accept/", **headers)
    again = client.post(f"/api/v1/invitations/{token}/accept/", **headers)

    assert first.status_code == 200 and first.json()["status"] == "accepted"
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_accepted"
    assert _memberships("ned@alpha.test") == [("city-of-alpha", "approver"), ("city-of-alpha", "requester")]
    invitation.refresh_from_db()
    assert invitation.accepted_by == ned


def test_another_account_cannot_accept_and_gains_nothing(client, world, invited):
    _invitation, token = invited
    mallory = UserFactory(email="mallory@beta.test")

    response = client.post(f"/api/v1/invitations/{token}/accept/", **_bearer(mallory))

    assert response.status_code == 403 and response.json()["error"]["code"] == "wrong_account"
    assert _memberships("mallory@beta.test") == []
    assert Invitation.objects.get().status == "pending"


def test_accepting_needs_a_signed_in_account(client, world, invited):
    _invitation, token = invited

    response = client.post(f"/api/v1/invitations/{token}/accept/")

    assert response.status_code in (401, 403) and "error" in response.json()
    assert Invitation.objects.get().status == "pending"


@pytest.mark.parametrize("state", ["expired", "revoked"])
def test_a_dead_link_is_refused_and_grants_nothing(client, world, invited, state):
    invitation, token = invited
    if state == "expired":
        Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    else:
        Invitation.objects.filter(pk=invitation.pk).update(revoked_at=timezone.now())
    ned = UserFactory(email="ned@alpha.test")

    read = client.get(f"/api/v1/invitations/{token}/").json()
    response = client.post(f"/api/v1/invitations/{token}/accept/", **_bearer(ned))

    assert read["status"] == state
    assert response.status_code == 409 and response.json()["error"]["code"] == state
    assert _memberships("ned@alpha.test") == []
