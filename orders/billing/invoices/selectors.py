"""Invoice reads, scoped to the organization from the URL: the supplier that issued them, the agency billed, the
co-op whose contract the order uses. Another organization's invoice is `None` (a 404)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from marketplace.core.filters import NarrowingFilterSet
from marketplace.core.models import Organization
from orders.billing.models import CreditMemo, Invoice, InvoiceLine, Payment

LIST_RELATED = ("purchase_order", "agency", "supplier")


def invoice_list(*, organization: Organization, filters: NarrowingFilterSet | None = None) -> QuerySet[Invoice]:
    queryset = Invoice.objects.for_organization(organization)
    if filters is not None:
        queryset = filters.narrow(queryset)
    return queryset.select_related(*LIST_RELATED).order_by("-invoice_date", "-id")


def po_invoice_list(*, organization: Organization, po) -> QuerySet[Invoice]:
    """The invoices of one purchase order the organization already reached through its own scope."""
    return invoice_list(organization=organization).filter(purchase_order=po)


def invoice_get(*, organization: Organization, public_id) -> Invoice | None:
    """One invoice with its lines (and their PO lines), payments and credit memos, in a constant number of
    queries."""
    return (
        Invoice.objects.for_organization(organization)
        .select_related(
            "purchase_order__contract", "agency", "supplier__supplier_profile", "hold_decided_by", "created_by"
        )
        .prefetch_related(
            Prefetch("lines", queryset=InvoiceLine.objects.select_related("po_line").order_by("id")),
            Prefetch("payments", queryset=Payment.objects.order_by("created_at", "id")),
            Prefetch("credit_memos", queryset=CreditMemo.objects.order_by("created_at", "id")),
        )
        .filter(public_id=public_id)
        .first()
    )
