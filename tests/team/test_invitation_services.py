"""Invitations after they are sent: accept (once, by the invited address only, in the inviting organization only),
resend (new secret, rate-limited), withdraw, and "ask for a new one" from a dead link. Every refusal changes nothing."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from marketplace.core.errors import ApplicationError
from marketplace.core.models import AuditEvent, Invitation, Membership, Notification, OutgoingEmail
from marketplace.core.notification_kinds import NotificationKind
from marketplace.core.services.invitations import (
    RESEND_MAX_SENDS,
    invitation_accept,
    invitation_by_token,
    invitation_create,
    invitation_request_new,
    invitation_resend,
    invitation_revoke,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def invited(world):
    invitation, token = invitation_create(
        organization=world.agency,
        email="New.Person@Alpha.test",
        roles=["requester", "approver"],
        actor=world.agency_admin,
    )
    return invitation, token


def _state():
    return (
        sorted(Membership.objects.values_list("user_id", "organization_id", "role", "is_active")),
        sorted(Invitation.objects.values_list("pk", "accepted_at", "revoked_at", "token_digest", "send_count")),
        AuditEvent.objects.count(),
    )


def test_accept_grants_every_role_in_the_inviting_organization_only(world, invited):
    invitation, token = invited
    person = UserFactory(email="new.person@alpha.test")

    accepted = invitation_accept(token=token, user=person)

    assert accepted.accepted_by == person and accepted.accepted_at is not None
    rows = Membership.objects.filter(user=person)
    assert sorted(rows.values_list("organization__slug", "role", "is_active")) == [
        ("city-of-alpha", "approver", True),
        ("city-of-alpha", "requester", True),
    ]
    assert AuditEvent.objects.filter(action="invitation.accepted", object_id=str(invitation.pk)).count() == 1
    inviter_note = Notification.objects.get(user=world.agency_admin, kind=NotificationKind.ONBOARDING)
    assert "accepted your invitation" in inviter_note.title


def test_second_accept_says_already_accepted_and_adds_nothing(world, invited):
    _, token = invited
    person = UserFactory(email="new.person@alpha.test")
    invitation_accept(token=token, user=person)
    before = _state()

    with pytest.raises(ApplicationError) as exc:
        invitation_accept(token=token, user=person)

    assert exc.value.code == "already_accepted" and "already accepted" in exc.value.message
    assert _state() == before


def test_another_address_is_refused(world, invited):
    _, token = invited
    before = _state()

    with pytest.raises(ApplicationError) as exc:
        invitation_accept(token=token, user=world.other_agency_admin)

    assert exc.value.code == "wrong_account" and exc.value.status_code == 403
    assert _state() == before
    assert not Membership.objects.filter(user=world.other_agency_admin, organization=world.agency).exists()


@pytest.mark.parametrize("state", ["expired", "revoked"])
def test_dead_invitation_is_refused(world, invited, state):
    invitation, token = invited
    if state == "expired":
        Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    else:
        invitation_revoke(invitation=invitation, actor=world.agency_admin)
    person = UserFactory(email="new.person@alpha.test")
    before = _state()

    with pytest.raises(ApplicationError) as exc:
        invitation_accept(token=token, user=person)

    assert exc.value.code == state
    assert _state() == before


def test_unknown_token_is_not_found(world):
    with pytest.raises(ApplicationError) as exc:
        invitation_accept(token="nope", user=world.requester)
    assert exc.value.status_code == 404


def test_accept_reactivates_an_inactive_membership_instead_of_duplicating(world):
    Membership.objects.filter(user=world.requester).update(is_active=False)
    _, token = invitation_create(
        organization=world.agency, email=world.requester.email, roles=["requester"], actor=world.agency_admin
    )

    invitation_accept(token=token, user=world.requester)

    assert list(Membership.objects.filter(user=world.requester).values_list("role", "is_active")) == [
        ("requester", True)
    ]


def test_resend_gives_a_new_link_and_counts(world, invited):
    invitation, old_token = invited
    Invitation.objects.filter(pk=invitation.pk).update(last_sent_at=timezone.now() - timedelta(minutes=5))
    mails = OutgoingEmail.objects.count()

    invitation, new_token = invitation_resend(invitation=invitation, actor=world.agency_admin)

    assert new_token != old_token and invitation.send_count == 2
    assert invitation_by_token(token=old_token) is None
    assert invitation_by_token(token=new_token).pk == invitation.pk
    assert OutgoingEmail.objects.count() == mails + 1
    assert new_token in OutgoingEmail.objects.order_by("-pk").first().body


def test_resend_within_a_minute_is_refused(world, invited):
    invitation, _ = invited
    before = _state()

    with pytest.raises(ApplicationError) as exc:
        invitation_resend(invitation=invitation, actor=world.agency_admin)

    assert exc.value.code == "resend_too_soon" and exc.value.status_code == 429
    assert _state() == before


def test_resend_after_too_many_sends_is_refused(world, invited):
    invitation, _ = invited
    Invitation.objects.filter(pk=invitation.pk).update(
        send_count=RESEND_MAX_SENDS, last_sent_at=timezone.now() - timedelta(hours=1)
    )
    before = _state()

    with pytest.raises(ApplicationError) as exc:
        invitation_resend(invitation=invitation, actor=world.agency_admin)

    assert exc.value.code == "too_many_sends"
    assert _state() == before


def test_an_expired_invitation_may_be_resent_and_lives_again(world, invited):
    invitation, _ = invited
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(days=1), last_sent_at=timezone.now() - timedelta(days=15)
    )
    invitation, _token = invitation_resend(invitation=invitation, actor=world.agency_admin)
    assert invitation.status == "pending"


@pytest.mark.parametrize("action", [invitation_resend, invitation_revoke])
def test_accepted_or_withdrawn_invitation_cannot_be_resent_or_withdrawn(world, invited, action):
    invitation, _ = invited
    invitation_revoke(invitation=invitation, actor=world.agency_admin)
    Invitation.objects.filter(pk=invitation.pk).update(last_sent_at=timezone.now() - timedelta(hours=1))
    before = _state()

    with pytest.raises(ApplicationError) as exc:
        action(invitation=invitation, actor=world.agency_admin)

    assert exc.value.code == "not_pending"
    assert _state() == before


def test_asking_for_a_new_invitation_notifies_the_admins_once(world, invited):
    invitation = invitation_revoke(invitation=invited[0], actor=world.agency_admin)
    cache.delete(f"invitation-request-new:{invitation.pk}")

    assert invitation_request_new(invitation=invitation) is True
    assert invitation_request_new(invitation=invitation) is False  # rate-limited

    notes = Notification.objects.filter(title__contains="asks for a new invitation")
    assert list(notes.values_list("user__email", flat=True)) == [world.agency_admin.email]


def test_a_pending_invitation_needs_no_new_one(world, invited):
    invitation, _ = invited
    assert invitation_request_new(invitation=invitation) is False
    assert not Notification.objects.filter(title__contains="asks for a new invitation").exists()
