"""The PO PDF: rendered by WeasyPrint with what an order desk and an auditor need, stored, e-mailed once."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from pypdf import PdfReader

from orders.approvals.services.decisions import requisition_approve
from orders.models import PurchaseOrder
from orders.purchase_orders.services.pdf import po_pdf_render
from tests.approvals.conftest import pending_requisition


def _pdf(po) -> tuple[int, str]:
    with default_storage.open(po.pdf.name, "rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.django_db
def test_render_prints_number_totals_contract_and_counts_pages(approvers):
    world = approvers
    requisition = pending_requisition(world, approvers=[world.approver], lines=120)
    requisition_approve(requisition=requisition, actor=world.approver)
    po = PurchaseOrder.objects.get(requisition=requisition)
    assert po_pdf_render(po_id=po.pk) == "ready"
    po.refresh_from_db()
    pages, text = _pdf(po)
    assert pages >= 3
    assert "Page 3 of" in text
    assert po.number in text and po.contract.number in text
    assert "$2,400.00" in text  # 120 lines x 2 x $10.00
    assert "Ada Approver" in text
    assert "no exemption certificate on file" in text.replace("\n", " ").lower()


@pytest.mark.django_db
def test_email_attachment_is_read_from_storage_when_sent():
    from django.core import mail
    from django.core.files.base import ContentFile

    from marketplace.core.errors import ApplicationError
    from marketplace.core.services.email import email_queue, email_send

    path = default_storage.save("test-attachments/note.pdf", ContentFile(b"%PDF-1.4 fake"))
    email = email_queue(
        to=["desk@example.test"],
        subject="With a file",
        body="See attached",
        attachments=[{"path": path, "filename": "PO-1.pdf", "mimetype": "application/pdf"}],
    )
    assert email_send(email_id=email.pk) is True
    assert mail.outbox[0].attachments == [("PO-1.pdf", b"%PDF-1.4 fake", "application/pdf")]
    assert email_send(email_id=email.pk) is False  # once
    with pytest.raises(ApplicationError):
        email_queue(to=["x@example.test"], subject="s", body="b", attachments=[{"path": path, "filename": "../x"}])
    default_storage.delete(path)


@pytest.mark.django_db
def test_render_emails_order_desk_and_store_once_and_is_idempotent(approvers):
    from django.core import mail

    from marketplace.core.models import OutgoingEmail
    from tests.factories import StoreLocationFactory

    world = approvers
    requisition = pending_requisition(world, approvers=[world.approver])
    store = StoreLocationFactory(supplier=world.supplier, email="store12@alpha-cells.test")
    PurchaseOrder.objects.filter(requisition=requisition).update(store=store, fulfilment="store_pickup")
    requisition_approve(requisition=requisition, actor=world.approver)
    po = PurchaseOrder.objects.get(requisition=requisition)
    assert po_pdf_render(po_id=po.pk) == "ready"
    assert po_pdf_render(po_id=po.pk) == "ready"
    po.refresh_from_db()
    sent = OutgoingEmail.objects.filter(subject__contains=po.number)
    assert sorted(e.to[0] for e in sent) == [
        "admin@alpha-cells.test",
        "desk@alpha-cells.test",
        "store12@alpha-cells.test",
    ]
    assert all(e.attachments[0]["path"] == po.pdf.name for e in sent)
    assert mail.outbox == []


@pytest.mark.django_db
def test_render_failure_marks_failed_and_a_later_run_recovers(approvers, monkeypatch):
    from orders.purchase_orders.services import pdf

    world = approvers
    requisition = pending_requisition(world, approvers=[world.approver])
    requisition_approve(requisition=requisition, actor=world.approver)
    po = PurchaseOrder.objects.get(requisition=requisition)

    def broken(document):
        raise OSError("storage unavailable")

    monkeypatch.setattr(pdf, "po_pdf_bytes", broken)
    with pytest.raises(OSError):  # transient: re-raised so the task retries with backoff
        po_pdf_render(po_id=po.pk)
    po.refresh_from_db()
    assert po.pdf_status == "failed" and not po.pdf
    monkeypatch.undo()
    assert po_pdf_render(po_id=po.pk) == "ready"


@pytest.mark.django_db
def test_pdf_queries_do_not_grow_with_lines(approvers):
    """Building and printing the PO runs as many queries for 40 lines as for 2 (no query per line or approval)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from orders.purchase_orders.services.pdf import po_document, po_pdf_bytes

    world = approvers
    counts = []
    for lines in (2, 40):
        requisition = pending_requisition(world, approvers=[world.approver], lines=lines)
        requisition_approve(requisition=requisition, actor=world.approver)
        po = PurchaseOrder.objects.get(requisition=requisition)
        with CaptureQueriesContext(connection) as ctx:
            po_pdf_bytes(po_document(po))
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
