"""A deactivated approver's open approvals are handed to the agency's other eligible approvers (the kernel calls the
orders hook in the deactivation's transaction); with nobody left, the agency's admins are told the order is stuck."""

import pytest

from marketplace.core.models import AuditEvent, Notification
from marketplace.core.services.team import member_set_active
from orders.approvals.models import ApprovalRequest
from orders.approvals.services.decisions import requisition_approve
from orders.requisitions.models import RequisitionStatus
from tests.approvals.conftest import approvers, pending_requisition  # noqa: F401

pytestmark = pytest.mark.django_db


def test_open_request_moves_to_the_other_approver_who_can_then_approve(approvers, make_member):  # noqa: F811
    world = approvers
    third = make_member(world.agency, "approver", email="approver3@alpha.test", full_name="Cy Approver")
    requisition = pending_requisition(world, approvers=[world.approver, world.approver2], required=2)

    member_set_active(organization=world.agency, user=world.approver, active=False, actor=world.agency_admin)

    closed = ApprovalRequest.objects.get(requisition=requisition, approver=world.approver)
    assert closed.used_at is not None
    assert ApprovalRequest.objects.filter(requisition=requisition, approver=third, used_at__isnull=True).exists()
    assert Notification.objects.filter(user=third, title__startswith="Order to approve").exists()
    event = AuditEvent.objects.get(action="requisition.approvers_reassigned")
    assert event.after["to"] == [third.pk] and event.after["stuck"] is False

    requisition_approve(requisition=requisition, actor=world.approver2)
    requisition = requisition_approve(requisition=requisition, actor=third)
    assert requisition.status == RequisitionStatus.APPROVED


def test_nobody_left_tells_the_admins_the_order_is_stuck(approvers):  # noqa: F811
    world = approvers
    requisition = pending_requisition(world, approvers=[world.approver, world.approver2], required=2)

    member_set_active(organization=world.agency, user=world.approver, active=False, actor=world.agency_admin)

    requisition.refresh_from_db()
    assert "can no longer approve it" in requisition.routing_note
    assert requisition.status == RequisitionStatus.PENDING_APPROVAL
    stuck = Notification.objects.filter(user=world.agency_admin, title__contains="stuck")
    assert stuck.count() == 1
    assert not ApprovalRequest.objects.filter(requisition=requisition, approver=world.requester).exists()


def test_another_agencys_requisitions_are_untouched(approvers, make_member):  # noqa: F811
    world = approvers
    requisition = pending_requisition(world, approvers=[world.approver])
    make_member(world.other_agency, "approver", email="approver@beta.test")

    member_set_active(
        organization=world.other_agency, user=world.other_agency_admin, active=True, actor=world.other_agency_admin
    )
    member_set_active(organization=world.agency, user=world.approver2, active=False, actor=world.agency_admin)

    assert ApprovalRequest.objects.get(requisition=requisition, approver=world.approver).used_at is None
    assert not AuditEvent.objects.filter(action="requisition.approvers_reassigned").exists()


def test_losing_the_approver_role_hands_over_but_another_role_change_does_not(approvers, make_member):  # noqa: F811
    from marketplace.core.services.team import member_roles_set

    world = approvers
    third = make_member(world.agency, "approver", email="approver3@alpha.test")
    requisition = pending_requisition(world, approvers=[world.approver, world.approver2])

    member_roles_set(
        organization=world.agency, user=world.approver, roles=["approver", "finance"], actor=world.agency_admin
    )
    assert ApprovalRequest.objects.get(requisition=requisition, approver=world.approver).used_at is None

    member_roles_set(organization=world.agency, user=world.approver, roles=["finance"], actor=world.agency_admin)
    assert ApprovalRequest.objects.get(requisition=requisition, approver=world.approver).used_at is not None
    assert ApprovalRequest.objects.filter(requisition=requisition, approver=third, used_at__isnull=True).exists()
