"""Two approvers at the same moment on a one-approval requisition: exactly one effect."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from marketplace.core.errors import ApplicationError
from orders.approvals.services.decisions import requisition_approve, requisition_reject
from orders.models import Approval, PurchaseOrder, Requisition
from tests.approvals.conftest import pending_requisition


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("second", ["approve", "reject"])
def test_two_approvers_at_once_have_exactly_one_effect(approvers, second):
    world = approvers
    requisition = pending_requisition(world, approvers=[world.approver, world.approver2])
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def decide(actor, verb):
        try:
            barrier.wait()
            if verb == "approve":
                requisition_approve(requisition=requisition, actor=actor)
            else:
                requisition_reject(requisition=requisition, actor=actor, reason="No")
            outcomes.append("ok")
        except ApplicationError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(world.approver, "approve")),
        threading.Thread(target=decide, args=(world.approver2, second)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes) == ["not_pending", "ok"]
    assert Approval.objects.filter(requisition=requisition).count() == 1
    requisition.refresh_from_db()
    po = PurchaseOrder.objects.get(requisition=requisition)
    if requisition.status == "approved":
        assert po.status == "sent" and po.number
    else:
        assert requisition.status == "rejected" and po.status == "rejected" and not po.number
    assert Requisition.objects.get(pk=requisition.pk).status in ("approved", "rejected")
