"""Approval decisions: who may decide, once, and what each refusal leaves unchanged."""

from __future__ import annotations

import pytest
from django.core import mail

from agencies.models import ApprovalRule
from marketplace.core.errors import ApplicationError
from marketplace.core.models import Notification, OutboxTask
from orders.approvals.services.decisions import requisition_approve, requisition_reject
from orders.models import Approval, ApprovalRequest, OrderEvent, PurchaseOrder, Requisition
from tests.approvals.conftest import FY, pending_requisition


def state(requisition):
    requisition = Requisition.objects.get(pk=requisition.pk)
    return (
        requisition.status,
        tuple(PurchaseOrder.objects.filter(requisition=requisition).values_list("status", "number").order_by("pk")),
        Approval.objects.filter(requisition=requisition).count(),
        OrderEvent.objects.filter(requisition=requisition).count(),
        tuple(ApprovalRequest.objects.filter(requisition=requisition).values_list("used_at", flat=True).order_by("pk")),
        OutboxTask.objects.count(),
    )


def refused(code, fn, **kwargs):
    with pytest.raises(ApplicationError) as exc:
        fn(**kwargs)
    assert exc.value.code == code, exc.value.message
    return exc.value


@pytest.mark.django_db
def test_final_approval_approves_and_releases_every_po(approvers):
    world = approvers
    requisition = pending_requisition(world, approvers=[world.approver], pos=2)
    result = requisition_approve(requisition=requisition, actor=world.approver)
    assert result.status == "approved"
    pos = list(PurchaseOrder.objects.filter(requisition=requisition).order_by("pk"))
    assert [po.status for po in pos] == ["sent", "sent"]
    assert [po.number for po in pos] == [f"MRC-{FY}-00001", f"MRC-{FY}-00002"]
    assert all(po.pdf_status == "pending" and po.sent_at for po in pos)
    assert OutboxTask.objects.filter(task_name="orders.po_pdf_render").count() == 2
    assert ApprovalRequest.objects.get(requisition=requisition).used_at is not None
    assert Notification.objects.filter(user=world.requester, title__contains="sent to the supplier").exists()
    assert Notification.objects.filter(user=world.approver, title__contains="sent to the supplier").exists()
    moves = list(OrderEvent.objects.filter(purchase_order=pos[0]).values_list("from_status", "to_status"))
    assert moves == [("pending_approval", "approved"), ("approved", "sent")]


@pytest.mark.django_db
def test_two_required_approvals_wait_for_the_second(approvers):
    world = approvers
    requisition = pending_requisition(world, approvers=[world.approver, world.approver2], required=2)
    assert requisition_approve(requisition=requisition, actor=world.approver).status == "pending_approval"
    assert PurchaseOrder.objects.get(requisition=requisition).status == "pending_approval"
    assert requisition_approve(requisition=requisition, actor=world.approver2).status == "approved"
    assert PurchaseOrder.objects.get(requisition=requisition).status == "sent"


@pytest.mark.django_db
def test_rejection_rejects_the_pos_and_tells_the_requester_why(approvers):
    world = approvers
    requisition = pending_requisition(world, approvers=[world.approver], pos=2)
    refused("invalid", requisition_reject, requisition=requisition, actor=world.approver, reason="  ")
    result = requisition_reject(requisition=requisition, actor=world.approver, reason="Use the existing stock first")
    assert result.status == "rejected"
    assert set(PurchaseOrder.objects.filter(requisition=requisition).values_list("status", flat=True)) == {"rejected"}
    note = Notification.objects.get(user=world.requester)
    assert "Use the existing stock first" in note.body
    assert not PurchaseOrder.objects.exclude(number="").exists()


@pytest.mark.django_db
def test_self_approval_is_refused_and_changes_nothing(approvers):
    world = approvers
    requisition = pending_requisition(world, approvers=[world.approver])
    # the requester also holds the approver role: still not their own
    from tests.factories import MembershipFactory

    MembershipFactory(user=world.requester, organization=world.agency, role="approver")
    before = state(requisition)
    refused("self_approval", requisition_approve, requisition=requisition, actor=world.requester)
    refused("self_approval", requisition_reject, requisition=requisition, actor=world.requester, reason="no")
    assert state(requisition) == before


@pytest.mark.django_db
def test_a_member_without_request_or_role_is_not_an_approver(approvers):
    world = approvers
    requisition = pending_requisition(world, approvers=[world.approver])
    before = state(requisition)
    refused("not_an_approver", requisition_approve, requisition=requisition, actor=world.agency_admin)
    refused("not_an_approver", requisition_approve, requisition=requisition, actor=world.other_agency_admin)
    assert state(requisition) == before


@pytest.mark.django_db
def test_approval_after_a_rejection_is_409_and_changes_nothing(approvers):
    world = approvers
    requisition = pending_requisition(world, approvers=[world.approver, world.approver2], required=2)
    requisition_reject(requisition=requisition, actor=world.approver, reason="Over budget")
    before = state(requisition)
    error = refused("not_pending", requisition_approve, requisition=requisition, actor=world.approver2)
    assert error.status_code == 409
    assert state(requisition) == before


@pytest.mark.django_db
def test_second_approval_on_an_approved_requisition_changes_nothing(approvers):
    world = approvers
    requisition = pending_requisition(world, approvers=[world.approver, world.approver2])
    requisition_approve(requisition=requisition, actor=world.approver)
    before = state(requisition)
    refused("not_pending", requisition_approve, requisition=requisition, actor=world.approver2)
    refused("already_decided", requisition_approve, requisition=requisition, actor=world.approver)
    assert state(requisition) == before


@pytest.mark.django_db
def test_emergency_rule_is_recorded_on_the_approval(approvers):
    world = approvers
    ApprovalRule.objects.create(agency=world.agency, name="Declared emergency", is_emergency=True)
    requisition = pending_requisition(
        world,
        approvers=[world.approver],
        is_emergency=True,
        emergency_reason="Hurricane landfall",
        approval_rule_name="Declared emergency",
    )
    requisition_approve(requisition=requisition, actor=world.approver)
    assert Approval.objects.get(requisition=requisition).via_emergency_rule is True
    normal = pending_requisition(world, approvers=[world.approver])
    requisition_approve(requisition=normal, actor=world.approver)
    assert Approval.objects.get(requisition=normal).via_emergency_rule is False
    assert mail.outbox == []  # e-mail only ever goes through the worker
