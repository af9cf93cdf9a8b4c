"""The catalog's list filters, one FilterSet per list. Each serves the selector, the HTML page (its `.form`) and
the API endpoint (`filterset_class`); each only narrows the tenant-scoped queryset its selector builds."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce

from contracts.catalog import selectors
from contracts.models import CatalogImport, CatalogItem, ImportStatus, ItemStatus, PriceChange, PriceChangeStatus
from marketplace.core.filters import NarrowingFilterSet

QUERY_MAX = 100  # longest search text; a longer one is refused rather than cut
SUPPLIER_ITEM_QUERY_MAX = QUERY_MAX


def _contract_filter(field_name: str) -> django_filters.ChoiceFilter:
    """A contract number; its choices are the organization's own contracts (set in `__init__`)."""
    return django_filters.ChoiceFilter(field_name=field_name, label="Contract", empty_label="All contracts")


class SupplierItemFilter(NarrowingFilterSet):
    """A supplier's own items (`organization`: the supplier)."""

    q = django_filters.CharFilter(
        label="Search SKU, name or part number", max_length=SUPPLIER_ITEM_QUERY_MAX, method="search"
    )
    contract = _contract_filter("contract__number")
    status = django_filters.ChoiceFilter(label="Status", choices=ItemStatus.choices, empty_label="Any status")

    class Meta:
        model = CatalogItem
        fields = ["q", "contract", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        numbers = selectors.supplier_contracts(supplier=self.organization).values_list("number", flat=True)
        self.filters["contract"].extra["choices"] = [(n, n) for n in numbers]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(sku__icontains=value) | Q(name__icontains=value) | Q(mpn__icontains=value))


class CatalogImportFilter(NarrowingFilterSet):
    """A supplier's catalog imports (`organization`: the supplier)."""

    contract = _contract_filter("contract__number")
    status = django_filters.ChoiceFilter(label="Status", choices=ImportStatus.choices, empty_label="Any status")

    class Meta:
        model = CatalogImport
        fields = ["contract", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        numbers = selectors.supplier_contracts(supplier=self.organization).values_list("number", flat=True)
        self.filters["contract"].extra["choices"] = [(n, n) for n in numbers]


class PriceChangeFilter(NarrowingFilterSet):
    """Price changes on a co-op's contracts (`organization`: the co-op).

    Without a `status` parameter it shows pending changes; an empty `status` means any status. Pending changes are
    a queue, oldest first; any other status is history, newest decision first (a decision's time, else the
    request's), so recent decisions are not buried under years of them.
    """

    status = django_filters.ChoiceFilter(label="Status", choices=PriceChangeStatus.choices, empty_label="Any status")
    contract = _contract_filter("item__contract__number")
    supplier = django_filters.CharFilter(
        field_name="item__contract__supplier__slug", label="Supplier (its slug)", max_length=QUERY_MAX
    )
    q = django_filters.CharFilter(label="SKU or name", max_length=QUERY_MAX, method="search")

    class Meta:
        model = PriceChange
        fields = ["status", "contract", "supplier", "q"]

    def __init__(self, data=None, *args, **kwargs):
        if data is None or "status" not in data:
            data = data.copy() if data is not None else {}
            data["status"] = PriceChangeStatus.PENDING
        super().__init__(data, *args, **kwargs)
        numbers = selectors.coop_contract_numbers(cooperative=self.organization)
        self.filters["contract"].extra["choices"] = [(n, n) for n in numbers]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(item__sku__icontains=value) | Q(item__name__icontains=value))

    @property
    def oldest_first(self) -> bool:
        return self.is_valid() and self.form.cleaned_data["status"] == PriceChangeStatus.PENDING

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        if self.oldest_first:
            return queryset.order_by("requested_at", "id")
        return queryset.order_by(Coalesce("decided_at", "requested_at").desc(), "-id")
