"""The invoice PDF: rendered by WeasyPrint on a worker (`orders.invoice_pdf_render`) in the purchase order's look,
stored in the default storage; the supplier, the agency and the co-op download it once it is ready.

Idempotent: an invoice whose PDF is ready is left alone. A failure marks `pdf_status=failed`; transient ones
(storage, database) are re-raised so the task retries them with backoff. The PDF prints the match status of the
moment it was made (the invoice's page always shows the current one)."""

from __future__ import annotations

import logging

from django.core.files.base import ContentFile
from django.db import OperationalError, transaction
from django.utils import timezone

from marketplace.core.pdf import render_pdf
from marketplace.core.services.audit import audit_record
from orders.billing.models import Invoice, InvoiceStatus
from orders.purchase_orders.models import PDFStatus

logger = logging.getLogger(__name__)

TRANSIENT_ERRORS = (OSError, OperationalError)


def invoice_match_status(invoice: Invoice) -> str:
    """The three-way match in words, as the PDF and the pages print it."""
    if invoice.status == InvoiceStatus.VOID:
        return "Void: withdrawn by the supplier."
    if invoice.status == InvoiceStatus.DISPUTED:
        return "Disputed by the agency."
    if invoice.match_problems and invoice.status == InvoiceStatus.ON_HOLD:
        count = len(invoice.match_problems)
        lines = "1 line does" if count == 1 else f"{count} lines do"
        return f"On hold: {lines} not match the order and the receipts."
    if invoice.hold_decided_at is not None:
        return "Accepted by the agency's finance as a documented exception."
    return "Matched: the order, the receipts and this invoice agree."


def invoice_pdf_bytes(invoice: Invoice) -> bytes:
    invoice = Invoice.objects.select_related(
        "agency", "supplier__supplier_profile", "purchase_order__facility", "purchase_order__contract"
    ).get(pk=invoice.pk)
    return render_pdf(
        "orders/pdf/invoice.html",
        {
            "invoice": invoice,
            "po": invoice.purchase_order,
            "supplier_profile": getattr(invoice.supplier, "supplier_profile", None),
            "lines": list(invoice.lines.select_related("po_line").order_by("id")),
            "match_status": invoice_match_status(invoice),
            "generated_at": timezone.now(),
        },
        stylesheet_template="orders/pdf/invoice.css",
    )


def invoice_pdf_filename(invoice: Invoice) -> str:
    return f"invoice-{invoice.number}.pdf".replace("/", "-").replace("\\", "-")


def invoice_pdf_render(*, invoice_id: int) -> str | None:
    """Render and store one invoice's PDF (the worker calls this). Returns the PDF status."""
    invoice = Invoice.objects.filter(pk=invoice_id).first()
    if invoice is None:
        return None
    if invoice.pdf_status == PDFStatus.READY and invoice.pdf:
        return PDFStatus.READY
    try:
        data = invoice_pdf_bytes(invoice)
    except Exception as exc:
        _failed(invoice_id, exc)
        if isinstance(exc, TRANSIENT_ERRORS):
            raise
        return PDFStatus.FAILED
    try:
        with transaction.atomic():
            invoice = Invoice.objects.select_for_update(of=("self",)).select_related("agency").get(pk=invoice_id)
            if invoice.pdf_status == PDFStatus.READY and invoice.pdf:  # a concurrent delivery finished first
                return PDFStatus.READY
            invoice.pdf.save(invoice_pdf_filename(invoice), ContentFile(data), save=False)
            invoice.pdf_status = PDFStatus.READY
            invoice.save(update_fields=["pdf", "pdf_status"])
            audit_record(
                actor=None,
                action="invoice.pdf_ready",
                organization=invoice.agency,
                obj=invoice,
                after={"pdf": invoice.pdf.name, "bytes": len(data)},
            )
    except Exception as exc:
        _failed(invoice_id, exc)
        if isinstance(exc, TRANSIENT_ERRORS):
            raise
        return PDFStatus.FAILED
    return PDFStatus.READY


def _failed(invoice_id: int, exc: Exception) -> None:
    logger.exception("Invoice %s: PDF failed", invoice_id, exc_info=exc)
    with transaction.atomic():
        Invoice.objects.filter(pk=invoice_id).exclude(pdf_status=PDFStatus.READY).update(pdf_status=PDFStatus.FAILED)
