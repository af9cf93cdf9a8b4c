"""Reads for checkout, scoped to the agency from the URL: the member's defaults, the facilities and fund codes
they may choose, the valid tax-exemption certificate for a state, the price in effect for items, the local
store that could fulfil each supplier's order, and a requisition with its purchase orders."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Prefetch

from agencies.models import Facility
from contracts.models import PriceChange, PriceChangeStatus
from marketplace.core.models import Organization, User
from orders.purchase_orders.models import PurchaseOrder, PurchaseOrderLine
from orders.requisitions.models import IdempotencyRecord, Requisition
from suppliers.nearby import NearbyStore, nearest_stores

# Price-history rows that are prices in effect: applied decreases and initial prices, approved increases.
IN_EFFECT = (PriceChangeStatus.APPLIED, PriceChangeStatus.APPROVED)


def prices_in_effect(*, item_ids: Iterable[int], on: dt.date) -> dict[int, PriceChange]:
    """item id -> the latest price change in effect on `on` (ties by id): the same rule the database trigger on
    purchase-order lines enforces. One query."""
    rows = (
        PriceChange.objects.filter(item_id__in=set(item_ids), status__in=IN_EFFECT, effective_date__lte=on)
        .order_by("item_id", "-effective_date", "-id")
        .distinct("item_id")
    )
    return {row.item_id: row for row in rows}


def local_stores(*, facility: Facility | None, supplier_ids: Iterable[int]) -> dict[int, NearbyStore]:
    """supplier id -> its locally owned store nearest the facility whose service radius covers it."""
    if facility is None:
        return {}
    found = nearest_stores(
        supplier_ids=set(supplier_ids), latitude=facility.latitude, longitude=facility.longitude, limit=10
    )
    stores = {}
    for supplier_id, nearby in found.items():
        local = [s for s in nearby if s.locally_owned]
        if local:
            stores[supplier_id] = local[0]
    return stores


def requisition_detail(*, agency: Organization, user: User, public_id) -> Requisition | None:
    """A requisition the member placed in this agency, with its purchase orders and their lines."""
    lines = PurchaseOrderLine.objects.select_related("fund_code")
    pos = PurchaseOrder.objects.select_related(
        "contract", "supplier", "cooperative", "store", "facility", "tax_certificate"
    ).prefetch_related(Prefetch("lines", queryset=lines))
    return (
        Requisition.objects.for_organization(agency)
        .filter(public_id=public_id, requester=user)
        .select_related("facility", "requester")
        .prefetch_related(Prefetch("purchase_orders", queryset=pos.order_by("id")))
        .first()
    )


def requisition_for_key(*, agency: Organization, user: User, key: str) -> Requisition | None:
    """The requisition an idempotency key (or a checkout form's one-time token) created, if any."""
    record = (
        IdempotencyRecord.objects.for_organization(agency)
        .filter(user=user, key=key, requisition__isnull=False)
        .select_related("requisition")
        .first()
    )
    return record.requisition if record else None
