"""Every allowed and every refused move of the purchase-order and requisition status machines."""

from __future__ import annotations

import pytest

from marketplace.core.errors import ApplicationError
from marketplace.core.models import AuditEvent
from orders.models import (
    PO_TRANSITIONS,
    REQUISITION_TRANSITIONS,
    OrderEvent,
    POStatus,
    RequisitionStatus,
)
from orders.purchase_orders.services.transitions import po_transition
from orders.requisitions.services.transitions import requisition_transition
from tests.orders.factories import RequisitionFactory, purchase_order

PO_MOVES = [(a, b) for a in POStatus.values for b in POStatus.values if a != b]
REQ_MOVES = [(a, b) for a in RequisitionStatus.values for b in RequisitionStatus.values if a != b]


@pytest.mark.django_db
@pytest.mark.parametrize(("current", "to"), PO_MOVES)
def test_po_moves_follow_the_table(world, current, to):
    po = purchase_order(world=world, status=current)
    if to in PO_TRANSITIONS[current]:
        po_transition(po=po, to=to, actor=world.requester, note="because")
        po.refresh_from_db()
        assert po.status == to
        event = OrderEvent.objects.get(purchase_order=po)
        assert (event.from_status, event.to_status, event.actor, event.note) == (
            current,
            to,
            world.requester,
            "because",
        )
        assert AuditEvent.objects.filter(action=f"purchase_order.{to}", object_id=str(po.pk)).count() == 1
    else:
        with pytest.raises(ApplicationError) as refused:
            po_transition(po=po, to=to, actor=world.requester)
        assert refused.value.code == "invalid_transition" and refused.value.status_code == 409
        po.refresh_from_db()
        assert po.status == current
        assert not OrderEvent.objects.filter(purchase_order=po).exists()


@pytest.mark.django_db
def test_po_refuses_an_unknown_status(world):
    po = purchase_order(world=world)
    with pytest.raises(ApplicationError) as refused:
        po_transition(po=po, to="teleported", actor=None)
    assert refused.value.code == "invalid"
    po.refresh_from_db()
    assert po.status == POStatus.PENDING_APPROVAL


@pytest.mark.django_db
@pytest.mark.parametrize(("current", "to"), REQ_MOVES)
def test_requisition_moves_follow_the_table(world, current, to):
    requisition = RequisitionFactory(agency=world.agency, requester=world.requester, status=current)
    if to in REQUISITION_TRANSITIONS[current]:
        requisition_transition(requisition=requisition, to=to, actor=world.agency_admin)
        requisition.refresh_from_db()
        assert requisition.status == to and requisition.decided_at is not None
        assert OrderEvent.objects.filter(requisition=requisition, from_status=current, to_status=to).count() == 1
    else:
        with pytest.raises(ApplicationError) as refused:
            requisition_transition(requisition=requisition, to=to, actor=world.agency_admin)
        assert refused.value.code == "invalid_transition"
        requisition.refresh_from_db()
        assert requisition.status == current and requisition.decided_at is None
        assert not OrderEvent.objects.filter(requisition=requisition).exists()
