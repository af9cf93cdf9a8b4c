"""The filters of the agency's and the co-op's order lists, one FilterSet per list. Each serves the selector, the
HTML page (its `.form`), the CSV export (the same rows as the page) and the API list; each only narrows the
tenant-scoped queryset its selector builds."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet

from marketplace.core.filters import NarrowingFilterSet
from orders.purchase_orders.lists import selectors
from orders.purchase_orders.models import POStatus, PurchaseOrder

NUMBER_MAX = 40  # a PO number's length
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OrderFilterBase(NarrowingFilterSet):
    """What every order list filters on: PO number, status, a date range on the order date, emergency orders."""

    q = django_filters.CharFilter(
        field_name="number", lookup_expr="icontains", label="PO number", max_length=NUMBER_MAX
    )
    status = django_filters.ChoiceFilter(label="Status", choices=POStatus.choices, empty_label="Any status")
    date_from = django_filters.DateFilter(
        field_name="order_date", lookup_expr="gte", label="Ordered on or after", widget=DATE_INPUT
    )
    date_to = django_filters.DateFilter(
        field_name="order_date", lookup_expr="lte", label="Ordered on or before", widget=DATE_INPUT
    )
    emergency = django_filters.BooleanFilter(field_name="is_emergency", label="Emergency orders only", method="only")

    class Meta:
        model = PurchaseOrder
        fields = ["q", "status", "date_from", "date_to", "emergency"]

    def only(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        return queryset.filter(is_emergency=True) if value else queryset


class AgencyOrderFilter(OrderFilterBase):
    """An agency's orders (`organization`: the agency). `scope`: mine / my department / all (the selector already
    limits a requester to their own)."""

    SCOPES = [("all", "All orders I can see"), ("mine", "Orders I placed"), ("department", "My department's orders")]

    scope = django_filters.ChoiceFilter(label="Show", choices=SCOPES, empty_label=None, method="scoped")
    supplier = django_filters.ChoiceFilter(field_name="supplier__slug", label="Supplier", empty_label="All suppliers")

    class Meta(OrderFilterBase.Meta):
        fields = ["scope", "q", "status", "supplier", "date_from", "date_to", "emergency"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["supplier"].extra["choices"] = selectors.agency_supplier_choices(agency=self.organization)

    def scoped(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        user = getattr(self.request, "user", None)
        if user is None or value in ("", "all"):
            return queryset
        if value == "mine":
            return queryset.filter(requisition__requester=user)
        department = selectors.member_department_id(agency=self.organization, user=user)
        return queryset.filter(requisition__department_id=department) if department else queryset.none()


class CoopOrderFilter(OrderFilterBase):
    """Released orders on a co-op's contracts (`organization`: the co-op)."""

    status = django_filters.ChoiceFilter(
        label="Status", choices=selectors.RELEASED_STATUS_CHOICES, empty_label="Any status"
    )
    agency = django_filters.ChoiceFilter(field_name="agency__slug", label="Agency", empty_label="All agencies")
    supplier = django_filters.ChoiceFilter(field_name="supplier__slug", label="Supplier", empty_label="All suppliers")

    class Meta(OrderFilterBase.Meta):
        fields = ["q", "status", "agency", "supplier", "date_from", "date_to", "emergency"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        coop = self.organization
        self.filters["agency"].extra["choices"] = selectors.coop_choices(cooperative=coop, field="agency")
        self.filters["supplier"].extra["choices"] = selectors.coop_choices(cooperative=coop, field="supplier")
