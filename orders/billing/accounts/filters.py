"""The agency's payments list filters (one FilterSet: the page and the API list)."""

from __future__ import annotations

import django_filters
from django import forms

from marketplace.core.filters import NarrowingFilterSet
from orders.billing.models import Payment, PaymentMethod, PaymentStatus

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PaymentFilter(NarrowingFilterSet):
    method = django_filters.ChoiceFilter(label="Method", choices=PaymentMethod.choices, empty_label="Any method")
    status = django_filters.ChoiceFilter(label="Status", choices=PaymentStatus.choices, empty_label="Any status")
    date_from = django_filters.DateFilter(
        field_name="paid_on", lookup_expr="gte", label="Paid on or after", widget=DATE_INPUT
    )
    date_to = django_filters.DateFilter(
        field_name="paid_on", lookup_expr="lte", label="Paid on or before", widget=DATE_INPUT
    )

    class Meta:
        model = Payment
        fields = ["method", "status", "date_from", "date_to"]
