"""Hand over a deactivated approver's open approvals (called by the kernel through MEMBER_DEACTIVATED_HOOKS, inside
the transaction that deactivates a member or takes roles away; the kernel never imports `orders`).

For each requisition of the agency still waiting for approval on which the member had an open request and whose
approver role they no longer hold (all of them, once deactivated): their request is closed (the e-mailed link stops
working), and every other eligible approver — an active member holding the requisition's approver role, never the
requester, not already asked and not having decided — is asked, e-mailed and notified, as at submit. When fewer
approvers are left than approvals still needed, the requisition's routing note says so and the agency's admins are
told the order is stuck until they add approvers."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from marketplace.core.formatting import money
from marketplace.core.models import Membership, Organization, User
from marketplace.core.notification_kinds import NotificationKind
from marketplace.core.roles import OrgKind, Role
from marketplace.core.selectors import organization_users
from marketplace.core.services.audit import audit_record
from marketplace.core.services.notifications import notification_create
from orders.approvals.models import Approval, ApprovalDecision, ApprovalRequest
from orders.approvals.services.links import approval_request_email
from orders.approvals.services.routing import APPROVAL_REQUEST_DAYS, _role_label
from orders.requisitions.models import Requisition, RequisitionStatus


def approvals_hand_over(*, organization: Organization, user: User, actor: User | None) -> list[Requisition]:
    """Reassign `user`'s open approval requests in `organization` (an agency). Returns the requisitions touched."""
    if organization.kind != OrgKind.AGENCY:
        return []
    requisition_ids = list(
        ApprovalRequest.objects.filter(
            requisition__agency=organization,
            requisition__status=RequisitionStatus.PENDING_APPROVAL,
            approver=user,
            used_at__isnull=True,
        )
        .order_by("requisition_id")
        .values_list("requisition_id", flat=True)
    )
    still_held = set(
        Membership.objects.active().filter(user=user, organization=organization).values_list("role", flat=True)
    )
    touched = []
    for requisition in (
        Requisition.objects.select_for_update(of=("self",))
        .select_related("requester")
        .filter(pk__in=requisition_ids, agency=organization)
        .order_by("pk")
    ):
        if requisition.status != RequisitionStatus.PENDING_APPROVAL or requisition.approver_role in still_held:
            continue
        touched.append(_hand_over_one(requisition=requisition, agency=organization, user=user, actor=actor))
    return touched


def _hand_over_one(*, requisition: Requisition, agency: Organization, user: User, actor: User | None) -> Requisition:
    now = timezone.now()
    ApprovalRequest.objects.filter(requisition=requisition, approver=user, used_at__isnull=True).update(used_at=now)
    approved = Approval.objects.filter(requisition=requisition, decision=ApprovalDecision.APPROVED).count()
    needed = max(requisition.approvals_required - approved, 0)
    asked_before = set(ApprovalRequest.objects.filter(requisition=requisition).values_list("approver_id", flat=True))
    decided = set(Approval.objects.filter(requisition=requisition).values_list("approver_id", flat=True))
    still_open = set(
        ApprovalRequest.objects.filter(requisition=requisition, used_at__isnull=True).values_list(
            "approver_id", flat=True
        )
    )
    candidates = []
    if requisition.approver_role:
        candidates = list(
            organization_users(organization=agency, roles={requisition.approver_role}).exclude(
                pk__in={requisition.requester_id, user.pk} | asked_before | decided
            )
        )
    expires = now + dt.timedelta(days=APPROVAL_REQUEST_DAYS)
    created = ApprovalRequest.objects.bulk_create(
        [ApprovalRequest(requisition=requisition, approver=a, expires_at=expires) for a in candidates]
    )
    queue_url = reverse("agency-approvals", kwargs={"org": agency.slug})
    requester = requisition.requester.get_full_name()
    for approval_request, approver in zip(created, candidates, strict=True):
        approval_request_email(approval_request=approval_request)
        notification_create(
            user=approver,
            organization=agency,
            title=f"Order to approve: {money(requisition.total)} from {requester}",
            body=f"Handed over from {user.get_full_name()}, who no longer has access to {agency.name}.",
            url=queue_url,
            kind=NotificationKind.APPROVAL_NEEDED,
        )
    available = len(still_open) + len(created)
    stuck = available < needed
    if stuck:
        requisition.routing_note = (
            f"{user.get_full_name()} can no longer approve it. This order still needs {needed} approval"
            f"{'s' if needed != 1 else ''} from the “{_role_label(requisition.approver_role)}” role, but only "
            f"{available} eligible approver{'s' if available != 1 else ''} remain{'s' if available == 1 else ''}. "
            "It waits until an agency admin adds approvers."
        )
        requisition.save(update_fields=["routing_note"])
        for admin in organization_users(organization=agency, roles={Role.AGENCY_ADMIN}).exclude(pk=user.pk):
            notification_create(
                user=admin,
                organization=agency,
                title="An order is stuck waiting for approvers",
                body=requisition.routing_note,
                url=queue_url,
                kind=NotificationKind.GENERAL,  # needs an admin to act: always e-mailed
            )
    audit_record(
        actor=actor,
        action="requisition.approvers_reassigned",
        organization=agency,
        obj=requisition,
        after={
            "from": user.pk,
            "to": [a.pk for a in candidates],
            "approvals_needed": needed,
            "approvers_available": available,
            "stuck": stuck,
        },
    )
    return requisition
