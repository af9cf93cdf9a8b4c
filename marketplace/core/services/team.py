"""Team management: change a member's roles, deactivate or reactivate a member, set the organization's MFA policy.

One rule protects every organization: it always keeps at least one active admin. Every change here first locks the
organization row, so team changes of one organization run one after another: two admins demoting each other at the
same moment cannot both succeed (the second sees the first's change and is refused).

Deactivating a member, or taking roles away, runs the hooks named in `settings.MEMBER_DEACTIVATED_HOOKS` (dotted
paths) inside the same transaction, so domain apps can hand over the member's open work that the roles left no longer
allow (for example, an approver's open approvals) without the kernel importing them."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from ..errors import ApplicationError
from ..models import Membership, Organization, User
from ..notification_kinds import NotificationKind
from ..roles import ADMIN_ROLES, ROLES_BY_KIND, Role
from .audit import audit_record
from .notifications import notification_create


def _lock_organization(organization: Organization) -> Organization:
    return Organization.objects.select_for_update().get(pk=organization.pk)


def _member_rows(organization: Organization, user: User | int) -> list[Membership]:
    rows = list(Membership.objects.for_organization(organization).select_for_update().filter(user=user).order_by("pk"))
    if not rows:
        raise ApplicationError("not_found", "No such member.", status=404)
    return rows


def _other_active_admins(organization: Organization, user: User | int) -> int:
    return (
        Membership.objects.for_organization(organization)
        .filter(role__in=ADMIN_ROLES, is_active=True, user__is_active=True)
        .exclude(user=user)
        .values("user")
        .distinct()
        .count()
    )


def _labels(roles: Iterable[str]) -> str:
    return ", ".join(sorted(Role(r).label for r in roles)) or "none"


def clean_roles(organization: Organization, roles: Iterable[str], *, field: str = "roles") -> list[str]:
    """The chosen roles, de-duplicated and sorted; refuses roles that are not of the organization's kind."""
    allowed = ROLES_BY_KIND[organization.kind]
    chosen = sorted({str(role) for role in roles or []})
    wrong = [role for role in chosen if role not in allowed]
    if wrong:
        message = f"Not a role in this {organization.get_kind_display().lower()}: {', '.join(w[:40] for w in wrong)}."
        raise ApplicationError("invalid", message, {field: [message]})
    return chosen


def _notify(*, user: User, organization: Organization, title: str, body: str = "") -> None:
    notification_create(
        user=user,
        organization=organization,
        kind=NotificationKind.ONBOARDING,
        title=title,
        body=body,
        url=organization.get_absolute_url(),
    )


@transaction.atomic
def member_roles_set(*, organization: Organization, user: User, roles: Iterable[str], actor: User) -> list[str]:
    """Give `user` exactly `roles` in `organization` (at least one). Removed roles' rows are deleted, added ones
    created (inactive if the member is deactivated). Refused when it would leave the organization without an active
    admin. Returns the roles now held."""
    roles = clean_roles(organization, roles)
    if not roles:
        raise ApplicationError(
            "invalid",
            "Choose at least one role (to remove someone, deactivate them).",
            {"roles": ["Choose at least one role."]},
        )
    organization = _lock_organization(organization)
    rows = _member_rows(organization, user)
    held = {row.role for row in rows}
    active = any(row.is_active for row in rows)
    if held == set(roles):
        return roles
    loses_admin = active and bool(held & ADMIN_ROLES) and not (set(roles) & ADMIN_ROLES)
    if loses_admin and _other_active_admins(organization, user) == 0:
        message = f"{organization.name} needs at least one active admin: make someone else an admin first."
        raise ApplicationError("last_admin", message, {"roles": [message]}, status=409)
    removed = held - set(roles)
    Membership.objects.filter(pk__in=[row.pk for row in rows if row.role in removed]).delete()
    for role in sorted(set(roles) - held):
        Membership.objects.create(user=user, organization=organization, role=role, is_active=active)
    if removed and active:
        # work the member can no longer do with the roles left (e.g. open approvals) is handed over
        _run_deactivation_hooks(organization=organization, user=user, actor=actor)
    audit_record(
        actor=actor,
        action="member.roles_changed",
        organization=organization,
        obj=user,
        before={"roles": sorted(held)},
        after={"roles": roles},
    )
    _notify(
        user=user,
        organization=organization,
        title=f"Your roles in {organization.name} changed",
        body=f"You now hold: {_labels(roles)} (before: {_labels(held)}).",
    )
    return roles


def _run_deactivation_hooks(*, organization: Organization, user: User, actor: User) -> None:
    for path in getattr(settings, "MEMBER_DEACTIVATED_HOOKS", []):
        import_string(path)(organization=organization, user=user, actor=actor)


@transaction.atomic
def member_set_active(*, organization: Organization, user: User, active: bool, actor: User) -> bool:
    """Deactivate (every membership of `user` in `organization`) or reactivate a member. Deactivating the last
    active admin is refused, whoever asks. Deactivation hands over the member's open work through
    MEMBER_DEACTIVATED_HOOKS. Returns True when something changed."""
    organization = _lock_organization(organization)
    rows = _member_rows(organization, user)
    if all(row.is_active == active for row in rows):
        return False
    holds_admin = any(row.role in ADMIN_ROLES and row.is_active for row in rows)
    if not active and holds_admin and _other_active_admins(organization, user) == 0:
        raise ApplicationError(
            "last_admin",
            f"{organization.name} needs at least one active admin: this member cannot be deactivated until "
            "someone else is an admin.",
            status=409,
        )
    Membership.objects.filter(pk__in=[row.pk for row in rows]).update(is_active=active)
    audit_record(
        actor=actor,
        action="member.reactivated" if active else "member.deactivated",
        organization=organization,
        obj=user,
        before={"active": not active, "roles": sorted(row.role for row in rows)},
        after={"active": active},
    )
    if active:
        _notify(user=user, organization=organization, title=f"Your access to {organization.name} was restored")
    else:
        _run_deactivation_hooks(organization=organization, user=user, actor=actor)
        _notify(
            user=user,
            organization=organization,
            title=f"Your access to {organization.name} was removed",
            body="Ask an admin of the organization if you think this is a mistake.",
        )
    return True


@transaction.atomic
def mfa_policy_set(*, organization: Organization, roles: Iterable[str], actor: User) -> list[str]:
    """Require two-factor sign-in for holders of `roles` (roles of the organization's kind; may be empty)."""
    roles = clean_roles(organization, roles)
    organization = _lock_organization(organization)
    before = sorted(r for r in organization.mfa_required_roles if r in ROLES_BY_KIND[organization.kind])
    if before == roles:
        return roles
    # keep entries for other kinds' roles out: only this kind's roles mean anything here
    organization.mfa_required_roles = roles
    organization.save(update_fields=["mfa_required_roles"])
    audit_record(
        actor=actor,
        action="organization.mfa_policy_changed",
        organization=organization,
        obj=organization,
        before={"roles": before},
        after={"roles": roles},
    )
    return roles
