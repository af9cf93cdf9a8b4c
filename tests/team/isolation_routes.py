"""Team routes in the isolation matrix (tests/core/test_isolation.py): the team pages and API of every organization
kind, and the public invitation link.

Writes are for the organization's admin (agency_admin / supplier_admin / coop_admin); the member without the role is
refused with 403. Co-op staff may read the co-op's team page, so that probe takes any member (co-ops have no other
role). Objects named in `extra` belong to the probed organization; `_other_*` name the same kind of object in the other
organization of that kind (through your own URL: 404)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from marketplace.core.models import Invitation
from marketplace.core.roles import URL_PREFIX, OrgKind
from marketplace.core.services.invitations import invitation_create
from tests.isolation import Probe, orgs_and_users

ADMIN = {OrgKind.AGENCY: "agency_admin", OrgKind.SUPPLIER: "supplier_admin", OrgKind.COOPERATIVE: "coop_admin"}
# a role each kind's admin may give in the probes' invitations and policy
SOME_ROLE = {OrgKind.AGENCY: "requester", OrgKind.SUPPLIER: "order_desk", OrgKind.COOPERATIVE: "coop_staff"}


def probe_invitation(world, kind, *, other=False) -> Invitation:
    """An invitation of the probed organization (or, `other`, of the other one of that kind), sent long enough ago
    that it may be resent. The other one's address carries the OTHER marker."""
    own, other_org, allowed, _, other_member = orgs_and_users(world, kind)
    org, actor = (other_org, other_member) if other else (own, allowed)
    key = f"probe_invitation_{org.slug}"
    if not hasattr(world, key):
        local = "othertenant-invitee" if other else "probe-invitee"
        invitation, _ = invitation_create(
            organization=org, email=f"{local}@{org.slug}.test", roles=[SOME_ROLE[kind]], actor=actor
        )
        Invitation.objects.filter(pk=invitation.pk).update(last_sent_at=timezone.now() - timedelta(hours=1))
        setattr(world, key, invitation)
    return getattr(world, key)


def _own_invitation(kind):
    return lambda world: {"invitation_id": probe_invitation(world, kind).pk}


def _other_invitation(kind):
    return lambda world: {"invitation_id": probe_invitation(world, kind, other=True).pk}


def _invitee(kind):
    return lambda world: probe_invitation(world, kind).email


def _colleague(kind):
    return lambda world: orgs_and_users(world, kind)[3]


def _colleague_id(kind):
    return lambda world: {"user_id": _colleague(kind)(world).pk}


def _other_member_id(kind):
    return lambda world: {"user_id": orgs_and_users(world, kind)[4].pk}


def _invitation_count(world):
    return (Invitation.objects.count(), Invitation.objects.filter(revoked_at__isnull=False).count())


def _probes(kind) -> dict[str, Probe]:
    p = URL_PREFIX[kind]
    admin = frozenset({ADMIN[kind]})
    page_roles = None if kind == OrgKind.COOPERATIVE else admin
    colleague_email = lambda world: _colleague(kind)(world).email  # noqa: E731
    post = {"method": "post", "ok": (302,), "shows": None, "snapshot": _invitation_count}
    return {
        f"{p}-team": Probe(kind, page_roles, shows=colleague_email),
        f"{p}-team-invite": Probe(
            kind, admin, data={"email": f"new-person@{p}.test", "roles": [SOME_ROLE[kind]]}, **post
        ),
        f"{p}-team-invitation-resend": Probe(
            kind, admin, extra=_own_invitation(kind), other_extra=_other_invitation(kind), **post
        ),
        f"{p}-team-invitation-revoke": Probe(
            kind, admin, extra=_own_invitation(kind), other_extra=_other_invitation(kind), **post
        ),
        f"{p}-team-member": Probe(
            kind, admin, extra=_colleague_id(kind), other_extra=_other_member_id(kind), shows=colleague_email
        ),
        f"{p}-team-member-active": Probe(
            kind,
            admin,
            extra=_colleague_id(kind),
            other_extra=_other_member_id(kind),
            data={"active": "0"},
            **post,
        ),
        f"{p}-team-mfa-policy": Probe(kind, admin, data={"roles": [SOME_ROLE[kind]]}, **post),
        # API
        f"api-{p}-invitations": Probe(kind, admin, api=True, shows=_invitee(kind)),
        f"api-{p}-invitation-resend": Probe(
            kind,
            admin,
            api=True,
            method="post",
            ok=(200,),
            extra=_own_invitation(kind),
            other_extra=_other_invitation(kind),
            snapshot=_invitation_count,
            shows=None,
        ),
        f"api-{p}-invitation-revoke": Probe(
            kind,
            admin,
            api=True,
            method="post",
            ok=(200,),
            extra=_own_invitation(kind),
            other_extra=_other_invitation(kind),
            snapshot=_invitation_count,
            shows=None,
        ),
        f"api-{p}-member": Probe(
            kind,
            admin,
            api=True,
            extra=_colleague_id(kind),
            other_extra=_other_member_id(kind),
            shows=colleague_email,
        ),
        f"api-{p}-mfa-policy": Probe(kind, admin, api=True, shows=lambda world: '"roles":['),
    }


MATRIX: dict[str, Probe] = {}
for _kind in (OrgKind.AGENCY, OrgKind.SUPPLIER, OrgKind.COOPERATIVE):
    MATRIX.update(_probes(_kind))

UNSCOPED_ROUTES = {
    "invitation": "public: the secret link names one invitation; accepting grants roles only in its own organization",
    "invitation-signup": "public: starts sign-up with the invited address (tests/team/test_invitation_pages.py)",
    "invitation-request-new": "public: notifies the invitation's own organization's admins, rate-limited",
    "api-invitation": "public: the secret link names one invitation (tests/team/test_invitation_api.py)",
    "api-invitation-accept": "the invited account only; grants roles in the invitation's own organization "
    "(tests/team/test_invitation_api.py)",
}
