"""Approval routing at submit: which of the agency's rules applies to a new requisition, who is asked, and the
split-purchase guard.

- The base rule: for a declared emergency, the agency's emergency rule (the one with the highest `min_amount`
  at or below the total) when it has one; otherwise the amount rule with the highest `min_amount` at or below
  the total. Below every threshold nothing is required.
- Category rules (a rule with a category) apply when any line's item is in that category or below it, from
  their own `min_amount`, and can only raise the number of approvals.
- Split-purchase guard: the agency's other live requisitions to the same supplier in the last
  `SPLIT_PURCHASE_WINDOW_DAYS` days are summed with this one's purchase orders to that supplier; when the sum
  crosses an amount threshold this requisition alone does not, it is flagged (`split_flag`) and routed as if
  it had crossed that threshold.
- No rules at all, or 0 approvals required: approved at once (requisition `approved`, its purchase orders
  `submitted → approved`; release is a later step). Otherwise one `ApprovalRequest` (7 days) per eligible
  approver (active members holding the rule's role, never the requester), each notified in-app; the
  requisition stays `pending_approval` and its purchase orders become `pending_approval`.
- Fewer eligible approvers than required: still routed to those there are, with `routing_note` saying so,
  and the agency's admins notified (the order cannot be approved until they add approvers).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from agencies.models import ApprovalRule
from marketplace.core.formatting import count_of, money
from marketplace.core.models import User
from marketplace.core.notification_kinds import NotificationKind
from marketplace.core.roles import Role
from marketplace.core.selectors import organization_users
from marketplace.core.services.audit import audit_record
from marketplace.core.services.notifications import notification_create
from orders.approvals.models import ApprovalRequest
from orders.approvals.services.links import approval_request_email
from orders.purchase_orders.models import POStatus, PurchaseOrder, PurchaseOrderLine
from orders.purchase_orders.services.release import purchase_orders_release
from orders.purchase_orders.services.transitions import po_transition
from orders.requisitions.models import Requisition, RequisitionStatus
from orders.requisitions.services.transitions import requisition_transition

APPROVAL_REQUEST_DAYS = 7
LIVE_STATUSES = (RequisitionStatus.PENDING_APPROVAL, RequisitionStatus.APPROVED)


@dataclass
class Route:
    rule: ApprovalRule | None
    approvals_required: int
    approver_role: str
    split_flag: dict


def _best(rules: list[ApprovalRule], amount: Decimal) -> ApprovalRule | None:
    candidates = [r for r in rules if r.min_amount <= amount]
    return max(candidates, key=lambda r: (r.min_amount, r.approvals_required, r.id)) if candidates else None


def _in_category(path: str, category_path: str) -> bool:
    return path == category_path or path.startswith(category_path + " > ")


def _role_label(role: str) -> str:
    return Role(role).label if role in Role.values else role


def _split_check(
    *, requisition: Requisition, pos: list[PurchaseOrder], amount_rules: list[ApprovalRule]
) -> tuple[ApprovalRule | None, dict]:
    """The highest amount threshold that this requisition's orders to one supplier, summed with the agency's
    other live requisitions to that supplier within the window, cross while this requisition alone does not."""
    thresholds = [r for r in amount_rules if r.approvals_required > 0 and r.min_amount > requisition.total]
    if not thresholds:
        return None, {}
    window_days = settings.SPLIT_PURCHASE_WINDOW_DAYS
    since = requisition.created_at - dt.timedelta(days=window_days)
    own: dict[int, Decimal] = {}
    for po in pos:
        own[po.supplier_id] = own.get(po.supplier_id, Decimal("0.00")) + po.subtotal
    related = (
        PurchaseOrder.objects.for_organization(requisition.agency)
        .filter(
            supplier_id__in=own,
            requisition__status__in=LIVE_STATUSES,
            requisition__created_at__gte=since,
            requisition__created_at__lte=requisition.created_at,
        )
        .exclude(requisition=requisition)
        .exclude(status__in=[POStatus.REJECTED, POStatus.CANCELLED])
        .values("supplier_id", "supplier__name", "requisition__public_id")
        .annotate(amount=Sum("subtotal"))
        .order_by("supplier_id", "requisition__public_id")
    )
    per_supplier: dict[int, dict] = {}
    for row in related:
        entry = per_supplier.setdefault(
            row["supplier_id"], {"name": row["supplier__name"], "sum": own[row["supplier_id"]], "related": []}
        )
        entry["sum"] += row["amount"]
        entry["related"].append(str(row["requisition__public_id"]))
    best_rule, flag = None, {}
    for entry in per_supplier.values():
        rule = _best(thresholds, entry["sum"])
        if rule is not None and (best_rule is None or rule.min_amount > best_rule.min_amount):
            best_rule = rule
            flag = {
                "window_days": window_days,
                "threshold": str(rule.min_amount),
                "sum": str(entry["sum"]),
                "related": entry["related"],
                "supplier": entry["name"],
                "rule": rule.name,
            }
    return best_rule, flag


def requisition_route_decide(*, requisition: Requisition, pos: list[PurchaseOrder]) -> Route:
    rules = list(
        ApprovalRule.objects.for_organization(requisition.agency).filter(is_active=True).select_related("category")
    )
    total = requisition.total
    amount_rules = [r for r in rules if not r.is_emergency and r.category_id is None]
    emergency_rules = [r for r in rules if r.is_emergency and r.category_id is None]
    base_rules = emergency_rules if requisition.is_emergency and emergency_rules else amount_rules
    rule = _best(base_rules, total)
    required = rule.approvals_required if rule else 0
    role = rule.approver_role if rule else ""

    category_rules = [r for r in rules if r.category_id is not None and r.min_amount <= total]
    if category_rules:
        paths = set(
            PurchaseOrderLine.objects.filter(purchase_order__requisition=requisition).values_list(
                "item__category_path", flat=True
            )
        )
        for cat_rule in sorted(category_rules, key=lambda r: (r.min_amount, r.id)):
            applies = any(_in_category(p, cat_rule.category.path) for p in paths)
            if applies and cat_rule.approvals_required > required:
                rule, required, role = cat_rule, cat_rule.approvals_required, cat_rule.approver_role

    split_rule, split_flag = _split_check(requisition=requisition, pos=pos, amount_rules=amount_rules)
    if split_rule is not None and split_rule.approvals_required > required:
        rule, required, role = split_rule, split_rule.approvals_required, split_rule.approver_role
    return Route(rule=rule, approvals_required=required, approver_role=role, split_flag=split_flag)


def requisition_route(*, requisition: Requisition, actor: User) -> Requisition:
    """Apply the agency's approval rules to a requisition just checked out (see the module docstring)."""
    agency = requisition.agency
    pos = list(PurchaseOrder.objects.filter(requisition=requisition).order_by("id"))
    route = requisition_route_decide(requisition=requisition, pos=pos)
    requisition.approvals_required = route.approvals_required
    requisition.approver_role = route.approver_role
    requisition.approval_rule_name = route.rule.name if route.rule else ""
    requisition.split_flag = route.split_flag
    approvers: list[User] = []
    if route.approvals_required:
        approvers = list(
            organization_users(organization=agency, roles={route.approver_role}).exclude(pk=requisition.requester_id)
        )
        if len(approvers) < route.approvals_required:
            requisition.routing_note = (
                f"This order needs {route.approvals_required} approval{'s' if route.approvals_required != 1 else ''} "
                f"from the “{_role_label(route.approver_role)}” role, but {agency.name} has only {len(approvers)} "
                f"eligible approver{'s' if len(approvers) != 1 else ''} (nobody approves their own order). "
                "It waits until an agency admin adds approvers."
            )
    requisition.save(
        update_fields=["approvals_required", "approver_role", "approval_rule_name", "split_flag", "routing_note"]
    )
    audit_record(
        actor=actor,
        action="requisition.route",
        organization=agency,
        obj=requisition,
        after={
            "rule": requisition.approval_rule_name,
            "approvals_required": route.approvals_required,
            "approver_role": route.approver_role,
            "approvers": [a.pk for a in approvers],
            **({"split_flag": route.split_flag} if route.split_flag else {}),
            **({"routing_note": requisition.routing_note} if requisition.routing_note else {}),
        },
    )

    if route.approvals_required == 0:
        why = (
            f"No approval needed under “{route.rule.name}”."
            if route.rule
            else "No approval rule applies: approved at once."
        )
        for po in pos:
            po_transition(po=po, to=POStatus.APPROVED, actor=actor, note=why)
        requisition = requisition_transition(
            requisition=requisition, to=RequisitionStatus.APPROVED, actor=actor, note=why
        )
        purchase_orders_release(requisition=requisition, actor=actor)
        return requisition

    expires = timezone.now() + dt.timedelta(days=APPROVAL_REQUEST_DAYS)
    requests = ApprovalRequest.objects.bulk_create(
        [ApprovalRequest(requisition=requisition, approver=a, expires_at=expires) for a in approvers]
    )
    for approval_request in requests:
        approval_request_email(approval_request=approval_request)
    flags = " Flagged by the split-purchase guard." if route.split_flag else ""
    emergency = "Emergency order. " if requisition.is_emergency else ""
    requester = requisition.requester.full_name or requisition.requester.email
    queue_url = reverse("agency-approvals", kwargs={"org": agency.slug})
    for approver in approvers:
        notification_create(
            user=approver,
            organization=agency,
            title=f"{emergency}Order to approve: {money(requisition.total)} from {requester}",
            url=queue_url,
            body=(
                f"{len(pos)} purchase order{'s' if len(pos) != 1 else ''} under “{requisition.approval_rule_name}”: "
                f"{route.approvals_required} approval{'s' if route.approvals_required != 1 else ''} needed.{flags}"
            ),
            kind=NotificationKind.APPROVAL_NEEDED,
        )
    if requisition.routing_note:
        for admin in organization_users(organization=agency, roles={Role.AGENCY_ADMIN}):
            notification_create(
                user=admin,
                organization=agency,
                title="An order cannot get its approvals",
                body=requisition.routing_note,
                kind=NotificationKind.GENERAL,  # needs an admin to act: always e-mailed
            )
    note = (
        f"Waiting for {count_of(route.approvals_required, 'approval')} under “{requisition.approval_rule_name}”.{flags}"
    )
    for po in pos:
        po_transition(po=po, to=POStatus.PENDING_APPROVAL, actor=actor, note=note)
    return requisition
