"""Kernel reads."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from .models import AuditEvent, Invitation, Membership, Notification, NotificationPreference, Organization, User
from .notification_kinds import ALWAYS_EMAILED, GROUPS_FOR_ORGANIZATION_KIND, KIND_GROUPS, NotificationKind
from .roles import URL_PREFIX


def membership_list(*, user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.active()
        .filter(user=user)
        .select_related("organization")
        .order_by("organization__name", "role")
    )


def organizations_for_user(*, user: User) -> list[dict]:
    """The user's organizations with their roles, one entry per organization (for navigation and /me)."""
    orgs: dict[int, dict] = {}
    for membership in membership_list(user=user):
        org = membership.organization
        entry = orgs.setdefault(
            org.pk,
            {"organization": org, "kind": org.kind, "url": f"/{URL_PREFIX[org.kind]}/{org.slug}/", "roles": []},
        )
        entry["roles"].append(membership.role)
    return list(orgs.values())


def organization_member_list(*, organization: Organization) -> QuerySet[Membership]:
    return (
        Membership.objects.for_organization(organization)
        .filter(is_active=True)
        .select_related("user")
        .order_by("user__full_name", "user__email", "role")
    )


def organization_users(*, organization: Organization | int, roles: frozenset[str] | set[str]) -> QuerySet[User]:
    """Active users holding an active membership with one of `roles` in the organization (each user once)."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__organization=organization,
            memberships__role__in=roles,
            memberships__is_active=True,
        )
        .distinct()
        .order_by("pk")
    )


def notification_list(*, user: User) -> QuerySet[Notification]:
    """The user's own notifications, newest first (the model's ordering)."""
    return Notification.objects.filter(user=user).select_related("organization")


def notification_preference_list(*, user: User, relevant_only: bool = False) -> list[dict]:
    """Every kind with the user's e-mail choice (no stored row: on), in the settings page's groups and order.

    `relevant_only`: only the groups that fit the kinds of organization the user belongs to (every group for a
    user without an organization)."""
    stored = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "email"))
    groups = None
    if relevant_only:
        kinds = {membership.organization.kind for membership in membership_list(user=user)}
        if kinds:
            groups = set().union(*(GROUPS_FOR_ORGANIZATION_KIND[kind] for kind in kinds))
    rows = []
    for group, heading, kinds in KIND_GROUPS:
        if groups is not None and group not in groups:
            continue
        for kind in kinds:
            always = kind in ALWAYS_EMAILED
            rows.append(
                {
                    "kind": kind,
                    "label": NotificationKind(kind).label,
                    "group": group,
                    "group_label": heading,
                    "email": True if always else stored.get(kind, True),
                    "can_turn_off": not always,
                }
            )
    return rows


def unread_notification_count(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def audit_event_list(*, organization: Organization | None = None) -> QuerySet[AuditEvent]:
    """Audit rows, newest first. With `organization`, only that tenant's rows (org admins); without, all
    rows (platform staff page only). `AuditEventFilter` narrows it."""
    qs = (
        AuditEvent.objects.for_organization(organization) if organization is not None else AuditEvent.objects.unscoped()
    )
    return qs.select_related("organization", "actor").order_by("-created_at", "-id")


# --- team ------------------------------------------------------------------------------------------------------------


@dataclass
class TeamMember:
    """One person in an organization's team: their roles there and whether they still have access."""

    user: User
    roles: list[str]
    is_active: bool
    mfa_enabled: bool
    mfa_required: bool = False  # holds a role the organization's policy requires two-factor sign-in for

    @property
    def pk(self) -> int:
        return self.user.pk


def team_member_list(*, organization: Organization, user_id: int | None = None) -> list[TeamMember]:
    """Every person holding a membership (active or not) in the organization, active first, then by name; two
    queries whatever the size of the team."""
    from allauth.mfa.models import Authenticator

    memberships = (
        Membership.objects.for_organization(organization)
        .select_related("user")
        .order_by("user__full_name", "user__email", "role")
    )
    if user_id is not None:
        memberships = memberships.filter(user_id=user_id)
    people: dict[int, TeamMember] = {}
    for membership in memberships:
        entry = people.setdefault(
            membership.user_id, TeamMember(user=membership.user, roles=[], is_active=False, mfa_enabled=False)
        )
        entry.roles.append(membership.role)
        entry.is_active = entry.is_active or membership.is_active
    if people:
        with_mfa = set(
            Authenticator.objects.filter(user_id__in=people, type=Authenticator.Type.TOTP).values_list(
                "user_id", flat=True
            )
        )
        policy = set(organization.mfa_required_roles or [])
        for user_pk, entry in people.items():
            entry.mfa_enabled = user_pk in with_mfa
            entry.mfa_required = bool(policy & set(entry.roles))
    return sorted(people.values(), key=lambda m: not m.is_active)


def team_member_get(*, organization: Organization, user_id: int) -> TeamMember:
    """One member of the organization, or 404 (a person who is not in it, whoever they are elsewhere)."""
    found = team_member_list(organization=organization, user_id=user_id)
    if not found:
        raise Http404("No such member.")
    return found[0]


def invitation_list(*, organization: Organization) -> QuerySet[Invitation]:
    """The organization's invitations not yet accepted or withdrawn (pending and expired), newest first."""
    return (
        Invitation.objects.for_organization(organization)
        .filter(accepted_at__isnull=True, revoked_at__isnull=True)
        .select_related("invited_by")
        .order_by("-created_at", "-pk")
    )


def invitation_get(*, organization: Organization, invitation_id: int) -> Invitation:
    invitation = (
        Invitation.objects.for_organization(organization)
        .select_related("organization", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None:
        raise Http404("No such invitation.")
    return invitation
