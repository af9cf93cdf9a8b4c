"""The supplier order desk's reads: its inbox (orders released to the supplier) and one order with its lines,
shipments, cancellation requests and timeline. Another supplier's order is `None` (a 404)."""

from __future__ import annotations

from django.db.models import QuerySet

from marketplace.core.filters import NarrowingFilterSet
from marketplace.core.models import Organization
from orders.purchase_orders.lists.selectors import (
    LIST_RELATED,
    po_with_detail,
    supplier_orders,
    supplier_store_choices,
)
from orders.purchase_orders.models import PurchaseOrder


def desk_order_list(*, supplier: Organization, filters: NarrowingFilterSet | None = None) -> QuerySet[PurchaseOrder]:
    queryset = supplier_orders(supplier=supplier)
    if filters is not None:
        queryset = filters.narrow(queryset)
    return queryset.select_related(*LIST_RELATED)


def desk_order_get(*, supplier: Organization, po_id) -> PurchaseOrder | None:
    return po_with_detail(supplier_orders(supplier=supplier), po_id)


def desk_agency_choices(*, supplier: Organization) -> list[tuple[str, str]]:
    rows = supplier_orders(supplier=supplier).order_by("agency__name")
    return list(rows.values_list("agency__slug", "agency__name").distinct())


def desk_store_choices(*, supplier: Organization) -> list[tuple[str, str]]:
    return supplier_store_choices(supplier=supplier)
