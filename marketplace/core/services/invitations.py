"""Invitations: someone with the right to manage an organization's team invites an e-mail address with roles.

The link carries a random secret; only its SHA-256 digest is stored (as API tokens are). The e-mail goes out through
the worker after commit. Accepting, resending and revoking live beside `invitation_create` so that one module owns an
invitation's life."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from ..errors import ApplicationError
from ..models import Invitation, Membership, Organization, User
from ..roles import ROLES_BY_KIND, Role
from .audit import audit_record
from .email import email_queue
from .tokens import token_digest

INVITATION_VALID_DAYS = 14


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
