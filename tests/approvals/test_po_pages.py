"""The PO page (status, timeline, PDF state) and the PDF API while it is not ready."""

from __future__ import annotations

import pytest

from orders.approvals.services.decisions import requisition_approve
from orders.models import PurchaseOrder
from tests.approvals.conftest import pending_requisition


@pytest.mark.django_db
def test_po_page_shows_status_timeline_and_being_prepared(client, approvers):
    world = approvers
    requisition = pending_requisition(world, approvers=[world.approver], is_emergency=True, emergency_reason="Flood")
    requisition_approve(requisition=requisition, actor=world.approver)
    po = PurchaseOrder.objects.get(requisition=requisition)
    client.force_login(world.requester)
    response = client.get(f"/agencies/{world.agency.slug}/purchase-orders/{po.public_id}/")
    assert (
        response.status_code == 301 and response["Location"] == f"/agencies/{world.agency.slug}/orders/{po.public_id}/"
    )
    body = client.get(response["Location"]).content.decode()
    for text in (po.number, "Sent to supplier", "Emergency", "Flood"):
        assert text in body, text
    assert "Being prepared" in body and 'hx-trigger="every 2s"' in body
    assert "Ada Approver" in body and f"Released as {po.number}" in body

    response = client.get(f"/api/v1/agencies/{world.agency.slug}/purchase-orders/{po.public_id}/pdf/")
    assert response.status_code == 409 and response.json()["error"]["code"] == "pdf_not_ready"
    assert client.get(f"/agencies/{world.agency.slug}/purchase-orders/{po.public_id}/pdf/").status_code == 404
