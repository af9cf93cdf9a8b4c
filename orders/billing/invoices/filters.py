"""The invoice lists' filters (one FilterSet: the supplier's and the agency's pages and API lists)."""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.db.models import QuerySet

from marketplace.core.dates import organization_today
from marketplace.core.filters import NarrowingFilterSet
from orders.billing.models import PAYABLE_INVOICE_STATUSES, Invoice, InvoiceStatus
from orders.billing.services.invoices import NUMBER_MAX

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class InvoiceFilter(NarrowingFilterSet):
    """`q`: invoice number; `status`; `due`: overdue / due within 7 or 30 days (open invoices only);
    `due_to`: due on or before a date."""

    DUE = [("overdue", "Overdue"), ("7", "Due within 7 days"), ("30", "Due within 30 days")]

    q = django_filters.CharFilter(
        field_name="number", lookup_expr="icontains", label="Invoice number", max_length=NUMBER_MAX
    )
    status = django_filters.ChoiceFilter(label="Status", choices=InvoiceStatus.choices, empty_label="Any status")
    due = django_filters.ChoiceFilter(label="Due", choices=DUE, empty_label="Any due date", method="due_within")
    due_to = django_filters.DateFilter(
        field_name="due_date", lookup_expr="lte", label="Due on or before", widget=DATE_INPUT
    )

    class Meta:
        model = Invoice
        fields = ["q", "status", "due", "due_to"]

    def due_within(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        today = organization_today(self.organization) if self.organization else dt.date.today()
        queryset = queryset.filter(status__in=PAYABLE_INVOICE_STATUSES)
        if value == "overdue":
            return queryset.filter(due_date__lt=today)
        return queryset.filter(due_date__gte=today, due_date__lte=today + dt.timedelta(days=int(value)))
