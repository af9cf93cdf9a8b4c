"""Reads for on-account payments, terms, overdue invoices and admin-fee reports. Each takes the tenant and builds
on the model's `for_organization` scope; "missing" and "not yours" are the same `None`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import ExtractQuarter, ExtractYear
from django.utils import timezone

from marketplace.core.dates import organization_today
from marketplace.core.models import Organization
from orders.billing.models import (
    PAYABLE_INVOICE_STATUSES,
    AdminFeeAccrual,
    Invoice,
    Payment,
    PaymentTerms,
)
from orders.purchase_orders.models import PurchaseOrder

# balance due > 0, written for the database (Invoice.balance_due in Python)
HAS_BALANCE = Q(total__gt=F("amount_credited") + F("amount_paid") - F("amount_refunded"))


def invoice_is_overdue(invoice: Invoice, *, today: dt.date) -> bool:
    """Past its due date (the agency's calendar), open for payment, and something still owed."""
    return invoice.status in PAYABLE_INVOICE_STATUSES and invoice.due_date < today and invoice.balance_due > 0


def _overdue_candidates() -> QuerySet[Invoice]:
    """Invoices that may be overdue somewhere on Earth today (the exact day is each agency's own)."""
    latest_today = (timezone.now() + dt.timedelta(days=1)).date()
    return Invoice.objects.filter(HAS_BALANCE, status__in=PAYABLE_INVOICE_STATUSES, due_date__lt=latest_today)


def overdue_candidate_ids() -> list[int]:
    """Platform sweep (every tenant): ids of invoices that may be overdue; the reminder re-checks each, locked."""
    return list(_overdue_candidates().order_by("id").values_list("id", flat=True))


def overdue_invoice_list(*, organization: Organization) -> list[Invoice]:
    """The organization's (agency's or supplier's) overdue invoices, the longest overdue first."""
    invoices = (
        _overdue_candidates()
        .for_organization(organization)
        .select_related("agency", "supplier", "purchase_order")
        .order_by("due_date", "id")
    )
    todays: dict[int, dt.date] = {}
    overdue = []
    for invoice in invoices:
        if invoice.agency_id not in todays:
            todays[invoice.agency_id] = organization_today(invoice.agency)
        today = todays[invoice.agency_id]
        if invoice_is_overdue(invoice, today=today):
            invoice.days_overdue = (today - invoice.due_date).days
            overdue.append(invoice)
    return overdue


def payable_invoice_get(*, agency: Organization, invoice_id) -> Invoice | None:
    """One of the agency's invoices by public id (any status: the service says whether it can be paid)."""
    return (
        Invoice.objects.for_organization(agency)
        .select_related("purchase_order", "supplier", "agency", "contract")
        .filter(public_id=invoice_id)
        .first()
    )


def payment_list(*, agency: Organization, filters=None) -> QuerySet[Payment]:
    """The agency's payments (card and on account, reversals included), newest first."""
    payments = (
        Payment.objects.for_organization(agency)
        .select_related("invoice", "invoice__purchase_order", "supplier", "created_by", "reverses", "reversed_by")
        .order_by("-created_at", "-id")
    )
    return filters.narrow(payments) if filters is not None else payments


def payment_get(*, agency: Organization, payment_id) -> Payment | None:
    return payment_list(agency=agency).filter(public_id=payment_id).first()


@dataclass(frozen=True)
class TermsRow:
    supplier: Organization
    net_days: int
    is_default: bool
    terms: PaymentTerms | None


def payment_terms_rows(*, agency: Organization) -> list[TermsRow]:
    """One row per supplier the agency buys from (its purchase orders) or holds terms with, by name."""
    terms = {
        t.supplier_id: t for t in PaymentTerms.objects.filter(agency=agency).select_related("supplier", "updated_by")
    }
    supplier_ids = set(PurchaseOrder.objects.filter(agency=agency).values_list("supplier_id", flat=True)) | set(terms)
    suppliers = Organization.objects.filter(pk__in=supplier_ids).order_by("name", "pk")
    rows = []
    for supplier in suppliers:
        row = terms.get(supplier.pk)
        rows.append(
            TermsRow(
                supplier=supplier,
                net_days=row.net_days if row else PaymentTerms.DEFAULT_NET_DAYS,
                is_default=row is None,
                terms=row,
            )
        )
    return rows


def payment_terms_supplier(*, agency: Organization, slug: str) -> Organization | None:
    """A supplier on the agency's terms page, by slug (None: not one the agency buys from)."""
    for row in payment_terms_rows(agency=agency):
        if row.supplier.slug == slug:
            return row.supplier
    return None


@dataclass(frozen=True)
class FeeQuarter:
    year: int
    quarter: int
    contract_number: str
    contract_title: str
    supplier_name: str
    cooperative_name: str
    payments: Decimal
    fees: Decimal
    count: int

    @property
    def label(self) -> str:
        return f"{self.year} Q{self.quarter}"


def admin_fee_quarters(*, organization: Organization) -> list[FeeQuarter]:
    """Admin fees accrued per calendar quarter (of the accrual's date) and contract, newest quarter first: the
    payments base (refunds and reversals subtracted), the fees and the number of accruals. A supplier sees what it
    owes; a co-op what it is owed across its contracts; an agency nothing."""
    rows = (
        AdminFeeAccrual.objects.for_organization(organization)
        .annotate(year=ExtractYear("accrued_on"), quarter=ExtractQuarter("accrued_on"))
        .values(
            "year",
            "quarter",
            "contract__number",
            "contract__title",
            "supplier__name",
            "cooperative__name",
        )
        .annotate(payments=Sum("base_amount"), fees=Sum("fee"), count=Count("id"))
        .order_by("-year", "-quarter", "contract__number")
    )
    return [
        FeeQuarter(
            year=row["year"],
            quarter=row["quarter"],
            contract_number=row["contract__number"],
            contract_title=row["contract__title"],
            supplier_name=row["supplier__name"],
            cooperative_name=row["cooperative__name"],
            payments=row["payments"],
            fees=row["fees"],
            count=row["count"],
        )
        for row in rows
    ]
