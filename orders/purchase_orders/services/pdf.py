"""The purchase-order PDF: rendered by WeasyPrint on a worker (`orders.po_pdf_render`), stored in the default
storage, then e-mailed (attached) to the supplier's order desk and, when a store fulfils it, to the store.

Idempotent: a PO whose PDF is ready is left alone (and is e-mailed only when it becomes ready). A failure marks
`pdf_status=failed`; transient ones (storage, database) are re-raised so the task retries them with backoff."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.files.base import ContentFile
from django.db import OperationalError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from marketplace.core.dates import organization_today
from marketplace.core.pdf import render_pdf
from marketplace.core.roles import Role
from marketplace.core.selectors import organization_users
from marketplace.core.services.audit import audit_record
from marketplace.core.services.email import email_queue
from orders.approvals.models import Approval
from orders.purchase_orders.models import PDFStatus, PurchaseOrder

logger = logging.getLogger(__name__)

TRANSIENT_ERRORS = (OSError, OperationalError)
ORDER_DESK_ROLES = frozenset({Role.ORDER_DESK, Role.SUPPLIER_ADMIN})


@dataclass
class PODocument:
    po: PurchaseOrder
    lines: list
    approvals: list
    po_date: object
    generated_at: object


def po_document(po: PurchaseOrder) -> PODocument:
    """Everything the PDF prints, in a constant number of queries."""
    po = (
        PurchaseOrder.objects.select_related(
            "agency__agency_profile",
            "supplier__supplier_profile",
            "cooperative",
            "contract__lead_agency",
            "facility",
            "store",
            "tax_certificate",
            "requisition__requester",
            "requisition__department",
        )
        .prefetch_related("contract__available_to")
        .get(pk=po.pk)
    )
    lines = list(po.lines.select_related("fund_code").order_by("pk"))
    for line in lines:
        line.savings = line.list_amount - line.amount
    approvals = list(Approval.objects.filter(requisition_id=po.requisition_id).select_related("approver"))
    try:
        po_date = (po.sent_at or timezone.now()).astimezone(ZoneInfo(po.agency.time_zone)).date()
    except (ZoneInfoNotFoundError, ValueError):
        po_date = organization_today(po.agency)
    return PODocument(po=po, lines=lines, approvals=approvals, po_date=po_date, generated_at=timezone.now())


def po_pdf_bytes(document: PODocument) -> bytes:
    po = document.po
    other_coops = [c for c in po.contract.available_to.all() if c.pk != po.contract.cooperative_id]
    return render_pdf(
        "orders/pdf/purchase_order.html",
        {
            "po": po,
            "agency_profile": getattr(po.agency, "agency_profile", None),
            "supplier_profile": getattr(po.supplier, "supplier_profile", None),
            "lines": document.lines,
            "approvals": document.approvals,
            "po_date": document.po_date,
            "generated_at": document.generated_at,
            "other_coops": other_coops,
            "requisition": po.requisition,
            "total": po.subtotal + po.tax,
            "savings_percent": (po.savings * 100 / po.list_total) if po.list_total else None,
        },
        stylesheet_template="orders/pdf/purchase_order.css",
    )


def po_pdf_filename(po: PurchaseOrder) -> str:
    return f"{po.number or po.public_id}.pdf"


def po_pdf_render(*, po_id: int) -> str | None:
    """Render, store and e-mail one PO's PDF (the worker calls this). Returns the PDF status."""
    with transaction.atomic():
        po = PurchaseOrder.objects.select_for_update().filter(pk=po_id).first()
        if po is None or not po.number:
            return None  # gone, or not released: nothing to print
        if po.pdf_status == PDFStatus.READY and po.pdf:
            return PDFStatus.READY
    try:
        data = po_pdf_bytes(po_document(po))
    except Exception as exc:
        _failed(po_id, exc)
        if isinstance(exc, TRANSIENT_ERRORS):
            raise
        return PDFStatus.FAILED
    try:
        with transaction.atomic():
            po = PurchaseOrder.objects.select_for_update(of=("self",)).select_related("agency", "store").get(pk=po_id)
            if po.pdf_status == PDFStatus.READY and po.pdf:  # a concurrent delivery of the same task finished first
                return PDFStatus.READY
            po.pdf.save(po_pdf_filename(po), ContentFile(data), save=False)
            po.pdf_status = PDFStatus.READY
            po.save(update_fields=["pdf", "pdf_status"])
            audit_record(
                actor=None,
                action="purchase_order.pdf_ready",
                organization=po.agency,
                obj=po,
                after={"pdf": po.pdf.name, "bytes": len(data)},
            )
            _email(po)
    except Exception as exc:
        _failed(po_id, exc)
        if isinstance(exc, TRANSIENT_ERRORS):
            raise
        return PDFStatus.FAILED
    return PDFStatus.READY


def _failed(po_id: int, exc: Exception) -> None:
    logger.exception("PO %s: PDF failed", po_id, exc_info=exc)
    with transaction.atomic():
        PurchaseOrder.objects.filter(pk=po_id).exclude(pdf_status=PDFStatus.READY).update(pdf_status=PDFStatus.FAILED)


def po_pdf_recipients(po: PurchaseOrder) -> list[str]:
    """The supplier's order desk (order desk and supplier admins) and the fulfilling store's e-mail."""
    emails = list(
        organization_users(organization=po.supplier_id, roles=ORDER_DESK_ROLES).values_list("email", flat=True)
    )
    if po.store_id and po.store.email and po.store.email not in emails:
        emails.append(po.store.email)
    return emails


def _email(po: PurchaseOrder) -> None:
    po = PurchaseOrder.objects.select_related("agency", "supplier", "contract", "facility", "store", "requisition").get(
        pk=po.pk
    )
    recipients = po_pdf_recipients(po)
    if not recipients:
        logger.warning("PO %s: the supplier has no order desk to e-mail", po.number)
        return
    body = render_to_string("orders/purchase_orders/email/po_sent.txt", {"po": po})
    emergency = "EMERGENCY — " if po.is_emergency or po.requisition.is_emergency else ""
    for recipient in recipients:  # one message each: a store never sees the supplier's other addresses
        email_queue(
            to=[recipient],
            subject=f"{emergency}Purchase order {po.number} from {po.agency.name}",
            body=body,
            attachments=[{"path": po.pdf.name, "filename": po_pdf_filename(po), "mimetype": "application/pdf"}],
        )
