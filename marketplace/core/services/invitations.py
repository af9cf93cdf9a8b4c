"""Invitations: someone with the right to manage an organization's team invites an e-mail address with roles.

The link carries a random secret; only its SHA-256 digest is stored (as API tokens are). The e-mail goes out through
the worker after commit. Accepting, resending and revoking live beside `invitation_create` so that one module owns an
invitation's life."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from ..errors import ApplicationError
from ..models import Invitation, Membership, Organization, User
from ..notification_kinds import NotificationKind
from ..roles import ADMIN_ROLES, ROLES_BY_KIND, Role
from ..selectors import organization_users
from .audit import audit_record
from .email import email_queue
from .notifications import notification_create
from .tokens import token_digest

INVITATION_VALID_DAYS = 14
# Resending: at most once a minute, and at most this many sends of one invitation in all (then invite anew).
RESEND_MIN_SECONDS = 60
RESEND_MAX_SENDS = 10
# "Ask for a new invitation" from a dead link notifies the admins at most once per invitation per this many seconds.
REQUEST_NEW_SECONDS = 6 * 3600


def invitation_valid_days() -> int:
    return int(getattr(settings, "INVITATION_VALID_DAYS", INVITATION_VALID_DAYS))


def invitation_url(token: str) -> str:
    return f"{settings.SITE_URL}/invitations/{token}/"


def _clean_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ApplicationError(
            "invalid", "Enter a valid e-mail address.", {"email": ["Enter a valid e-mail address."]}
        ) from None
    return email


def _clean_roles(organization: Organization, roles: list[str]) -> list[str]:
    allowed = ROLES_BY_KIND[organization.kind]
    chosen = sorted({str(role) for role in roles or []})
    if not chosen:
        raise ApplicationError("invalid", "Choose at least one role.", {"roles": ["Choose at least one role."]})
    wrong = [role for role in chosen if role not in allowed]
    if wrong:
        message = f"Not a role in this {organization.get_kind_display().lower()}: {', '.join(wrong)}."
        raise ApplicationError("invalid", message, {"roles": [message]})
    return chosen


def invitation_email_send(*, invitation: Invitation, token: str) -> None:
    """Queue the invitation e-mail (the worker sends it after commit)."""
    context = {
        "invitation": invitation,
        "organization": invitation.organization,
        "url": invitation_url(token),
        "role_names": [Role(role).label for role in invitation.roles],
        "inviter": invitation.invited_by,
    }
    email_queue(
        to=[invitation.email],
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}You are invited to {invitation.organization.name}",
        body=render_to_string("core/email/invitation.txt", context),
    )


@transaction.atomic
def invitation_create(
    *, organization: Organization, email: str, roles: list[str], actor: User | None, message: str = ""
) -> tuple[Invitation, str]:
    """Invite `email` to `organization` with `roles`. Returns the invitation and the secret for its link (sent by
    e-mail; shown to nobody else). Refuses an address that already holds all those roles there, and a second
    pending invitation for the same address (resend that one instead). An expired pending one is replaced."""
    email = _clean_email(email)
    roles = _clean_roles(organization, roles)
    message = (message or "").strip()
    if len(message) > 2000:
        raise ApplicationError("invalid", "The message is too long.", {"message": ["Keep it under 2,000 characters."]})
    held = set(
        Membership.objects.filter(
            organization=organization, user__email__iexact=email, is_active=True, role__in=roles
        ).values_list("role", flat=True)
    )
    if held == set(roles):
        raise ApplicationError(
            "already_member",
            f"{email} already holds these roles in {organization.name}.",
            {"email": ["This person already holds these roles."]},
            status=409,
        )
    now = timezone.now()
    pending = (
        Invitation.objects.select_for_update()
        .filter(organization=organization, email=email, accepted_at__isnull=True, revoked_at__isnull=True)
        .first()
    )
    if pending is not None:
        if pending.expires_at > now:
            raise ApplicationError(
                "already_invited",
                f"{email} already has a pending invitation; resend it or revoke it first.",
                {"email": ["This address already has a pending invitation."]},
                status=409,
            )
        pending.revoked_at = now
        pending.revoked_by = actor if actor is not None and actor.is_authenticated else None
        pending.save(update_fields=["revoked_at", "revoked_by"])
    token = secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                organization=organization,
                email=email,
                roles=roles,
                message=message,
                token_digest=token_digest(token),
                invited_by=actor if actor is not None and actor.is_authenticated else None,
                created_at=now,
                last_sent_at=now,
                expires_at=now + timedelta(days=invitation_valid_days()),
            )
    except IntegrityError:
        # Two people invited the same address at the same moment: the other one's invitation stands.
        raise ApplicationError(
            "already_invited",
            f"{email} already has a pending invitation; resend it or revoke it first.",
            {"email": ["This address already has a pending invitation."]},
            status=409,
        ) from None
    audit_record(
        actor=actor,
        action="invitation.created",
        organization=organization,
        obj=invitation,
        after={"email": email, "roles": roles, "expires_at": invitation.expires_at.isoformat()},
    )
    invitation_email_send(invitation=invitation, token=token)
    return invitation, token


def invitation_by_token(*, token: str) -> Invitation | None:
    """The invitation a link names, whatever its state (the page says used / expired / revoked), or None."""
    if not token or len(token) > 200:
        return None
    return (
        Invitation.objects.select_related("organization", "invited_by").filter(token_digest=token_digest(token)).first()
    )


STATE_MESSAGES = {
    "accepted": "This invitation has already been accepted.",
    "revoked": "This invitation was withdrawn.",
    "expired": "This invitation has expired.",
}


def _locked_by_token(token: str) -> Invitation:
    invitation = None
    if token and len(token) <= 200:
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("organization")
            .filter(token_digest=token_digest(token))
            .first()
        )
    if invitation is None:
        raise ApplicationError("not_found", "This invitation link is not valid.", status=404)
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, user: User) -> Invitation:
    """Grant the invitation's roles in its organization to `user`, once. The invitation row is locked, so two
    clicks (or two tabs) cannot both accept; the second is told it is already accepted and nothing is added.
    Only the account whose e-mail is the invited address may accept. A role the user held before and lost
    (an inactive membership) is reactivated rather than duplicated."""
    invitation = _locked_by_token(token)
    state = invitation.status
    if state == "accepted":
        mine = invitation.accepted_by_id == user.pk
        message = "You have already accepted this invitation." if mine else STATE_MESSAGES["accepted"]
        raise ApplicationError("already_accepted", message, status=409)
    if state in ("revoked", "expired"):
        raise ApplicationError(state, STATE_MESSAGES[state] + " Ask for a new one.", status=409)
    if user.email.lower() != invitation.email:
        raise ApplicationError(
            "wrong_account",
            f"This invitation is for another e-mail address. You are signed in as {user.email}; sign out and "
            "sign in (or create an account) with the invited address.",
            status=403,
        )
    organization = invitation.organization
    if not organization.is_active:
        raise ApplicationError("organization_inactive", f"{organization.name} is no longer active.", status=409)
    granted = []
    for role in invitation.roles:
        membership, created = Membership.objects.select_for_update().get_or_create(
            user=user, organization=organization, role=role
        )
        if created:
            granted.append(role)
        elif not membership.is_active:
            membership.is_active = True
            membership.save(update_fields=["is_active"])
            granted.append(role)
    now = timezone.now()
    invitation.accepted_at = now
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(
        actor=user,
        action="invitation.accepted",
        organization=organization,
        obj=invitation,
        after={"email": invitation.email, "roles": invitation.roles, "granted": granted},
    )
    if invitation.invited_by_id and invitation.invited_by_id != user.pk:
        notification_create(
            user=invitation.invited_by,
            organization=organization,
            kind=NotificationKind.ONBOARDING,
            title=f"{user.get_full_name()} accepted your invitation to {organization.name}",
            body=f"Roles: {', '.join(Role(r).label for r in invitation.roles)}.",
            url=f"{organization.get_absolute_url()}team/",
        )
    return invitation


def _locked(invitation: Invitation) -> Invitation:
    return (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=invitation.pk, organization=invitation.organization_id)
    )


@transaction.atomic
def invitation_resend(*, invitation: Invitation, actor: User) -> tuple[Invitation, str]:
    """Send the invitation again with a new secret (the old link stops working) and a new expiry. Refused for an
    accepted or withdrawn invitation, within a minute of the last send, and after RESEND_MAX_SENDS sends."""
    invitation = _locked(invitation)
    state = invitation.status
    if state in ("accepted", "revoked"):
        raise ApplicationError("not_pending", STATE_MESSAGES[state], status=409)
    now = timezone.now()
    if invitation.send_count >= RESEND_MAX_SENDS:
        raise ApplicationError(
            "too_many_sends",
            f"This invitation was sent {invitation.send_count} times; withdraw it and invite again.",
            status=429,
        )
    wait = RESEND_MIN_SECONDS - int((now - invitation.last_sent_at).total_seconds())
    if wait > 0:
        raise ApplicationError("resend_too_soon", f"It was sent a moment ago; try again in {wait} seconds.", status=429)
    before = {"send_count": invitation.send_count, "expires_at": invitation.expires_at.isoformat()}
    token = secrets.token_urlsafe(32)
    invitation.token_digest = token_digest(token)
    invitation.last_sent_at = now
    invitation.send_count += 1
    invitation.expires_at = now + timedelta(days=invitation_valid_days())
    invitation.save(update_fields=["token_digest", "last_sent_at", "send_count", "expires_at"])
    audit_record(
        actor=actor,
        action="invitation.resent",
        organization=invitation.organization,
        obj=invitation,
        before=before,
        after={"send_count": invitation.send_count, "expires_at": invitation.expires_at.isoformat()},
    )
    invitation_email_send(invitation=invitation, token=token)
    return invitation, token


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: User) -> Invitation:
    """Withdraw an invitation that was not accepted: its link then says so. Withdrawing twice is refused."""
    invitation = _locked(invitation)
    state = invitation.status
    if state in ("accepted", "revoked"):
        raise ApplicationError("not_pending", STATE_MESSAGES[state], status=409)
    invitation.revoked_at = timezone.now()
    invitation.revoked_by = actor
    invitation.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(
        actor=actor,
        action="invitation.revoked",
        organization=invitation.organization,
        obj=invitation,
        before={"status": state},
        after={"status": "revoked"},
    )
    return invitation


def invitation_request_new(*, invitation: Invitation) -> bool:
    """Someone holding a used, expired or withdrawn link asks for a new invitation: the organization's admins are
    notified (at most once per invitation per REQUEST_NEW_SECONDS; nothing is said to the visitor about whether
    anyone was notified, and nobody types an address, so the button reveals nothing). Returns True when notified."""
    if invitation.status == "pending":
        return False
    if not cache.add(f"invitation-request-new:{invitation.pk}", 1, timeout=REQUEST_NEW_SECONDS):
        return False
    organization = invitation.organization
    with transaction.atomic():
        for admin in organization_users(organization=organization, roles=ADMIN_ROLES):
            notification_create(
                user=admin,
                organization=organization,
                kind=NotificationKind.ONBOARDING,
                title=f"{invitation.email} asks for a new invitation to {organization.name}",
                body=f"Their invitation is {invitation.status}. Invite them again from the team page if they should "
                "have access.",
                url=f"{organization.get_absolute_url()}team/",
            )
        audit_record(
            actor=None,
            action="invitation.new_requested",
            organization=organization,
            obj=invitation,
            after={"status": invitation.status},
        )
    return True
