"""Team rules: roles are of the organization's kind, at least one; the organization always keeps an active admin
(whoever asks); deactivation deactivates every membership there and reactivation restores them; every change is
audited and the member is told; the MFA policy takes only the kind's roles. Each refusal changes nothing."""

import pytest

from marketplace.core.errors import ApplicationError
from marketplace.core.models import AuditEvent, Membership, Notification, Organization
from marketplace.core.notification_kinds import NotificationKind
from marketplace.core.selectors import team_member_list
from marketplace.core.services.team import member_roles_set, member_set_active, mfa_policy_set

pytestmark = pytest.mark.django_db


def _state():
    return (
        sorted(Membership.objects.values_list("user_id", "organization_id", "role", "is_active")),
        sorted(Organization.objects.values_list("pk", "mfa_required_roles")),
        AuditEvent.objects.count(),
        Notification.objects.count(),
    )


def _roles(user, org):
    return sorted(Membership.objects.filter(user=user, organization=org).values_list("role", "is_active"))


def test_change_roles_adds_and_removes_audits_and_tells_the_member(world):
    member_roles_set(
        organization=world.agency, user=world.requester, roles=["approver", "finance"], actor=world.agency_admin
    )

    assert _roles(world.requester, world.agency) == [("approver", True), ("finance", True)]
    event = AuditEvent.objects.get(action="member.roles_changed")
    assert event.before == {"roles": ["requester"]} and event.after == {"roles": ["approver", "finance"]}
    note = Notification.objects.get(user=world.requester)
    assert note.kind == NotificationKind.ONBOARDING and "Approver, Finance" in note.body


@pytest.mark.parametrize(
    ("roles", "code"),
    [([], "invalid"), (["supplier_admin"], "invalid"), (["requester", "coop_admin"], "invalid")],
)
def test_roles_outside_the_kind_or_none_are_refused(world, roles, code):
    before = _state()
    with pytest.raises(ApplicationError) as exc:
        member_roles_set(organization=world.agency, user=world.requester, roles=roles, actor=world.agency_admin)
    assert exc.value.code == code and "roles" in exc.value.fields
    assert _state() == before


def test_someone_not_in_the_organization_is_not_found(world):
    before = _state()
    with pytest.raises(ApplicationError) as exc:
        member_roles_set(
            organization=world.agency, user=world.other_requester, roles=["approver"], actor=world.agency_admin
        )
    assert exc.value.status_code == 404
    with pytest.raises(ApplicationError):
        member_set_active(
            organization=world.agency, user=world.other_agency_admin, active=False, actor=world.agency_admin
        )
    assert _state() == before


def test_the_last_admin_cannot_demote_themselves(world):
    before = _state()
    with pytest.raises(ApplicationError) as exc:
        member_roles_set(
            organization=world.agency, user=world.agency_admin, roles=["requester"], actor=world.agency_admin
        )
    assert exc.value.code == "last_admin" and exc.value.status_code == 409
    assert _state() == before


@pytest.mark.parametrize("actor", ["agency_admin", "staff"])
def test_the_last_admin_cannot_be_deactivated_by_anyone(world, actor):
    from tests.factories import UserFactory

    who = world.agency_admin if actor == "agency_admin" else UserFactory(is_staff=True)
    before = _state()
    with pytest.raises(ApplicationError) as exc:
        member_set_active(organization=world.agency, user=world.agency_admin, active=False, actor=who)
    assert exc.value.code == "last_admin"
    assert _state() == before


def test_an_inactive_admin_does_not_count(world, make_member):
    second = make_member(world.agency, "agency_admin", email="second-admin@alpha.test")
    member_set_active(organization=world.agency, user=second, active=False, actor=world.agency_admin)
    with pytest.raises(ApplicationError):
        member_roles_set(
            organization=world.agency, user=world.agency_admin, roles=["requester"], actor=world.agency_admin
        )


def test_with_a_second_admin_the_first_may_step_down(world, make_member):
    make_member(world.agency, "agency_admin", email="second-admin@alpha.test")
    member_roles_set(organization=world.agency, user=world.agency_admin, roles=["approver"], actor=world.agency_admin)
    assert _roles(world.agency_admin, world.agency) == [("approver", True)]


def test_deactivate_then_reactivate_every_membership(world):
    member_roles_set(
        organization=world.agency, user=world.requester, roles=["requester", "approver"], actor=world.agency_admin
    )

    assert member_set_active(organization=world.agency, user=world.requester, active=False, actor=world.agency_admin)
    assert _roles(world.requester, world.agency) == [("approver", False), ("requester", False)]
    assert AuditEvent.objects.filter(action="member.deactivated").count() == 1
    assert Notification.objects.filter(user=world.requester, title__contains="was removed").count() == 1
    # the tenancy gate now refuses them
    assert not Membership.objects.active().filter(user=world.requester).exists()
    # twice changes nothing
    before = _state()
    assert not member_set_active(
        organization=world.agency, user=world.requester, active=False, actor=world.agency_admin
    )
    assert _state() == before

    member_set_active(organization=world.agency, user=world.requester, active=True, actor=world.agency_admin)
    assert _roles(world.requester, world.agency) == [("approver", True), ("requester", True)]


def test_deactivation_in_one_organization_leaves_the_others(world):
    from tests.factories import MembershipFactory

    MembershipFactory(user=world.requester, organization=world.other_agency, role="requester")
    member_set_active(organization=world.agency, user=world.requester, active=False, actor=world.agency_admin)
    assert Membership.objects.get(user=world.requester, organization=world.other_agency).is_active


def test_team_list_shows_inactive_members_and_mfa(world):
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(user=world.agency_admin, type=Authenticator.Type.TOTP, data={"secret": "x"})
    member_set_active(organization=world.agency, user=world.requester, active=False, actor=world.agency_admin)

    rows = {m.user.email: m for m in team_member_list(organization=world.agency)}

    assert set(rows) == {world.requester.email, world.agency_admin.email}
    assert rows[world.agency_admin.email].mfa_enabled and rows[world.agency_admin.email].is_active
    assert not rows[world.requester.email].mfa_enabled and not rows[world.requester.email].is_active


def test_mfa_policy_takes_the_kinds_roles(world):
    assert world.agency.mfa_required_roles == [
        "approver",
        "finance",
        "agency_admin",
        "supplier_admin",
        "coop_staff",
        "coop_admin",
    ]
    assert mfa_policy_set(organization=world.agency, roles=["requester", "agency_admin"], actor=world.agency_admin) == [
        "agency_admin",
        "requester",
    ]
    world.agency.refresh_from_db()
    assert world.agency.mfa_required_roles == ["agency_admin", "requester"]
    assert AuditEvent.objects.filter(action="organization.mfa_policy_changed").count() == 1


def test_mfa_policy_refuses_another_kinds_role(world):
    before = _state()
    with pytest.raises(ApplicationError) as exc:
        mfa_policy_set(organization=world.agency, roles=["order_desk"], actor=world.agency_admin)
    assert "roles" in exc.value.fields
    assert _state() == before
