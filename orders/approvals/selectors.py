"""Approval reads: the approver's queue (constant query count), one requisition to decide, the split-flag's
related requisitions."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from marketplace.core.models import Organization, User
from marketplace.core.roles import Role
from orders.approvals.models import Approval, ApprovalRequest
from orders.purchase_orders.models import PurchaseOrder, PurchaseOrderLine
from orders.requisitions.models import Requisition, RequisitionStatus


def _with_details(qs: QuerySet[Requisition]) -> QuerySet[Requisition]:
    return qs.select_related("requester", "facility", "department").prefetch_related(
        Prefetch(
            "purchase_orders",
            queryset=PurchaseOrder.objects.select_related("supplier", "contract", "store").prefetch_related(
                Prefetch("lines", queryset=PurchaseOrderLine.objects.select_related("fund_code").order_by("pk"))
            ),
        ),
        Prefetch("approvals", queryset=Approval.objects.select_related("approver")),
    )


def approval_queue(*, agency: Organization, user: User, roles: frozenset[str]) -> QuerySet[Requisition]:
    """Requisitions waiting for approval that `user` may decide (an open request, or the approver role asked
    for), oldest first, emergencies on top. Agency admins see every pending requisition of the agency."""
    qs = Requisition.objects.for_organization(agency).filter(status=RequisitionStatus.PENDING_APPROVAL)
    if Role.AGENCY_ADMIN not in roles:
        qs = (
            qs.filter(
                Q(approval_requests__approver=user, approval_requests__used_at__isnull=True)
                | Q(approver_role__in=roles)
            )
            .exclude(requester=user)
            .exclude(approvals__approver=user)
            .distinct()
        )
    return _with_details(qs).order_by("-is_emergency", "created_at", "id")


def requisition_for_decision(*, agency: Organization, public_id) -> Requisition:
    """One requisition of `agency` by public id (another agency's is 404, the same as a missing one)."""
    requisition = _with_details(Requisition.objects.for_organization(agency)).filter(public_id=public_id).first()
    if requisition is None:
        raise Http404("No such requisition.")
    return requisition


def split_related(*, agency: Organization, requisitions: list[Requisition]) -> dict[str, list[Requisition]]:
    """For each flagged requisition, the related requisitions its split flag names (same agency only)."""
    wanted = {str(pid) for r in requisitions for pid in split_flag_ids(r.split_flag)}
    if not wanted:
        return {}
    found = {
        str(r.public_id): r
        for r in Requisition.objects.for_organization(agency)
        .filter(public_id__in=wanted)
        .select_related("requester")
        .prefetch_related(Prefetch("purchase_orders", queryset=PurchaseOrder.objects.select_related("supplier")))
    }
    return {
        str(r.public_id): [found[i] for i in map(str, split_flag_ids(r.split_flag)) if i in found] for r in requisitions
    }


def split_flag_ids(flag: dict) -> list:
    """The related requisition ids of a split flag (`related`; older spellings tolerated)."""
    if not flag:
        return []
    for key in ("related", "related_requisitions", "requisitions", "related_ids"):
        value = flag.get(key)
        if value:
            return [v.get("public_id") if isinstance(v, dict) else v for v in value if v]
    return []


def open_request_for(*, requisition: Requisition, user: User) -> ApprovalRequest | None:
    return ApprovalRequest.objects.filter(requisition=requisition, approver=user, used_at__isnull=True).first()
