"""Real concurrent transactions: the last two admins demoting (or deactivating) each other at the same moment leave
one admin; an invitation clicked twice at once grants its roles once."""

from __future__ import annotations

import pytest

from marketplace.core.errors import ApplicationError
from marketplace.core.models import Invitation, Membership
from marketplace.core.roles import ADMIN_ROLES
from marketplace.core.services.invitations import invitation_accept, invitation_create
from marketplace.core.services.team import member_roles_set, member_set_active
from tests.concurrency import run_at_once
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _outcome(call):
    def run():
        try:
            call()
            return "ok"
        except ApplicationError as exc:
            return exc.code

    return run


def _admins(org):
    return set(
        Membership.objects.filter(organization=org, role__in=ADMIN_ROLES, is_active=True).values_list(
            "user_id", flat=True
        )
    )


@pytest.mark.parametrize("how", ["demote", "deactivate"])
def test_the_last_two_admins_at_once_leave_one(world, make_member, how):
    first = world.agency_admin
    second = make_member(world.agency, "agency_admin", email="second-admin@alpha.test")

    def change(user):
        if how == "demote":
            return lambda: member_roles_set(organization=world.agency, user=user, roles=["requester"], actor=user)
        other = second if user == first else first
        return lambda: member_set_active(organization=world.agency, user=other, active=False, actor=user)

    outcomes = run_at_once(_outcome(change(first)), _outcome(change(second)))

    assert sorted(outcomes) == ["last_admin", "ok"]
    assert len(_admins(world.agency)) == 1


def test_an_invitation_accepted_twice_at_once_grants_once(world):
    _, token = invitation_create(
        organization=world.agency, email="twice@alpha.test", roles=["requester", "approver"], actor=world.agency_admin
    )
    person = UserFactory(email="twice@alpha.test")

    outcomes = run_at_once(
        _outcome(lambda: invitation_accept(token=token, user=person)),
        _outcome(lambda: invitation_accept(token=token, user=person)),
    )

    assert sorted(outcomes) == ["already_accepted", "ok"]
    assert Membership.objects.filter(user=person).count() == 2
    assert Invitation.objects.get(email="twice@alpha.test").accepted_by == person
