"""Each part-1 ordering event notifies the right person with the right kind (so the per-kind e-mail switch applies):
approval needed, approved / rejected, PO sent, and the supplier's acknowledgement, rejection, shipments (partial
and full, with carrier and tracking), backorders and cancellation requests."""

from __future__ import annotations

import datetime as dt

import pytest

from agencies.models import ApprovalRule
from marketplace.core.models import Notification
from marketplace.core.notification_kinds import NotificationKind
from orders.approvals.services.decisions import requisition_approve, requisition_reject
from orders.approvals.services.routing import requisition_route
from orders.models import POStatus
from orders.purchase_orders.services.desk import (
    ShipmentInput,
    line_backorder,
    line_cancellation_request,
    po_acknowledge,
    po_reject,
    shipment_record,
)
from tests.approvals.conftest import pending_requisition
from tests.desk.helpers import released_po

pytestmark = pytest.mark.django_db

K = NotificationKind


def received(user) -> list[tuple[str, str]]:
    return list(Notification.objects.filter(user=user).order_by("id").values_list("kind", "title"))


@pytest.fixture
def clerk(world, make_member):
    return make_member(world.supplier, "order_desk", email="desk@alpha-cells.test")


def test_acknowledgement_tells_the_requester(world, clerk):
    po = released_po(world, number="ALPHA-ACK-1")

    po_acknowledge(po=po, actor=clerk, note="Ships Friday")

    [n] = Notification.objects.filter(user=world.requester)
    assert (n.kind, n.title, n.body) == (K.ACKNOWLEDGED, "ALPHA-ACK-1 was acknowledged by Alpha Cells", "Ships Friday")
    assert n.organization == world.agency and n.url == f"/agencies/city-of-alpha/orders/{po.public_id}/"
    assert not Notification.objects.exclude(user=world.requester).exists()  # the requester is enough


def test_partial_then_full_shipment_tell_the_requester_with_carrier_and_tracking(world, clerk):
    po = released_po(world, status=POStatus.ACKNOWLEDGED, number="ALPHA-SHIP-1", lines=2)
    first, second = po.lines.order_by("id")
    day = dt.date(2026, 1, 20)

    shipment_record(
        po=po,
        actor=clerk,
        data=ShipmentInput(carrier="UPS", tracking_number="1Z999", ship_date=day, lines={first.pk: 1}),
    )

    [(kind, title)] = received(world.requester)
    assert kind == K.SHIPPED and title == "ALPHA-SHIP-1 partly shipped by Alpha Cells"
    body = Notification.objects.get(user=world.requester).body
    assert "UPS" in body and "tracking 1Z999" in body and f"1 × {first.sku}" in body and "Jan 20, 2026" in body

    first.refresh_from_db()
    rest = {first.pk: first.quantity - first.quantity_shipped, second.pk: second.quantity}
    shipment_record(
        po=po,
        actor=clerk,
        data=ShipmentInput(
            carrier="FedEx", tracking_number="", ship_date=day, lines={k: v for k, v in rest.items() if v}
        ),
    )

    assert received(world.requester)[-1] == (K.SHIPPED, "ALPHA-SHIP-1 shipped in full by Alpha Cells")
    assert "FedEx" in Notification.objects.filter(user=world.requester).latest("id").body


def test_a_refused_shipment_notifies_nobody(world, clerk):
    po = released_po(world, status=POStatus.ACKNOWLEDGED)
    line = po.lines.first()

    with pytest.raises(Exception):  # noqa: B017 - the service's ApplicationError; what matters is nothing was sent
        shipment_record(
            po=po,
            actor=clerk,
            data=ShipmentInput(carrier="UPS", tracking_number="", ship_date=None, lines={line.pk: 10**6}),
        )

    assert Notification.objects.count() == 0


def test_backorder_tells_the_requester_and_clearing_it_does_not(world, clerk):
    po = released_po(world, status=POStatus.ACKNOWLEDGED, number="ALPHA-BO-1")
    line = po.lines.first()
    until = dt.date.today() + dt.timedelta(days=30)

    line_backorder(po=po, actor=clerk, line_id=line.pk, until=until)
    line_backorder(po=po, actor=clerk, line_id=line.pk, until=None)

    [n] = Notification.objects.filter(user=world.requester)
    assert n.kind == K.BACKORDERED and n.title == f"ALPHA-BO-1: {line.sku} is backordered"
    assert f"{until:%b %-d, %Y}" in n.body


def test_supplier_rejection_and_cancellation_request_carry_their_kinds(world, clerk):
    rejected = released_po(world, number="ALPHA-REJ-1")
    asked = released_po(world, number="ALPHA-CXL-1")

    po_reject(po=rejected, actor=clerk, reason="Discontinued")
    line_cancellation_request(po=asked, actor=clerk, line_id=asked.lines.first().pk, quantity=1, reason="Short")

    kinds = {title.split(" ")[0].rstrip(":"): kind for kind, title in received(world.requester)}
    assert kinds == {"ALPHA-REJ-1": K.REJECTED, "ALPHA-CXL-1": K.GENERAL}  # consent needed: always e-mailed


def test_routing_asks_the_approvers_with_approval_needed(world, make_member):
    approver = make_member(world.agency, "approver", email="approver@alpha.test")
    ApprovalRule.objects.create(agency=world.agency, name="Everything", min_amount="0.00")
    requisition = pending_requisition(world, status=POStatus.SUBMITTED)

    requisition_route(requisition=requisition, actor=world.requester)

    assert [kind for kind, _title in received(approver)] == [K.APPROVAL_NEEDED]
    assert received(world.requester) == []


def test_routing_without_enough_approvers_tells_the_admins_as_general(world):
    ApprovalRule.objects.create(agency=world.agency, name="Two needed", min_amount="0.00", approvals_required=2)
    requisition = pending_requisition(world, status=POStatus.SUBMITTED)

    requisition_route(requisition=requisition, actor=world.requester)

    assert received(world.agency_admin) == [(K.GENERAL, "An order cannot get its approvals")]


def test_final_approval_sends_po_sent_and_a_rejection_sends_rejected(world, make_member):
    approver = make_member(world.agency, "approver", email="approver@alpha.test")
    approved = pending_requisition(world, approvers=[approver])
    rejected = pending_requisition(world, approvers=[approver])

    requisition_approve(requisition=approved, actor=approver)
    requisition_reject(requisition=rejected, actor=approver, reason="Over budget")

    kinds = [kind for kind, _title in received(world.requester)]
    assert kinds == [K.PO_SENT, K.REJECTED]
    assert [kind for kind, _title in received(approver)] == [K.PO_SENT]
