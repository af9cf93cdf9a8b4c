"""Approvals and release: a requisition waiting for approval with its purchase orders and approval requests,
made with the ordering factories (the routing at submit is built elsewhere)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from orders.models import ApprovalRequest, POStatus, PurchaseOrder, Requisition
from tests.orders.factories import purchase_order


def _fiscal_year() -> int:
    """The fiscal year of today for the test agency (July start, the default), as release computes it."""
    from marketplace.core.dates import organization_today
    from marketplace.core.models import Organization
    from orders.purchase_orders.services.release import fiscal_year

    agency = Organization(fiscal_year_start_month=7, time_zone="America/New_York")
    return fiscal_year(agency=agency, day=organization_today(agency))


FY = _fiscal_year()


def totals(po: PurchaseOrder) -> PurchaseOrder:
    sums = po.lines.aggregate(s=Sum("amount"), l=Sum("list_amount"))
    po.subtotal, po.list_total = sums["s"] or Decimal(0), sums["l"] or Decimal(0)
    po.save(update_fields=["subtotal", "list_total"])
    return po


def pending_requisition(world, *, approvers=(), required=1, lines=1, pos=1, status=POStatus.PENDING_APPROVAL, **req):
    """A requisition of world.requester waiting for `required` approvals, with `pos` purchase orders and an
    open approval request (7 days) for each of `approvers`."""
    first = totals(purchase_order(world=world, status=status, lines=lines))
    requisition = first.requisition
    for _ in range(pos - 1):
        po = totals(purchase_order(world=world, status=status, lines=lines))
        PurchaseOrder.objects.filter(pk=po.pk).update(requisition=requisition)
    fields = {"approvals_required": required, "approver_role": "approver", "approval_rule_name": "Over $0", **req}
    Requisition.objects.filter(pk=requisition.pk).update(**fields)
    requisition.refresh_from_db()
    pos_qs = PurchaseOrder.objects.filter(requisition=requisition)
    total = sum((p.subtotal for p in pos_qs), Decimal(0))
    list_total = sum((p.list_total for p in pos_qs), Decimal(0))
    Requisition.objects.filter(pk=requisition.pk).update(total=total, list_total=list_total)
    requisition.refresh_from_db()
    for approver in approvers:
        ApprovalRequest.objects.create(
            requisition=requisition, approver=approver, expires_at=timezone.now() + timedelta(days=7)
        )
    return requisition


@pytest.fixture
def approvers(world, make_member):
    world.agency.code = "MRC"
    world.agency.save(update_fields=["code"])
    world.approver = make_member(world.agency, "approver", email="approver@alpha.test", full_name="Ada Approver")
    world.approver2 = make_member(world.agency, "approver", email="approver2@alpha.test", full_name="Bo Approver")
    world.order_desk = make_member(world.supplier, "order_desk", email="desk@alpha-cells.test")
    return world
