"""End to end on a real worker: approve → release → the worker renders, stores and e-mails the PO PDF; the page
polls "being prepared" until the download appears; downloads for agency, supplier and co-op only."""

from __future__ import annotations

import email
import io
import time

from pypdf import PdfReader

from orders.models import PurchaseOrder
from tests.approvals.conftest import pending_requisition


def test_approval_to_pdf_in_the_order_desk_mailbox(client, approvers, worker):
    world = approvers
    requisition = pending_requisition(world, approvers=[world.approver], lines=120)
    client.force_login(world.approver)
    assert client.post(f"/agencies/{world.agency.slug}/approvals/{requisition.public_id}/approve/").status_code == 302
    po = PurchaseOrder.objects.get(requisition=requisition)
    page = f"/agencies/{world.agency.slug}/purchase-orders/{po.public_id}/"
    client.force_login(world.requester)

    deadline = time.time() + 90
    while time.time() < deadline:
        body = client.get(f"{page}pdf-status/", HTTP_HX_REQUEST="true").content.decode()
        if "Download PO" in body:
            break
        assert "Being prepared" in body and 'hx-trigger="every 2s"' in body
        time.sleep(0.5)
    else:
        raise AssertionError(f"PDF not made; worker log:\n{worker.log.read_text()[-3000:]}")
    assert "hx-trigger" not in body
    po.refresh_from_db()

    response = client.get(f"{page}pdf/")
    assert response.status_code == 200 and f"{po.number}.pdf" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert len(reader.pages) >= 3 and "Page 3 of" in text
    assert po.number in text and po.contract.number in text and "$2,400.00" in text

    mails = worker.wait_for_mail(count=2, timeout=60)  # order desk + supplier admin (plus notifications)
    desk = [m for m in mails if "desk@alpha-cells.test" in m and po.number in m]
    assert desk, "no PO e-mail to the order desk"
    message = email.message_from_string(desk[0])
    attachments = [part for part in message.walk() if part.get_filename() == f"{po.number}.pdf"]
    assert attachments and PdfReader(io.BytesIO(attachments[0].get_payload(decode=True))).pages

    for user, url in (
        (world.order_desk, f"/suppliers/{world.supplier.slug}/purchase-orders/{po.public_id}/pdf/"),
        (world.coop_staff, f"/coops/{world.coop.slug}/purchase-orders/{po.public_id}/pdf/"),
    ):
        client.force_login(user)
        assert client.get(url).status_code == 200
    for user, url in (
        (world.other_supplier_admin, f"/suppliers/{world.other_supplier.slug}/purchase-orders/{po.public_id}/pdf/"),
        (world.other_agency_admin, f"/agencies/{world.other_agency.slug}/purchase-orders/{po.public_id}/pdf/"),
        (world.other_coop_admin, f"/coops/{world.other_coop.slug}/purchase-orders/{po.public_id}/pdf/"),
    ):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(world.catalog_manager)
    assert client.get(f"/suppliers/{world.supplier.slug}/purchase-orders/{po.public_id}/pdf/").status_code == 403
