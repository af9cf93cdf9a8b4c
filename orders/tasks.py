"""Order tasks: thin wrappers that take ids and call idempotent services."""

from celery import shared_task

from orders.billing.services import accounts, cards, invoice_pdf
from orders.purchase_orders.services import pdf

__all__ = ["invoice_pdf_render", "invoices_overdue_remind", "po_pdf_render", "stripe_event_process"]


@shared_task(
    name="orders.po_pdf_render",
    autoretry_for=pdf.TRANSIENT_ERRORS,
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=6,
    soft_time_limit=120,
    time_limit=180,
)
def po_pdf_render(po_id: int) -> str | None:
    return pdf.po_pdf_render(po_id=po_id)


@shared_task(name="orders.invoices_overdue_remind", soft_time_limit=600, time_limit=660)
def invoices_overdue_remind() -> int:
    """Daily (beat): remind suppliers and agency finance of overdue invoices, once per invoice per day."""
    return accounts.invoices_overdue_remind()


@shared_task(
    name="orders.invoice_pdf_render",
    autoretry_for=invoice_pdf.TRANSIENT_ERRORS,
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=6,
    soft_time_limit=120,
    time_limit=180,
)
def invoice_pdf_render(invoice_id: int) -> str | None:
    return invoice_pdf.invoice_pdf_render(invoice_id=invoice_id)


@shared_task(
    name="orders.stripe_event_process",
    autoretry_for=cards.TRANSIENT_ERRORS,
    retry_backoff=True,
    retry_backoff_max=120,
    max_retries=8,
    soft_time_limit=60,
    time_limit=90,
)
def stripe_event_process(event_row_id: int) -> str:
    """Act once on a Stripe event the webhook stored (the outbox may deliver this task twice)."""
    return cards.stripe_event_process(event_id=event_row_id).outcome
