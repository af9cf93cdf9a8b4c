"""The invitation link: each state says what it is; the invited address accepts (once); another account is refused
and offered sign-out; a visitor signs up with the address fixed (and already verified) and comes back to accept."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.utils import timezone

from marketplace.core.models import Invitation, Membership, Notification, User
from marketplace.core.services.invitations import invitation_create, invitation_revoke
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def invited(world):
    invitation, token = invitation_create(
        organization=world.agency,
        email="newbie@alpha.test",
        roles=["requester"],
        actor=world.agency_admin,
        message="Welcome aboard",
    )
    return invitation, token, f"/invitations/{token}/"


def test_pending_page_shows_who_what_and_the_ways_in(client, world, invited):
    _, _, url = invited
    body = client.get(url).content.decode()
    assert "Invitation to City of Alpha" in body and "Requester" in body and "Welcome aboard" in body
    assert "Create an account" in body and "Sign in" in body


@pytest.mark.parametrize("state", ["expired", "revoked", "accepted"])
def test_dead_link_says_which_and_offers_to_ask_again(client, world, invited, state):
    invitation, token, url = invited
    if state == "expired":
        Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(days=1))
    elif state == "revoked":
        invitation_revoke(invitation=invitation, actor=world.agency_admin)
    else:
        Invitation.objects.filter(pk=invitation.pk).update(accepted_at=timezone.now())
    body = client.get(url).content.decode()
    assert {"expired": "expired on", "revoked": "withdrew this invitation", "accepted": "already been used"}[
        state
    ] in body
    assert "Ask for a new invitation" in body

    cache.delete(f"invitation-request-new:{invitation.pk}")
    response = client.post(f"/invitations/{token}/request-new/", follow=True)
    assert "We have asked the admins of City of Alpha" in response.content.decode()
    assert (
        Notification.objects.filter(user=world.agency_admin, title__contains="asks for a new invitation").count() == 1
    )


def test_unknown_link_is_a_404_page_that_says_so(client, world):
    response = client.get("/invitations/not-a-real-token/")
    assert response.status_code == 404
    assert "This invitation link is not valid" in response.content.decode()
    assert client.post("/invitations/not-a-real-token/request-new/").status_code == 404


def test_invited_user_accepts_once_and_lands_on_the_organization(client, world, invited):
    _, _, url = invited
    person = UserFactory(email="newbie@alpha.test")
    client.force_login(person)
    assert "Accept and join City of Alpha" in client.get(url).content.decode()

    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == "/agencies/city-of-alpha/"
    again = client.post(url)
    assert again.status_code == 409 and "already accepted" in again.content.decode()
    assert Membership.objects.filter(user=person).count() == 1


def test_another_account_is_refused_and_offered_sign_out(client, world, invited):
    _, _, url = invited
    client.force_login(world.other_agency_admin)
    body = client.get(url).content.decode()
    assert "Signed in with another address" in body and "Sign out" in body
    response = client.post(url)
    assert response.status_code == 403 and "another e-mail address" in response.content.decode()
    assert not Membership.objects.filter(user=world.other_agency_admin, organization=world.agency).exists()


def test_anonymous_accept_goes_to_sign_in(client, world, invited):
    _, _, url = invited
    response = client.post(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")
    assert not Invitation.objects.filter(accepted_at__isnull=False).exists()


def test_signup_from_the_link_fixes_the_address_and_needs_no_confirmation(client, world, invited):
    _, token, url = invited
    response = client.get(f"/invitations/{token}/signup/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/signup/?next=")
    form = client.get(response["Location"]).content.decode()
    assert 'value="newbie@alpha.test"' in form and "readonly" in form

    # another address is refused: the account must be the invited one
    bad = client.post(
        response["Location"],
        {"email": "someone-else@alpha.test", "password1": "a-long-Pass-phrase-9", "password2": "a-long-Pass-phrase-9"},
    )
    assert bad.status_code == 200 and "Sign up with the invited address" in bad.content.decode()
    assert not User.objects.filter(email="someone-else@alpha.test").exists()

    done = client.post(
        response["Location"],
        {"email": "newbie@alpha.test", "password1": "a-long-Pass-phrase-9", "password2": "a-long-Pass-phrase-9"},
    )
    assert done.status_code == 302 and done["Location"] == url
    user = User.objects.get(email="newbie@alpha.test")
    assert EmailAddress.objects.get(user=user).verified
    assert client.post(url).status_code == 302
    assert Membership.objects.filter(user=user, organization=world.agency, role="requester", is_active=True).exists()


def test_a_later_unrelated_signup_is_not_fixed_to_the_invited_address(client, world, invited):
    _, token, _ = invited
    client.get(f"/invitations/{token}/signup/")
    form = client.get("/accounts/signup/").content.decode()
    assert "readonly" not in form  # allauth may still suggest the address; it is not fixed


def test_hostile_input_is_refused_without_a_500(client, world, invited):
    assert invited  # one invitation exists before
    client.force_login(world.agency_admin)
    team = "/agencies/city-of-alpha/team/"
    assert client.post(team + "invite/", {"email": "a" * 10_000 + "@x.test", "roles": ["requester"]}).status_code == 400
    assert client.post(team + "invite/", {"email": "o'hara\"@x.test", "roles": ["'; drop"]}).status_code == 400
    assert client.post(team + "mfa-policy/", {"roles": ["x" * 10_000]}).status_code == 400
    assert client.post(team + "members/99999999999999999999/active/", {"active": "0"}).status_code == 404
    assert client.get("/invitations/" + "t" * 10_000 + "/").status_code == 404
    api = "/api/v1/agencies/city-of-alpha"
    assert (
        client.post(f"{api}/invitations/", {"email": "x@x.test", "roles": "requester"}, "application/json").status_code
        == 400
    )
    assert (
        client.patch(f"{api}/members/{world.requester.pk}/", {"is_active": "maybe"}, "application/json").status_code
        == 400
    )
    assert client.put(f"{api}/mfa-policy/", {"roles": [1, None]}, "application/json").status_code == 400
    assert Invitation.objects.count() == 1


def test_existing_account_signs_in_from_the_link_and_comes_back_to_accept(client, world, password):
    _, token = invitation_create(
        organization=world.agency, email=world.other_requester.email, roles=["approver"], actor=world.agency_admin
    )
    url = f"/invitations/{token}/"
    page = client.get(url).content.decode()
    assert f"/accounts/login/?next=%2Finvitations%2F{token}%2F" in page

    signed_in = client.post(
        "/accounts/login/", {"login": world.other_requester.email, "password": password, "next": url}
    )
    assert signed_in.status_code == 302 and signed_in["Location"] == url
    assert client.post(url)["Location"] == "/agencies/city-of-alpha/"
    # the new roles are in the inviting agency; the one they had elsewhere is untouched
    assert sorted(Membership.objects.filter(user=world.other_requester).values_list("organization__slug", "role")) == [
        ("beta-county", "requester"),
        ("city-of-alpha", "approver"),
    ]
