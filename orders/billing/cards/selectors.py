"""Reads for card payments and credits, always through the organization in the URL: another tenant's invoice or
payment is `None` (a 404)."""

from __future__ import annotations

from marketplace.core.models import Organization
from orders.billing.models import Invoice, Payment

_INVOICE_RELATED = ("purchase_order__requisition", "agency", "supplier")


def invoice_for_organization(*, organization: Organization, invoice_id) -> Invoice | None:
    return (
        Invoice.objects.for_organization(organization)
        .select_related(*_INVOICE_RELATED)
        .filter(public_id=invoice_id)
        .first()
    )


def invoice_with_lines(*, organization: Organization, invoice_id) -> Invoice | None:
    return (
        Invoice.objects.for_organization(organization)
        .select_related(*_INVOICE_RELATED)
        .prefetch_related("lines", "credit_memos")
        .filter(public_id=invoice_id)
        .first()
    )


def payment_for_organization(*, organization: Organization, invoice: Invoice, payment_id) -> Payment | None:
    return (
        Payment.objects.for_organization(organization)
        .select_related("invoice", "invoice__purchase_order")
        .filter(invoice=invoice, public_id=payment_id)
        .first()
    )
