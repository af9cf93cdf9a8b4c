"""Buyer catalog reads for an agency: its search scope, its facility, nearest stores, an item's history.

The search itself lives in `contracts.search`; this module supplies what only the agency side knows
(the agency's state and facilities), always for the agency from the URL.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from contracts.models import CatalogItem, PriceChange, PriceChangeStatus
from contracts.search.engine import SearchResult, SearchScope, catalog_item_get, catalog_search, search_scope
from contracts.search.nearby import NearbyStore, nearest_stores
from contracts.search.query import SearchParams
from marketplace.core.models import Organization

from .models import Agency, Facility


def catalog_scope(*, agency: Organization) -> SearchScope:
    state = Agency.objects.for_organization(agency).values_list("state", flat=True).first() or ""
    return search_scope(agency=agency, state=state)


def catalog_facility(*, agency: Organization, facility_id: str | None = None) -> Facility | None:
    """The facility to measure store distances from: `facility_id` if it is the agency's, else its first."""
    facilities = Facility.objects.for_organization(agency).filter(is_active=True).order_by("name", "id")
    if facility_id and str(facility_id).isdigit():
        chosen = facilities.filter(id=int(facility_id)).first()
        if chosen is not None:
            return chosen
    return facilities.first()


@dataclass
class CatalogPage:
    scope: SearchScope
    result: SearchResult
    facility: Facility | None
    stores: dict[int, list[NearbyStore]]  # supplier id -> nearest stores


def catalog_page(*, agency: Organization, params: SearchParams, facility_id: str | None = None) -> CatalogPage:
    scope = catalog_scope(agency=agency)
    result = catalog_search(scope=scope, params=params)
    facility = catalog_facility(agency=agency, facility_id=facility_id)
    stores = {}
    if facility is not None and result.hits:
        stores = nearest_stores(
            supplier_ids={hit.item.contract.supplier_id for hit in result.hits},
            latitude=facility.latitude,
            longitude=facility.longitude,
        )
    return CatalogPage(scope=scope, result=result, facility=facility, stores=stores)


def catalog_item_detail(*, agency: Organization, item_id: int) -> CatalogItem | None:
    return catalog_item_get(scope=catalog_scope(agency=agency), item_id=item_id)


def item_price_history(*, item: CatalogItem) -> QuerySet[PriceChange]:
    """Prices that took effect (applied decreases and initial prices, approved increases), newest first."""
    return PriceChange.objects.filter(
        item=item, status__in=[PriceChangeStatus.APPLIED, PriceChangeStatus.APPROVED]
    ).order_by("-effective_date", "-requested_at", "-id")


def item_nearest_stores(*, item: CatalogItem, facility: Facility | None) -> list[NearbyStore]:
    if facility is None:
        return []
    stores = nearest_stores(
        supplier_ids={item.contract.supplier_id}, latitude=facility.latitude, longitude=facility.longitude
    )
    return stores.get(item.contract.supplier_id, [])


def facility_choices(*, agency: Organization) -> QuerySet[Facility]:
    return Facility.objects.for_organization(agency).filter(is_active=True).order_by("name", "id")
