"""Approval decisions on a requisition: approve, reject. The routing at submit (who is asked) lives elsewhere;
this module decides, once, under a row lock on the requisition.

Rules: nobody decides their own requisition; only an eligible approver decides (an open `ApprovalRequest` for
this requisition, or an active membership with the requisition's `approver_role`); each approver decides once;
only a requisition waiting for approval can be decided. The last required approval approves the requisition and
its purchase orders and releases them (`purchase_orders_release`); one rejection rejects them all."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from agencies.models import ApprovalRule
from marketplace.core.errors import ApplicationError
from marketplace.core.formatting import count_of
from marketplace.core.models import Membership, User
from marketplace.core.notification_kinds import NotificationKind
from marketplace.core.services.audit import audit_record
from marketplace.core.services.notifications import notification_create
from orders.approvals.models import Approval, ApprovalDecision, ApprovalRequest
from orders.purchase_orders.models import POStatus, PurchaseOrder
from orders.purchase_orders.services.release import purchase_orders_release
from orders.purchase_orders.services.transitions import po_transition
from orders.requisitions.models import Requisition, RequisitionStatus
from orders.requisitions.services.transitions import requisition_transition

REASON_MAX = 2000


def _locked(requisition: Requisition) -> Requisition:
    return Requisition.objects.select_for_update().select_related("agency", "requester").get(pk=requisition.pk)


def approver_is_eligible(*, requisition: Requisition, user: User) -> bool:
    """An open approval request for `user`, or an active membership with the requisition's approver role."""
    if ApprovalRequest.objects.filter(requisition=requisition, approver=user, used_at__isnull=True).exists():
        return True
    return bool(requisition.approver_role) and (
        Membership.objects.active()
        .filter(user=user, organization_id=requisition.agency_id, role=requisition.approver_role)
        .exists()
    )


def _check_may_decide(requisition: Requisition, actor: User) -> None:
    """Raise the coded refusal for `actor` deciding the (locked) `requisition`; return if they may."""
    if requisition.requester_id == actor.pk:
        raise ApplicationError("self_approval", "Nobody may approve or reject their own requisition.", status=403)
    if Approval.objects.filter(requisition=requisition, approver=actor).exists():
        raise ApplicationError("already_decided", "You have already decided this requisition.", status=409)
    if not approver_is_eligible(requisition=requisition, user=actor):
        raise ApplicationError("not_an_approver", "You are not an approver of this requisition.", status=403)
    if requisition.status != RequisitionStatus.PENDING_APPROVAL:
        label = RequisitionStatus(requisition.status).label.lower()
        raise ApplicationError(
            "not_pending", f"This requisition is no longer waiting for approval: it is {label}.", status=409
        )


def _close_requests(requisition: Requisition, actor: User) -> None:
    """The approver's e-mail link is single use: any decision by them closes it."""
    ApprovalRequest.objects.filter(requisition=requisition, approver=actor, used_at__isnull=True).update(
        used_at=timezone.now()
    )


def _emergency_rule_taken(requisition: Requisition) -> bool:
    return (
        requisition.is_emergency
        and bool(requisition.approval_rule_name)
        and ApprovalRule.objects.for_organization(requisition.agency_id)
        .filter(is_emergency=True, name=requisition.approval_rule_name)
        .exists()
    )


def requisition_approve(*, requisition: Requisition, actor: User, via_link: bool = False) -> Requisition:
    """Record `actor`'s approval. The last required approval approves and releases the purchase orders."""
    with transaction.atomic():
        requisition = _locked(requisition)
        _check_may_decide(requisition, actor)
        approval = Approval.objects.create(
            requisition=requisition,
            approver=actor,
            decision=ApprovalDecision.APPROVED,
            via_emergency_rule=_emergency_rule_taken(requisition),
        )
        _close_requests(requisition, actor)
        count = Approval.objects.filter(requisition=requisition, decision=ApprovalDecision.APPROVED).count()
        required = max(requisition.approvals_required, 1)
        audit_record(
            actor=actor,
            action="requisition.approval",
            organization=requisition.agency,
            obj=requisition,
            after={
                "approval": approval.pk,
                "approvals": count,
                "required": required,
                "via_link": via_link,
                "via_emergency_rule": approval.via_emergency_rule,
            },
        )
        if count < required:
            return requisition
        note = f"{count} of {count_of(required, 'approval')}" + (
            " under the emergency rule" if approval.via_emergency_rule else ""
        )
        requisition = requisition_transition(
            requisition=requisition, to=RequisitionStatus.APPROVED, actor=actor, note=note
        )
        for po in PurchaseOrder.objects.filter(requisition=requisition).order_by("pk"):
            if po.status in (POStatus.PENDING_APPROVAL, POStatus.SUBMITTED):
                po_transition(po=po, to=POStatus.APPROVED, actor=actor, note=note)
        purchase_orders_release(requisition=requisition, actor=actor)
    return requisition


def requisition_reject(*, requisition: Requisition, actor: User, reason: str, via_link: bool = False) -> Requisition:
    """One rejection ends the requisition: it and its purchase orders become rejected; the requester is told why."""
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("invalid", "Say why you reject it.", {"reason": ["A reason is required."]})
    if len(reason) > REASON_MAX:
        raise ApplicationError("invalid", "The reason is too long.", {"reason": [f"At most {REASON_MAX} characters."]})
    with transaction.atomic():
        requisition = _locked(requisition)
        _check_may_decide(requisition, actor)
        Approval.objects.create(
            requisition=requisition, approver=actor, decision=ApprovalDecision.REJECTED, reason=reason
        )
        _close_requests(requisition, actor)
        requisition = requisition_transition(
            requisition=requisition, to=RequisitionStatus.REJECTED, actor=actor, note=reason
        )
        for po in PurchaseOrder.objects.filter(requisition=requisition).order_by("pk"):
            if po.status in (POStatus.PENDING_APPROVAL, POStatus.SUBMITTED, POStatus.APPROVED):
                po_transition(po=po, to=POStatus.REJECTED, actor=actor, note=reason)
        emergency = "Emergency requisition" if requisition.is_emergency else "Your requisition"
        notification_create(
            user=requisition.requester,
            organization=requisition.agency,
            title=f"{emergency} of {requisition.created_at:%b %-d, %Y} was rejected",
            body=f"{actor.get_full_name()} rejected it: {reason}",
            url=f"/agencies/{requisition.agency.slug}/",
            kind=NotificationKind.REJECTED,
        )
    return requisition
