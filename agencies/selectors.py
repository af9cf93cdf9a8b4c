"""Agency reads, always scoped to the agency from the URL: its profile, facilities, co-op memberships, the contracts
it may buy on, and the buyer catalog (search scope, facility, nearest stores, an item's history). The search itself
lives in `contracts.catalog.search`; this module supplies what only the agency side knows (its state and
facilities). Also the co-op's view of its member agencies (with their profiles)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from agencies.models import Agency, Facility
from contracts.catalog.search.engine import SearchResult, SearchScope, catalog_item_get, catalog_search, search_scope
from contracts.catalog.search.query import SearchParams
from contracts.catalog.search.reference import reference_cached, reference_version
from contracts.models import CatalogItem, Contract, PriceChange, PriceChangeStatus
from marketplace.core.dates import organization_today
from marketplace.core.db import read_connection, replica_reads
from marketplace.core.models import CoopMembership, Organization
from suppliers.nearby import NearbyStore, nearest_stores


def agency_profile(*, organization: Organization) -> Agency | None:
    return Agency.objects.for_organization(organization).first()


def facility_list(*, agency: Organization) -> QuerySet[Facility]:
    return Facility.objects.for_organization(agency).filter(is_active=True)


def coop_membership_list(*, agency: Organization) -> QuerySet[CoopMembership]:
    return CoopMembership.objects.filter(agency=agency).select_related("cooperative")


def available_contract_list(*, agency: Organization) -> QuerySet[Contract]:
    """Active contracts the agency may buy on through its active co-op memberships."""
    return (
        Contract.objects.available_to_agency(agency)
        .select_related("supplier", "cooperative", "lead_agency")
        .order_by("term_end", "number")
    )


def upcoming_contract_list(*, agency: Organization) -> QuerySet[Contract]:
    """Published contracts the agency will be able to buy on once their term starts (not orderable before)."""
    return (
        Contract.objects.upcoming_for_agency(agency)
        .select_related("supplier", "cooperative")
        .order_by("term_start", "number")
    )


def coop_member_list(*, cooperative: Organization) -> QuerySet[CoopMembership]:
    """Member agencies (every status), with their agency profile for type and state."""
    return (
        CoopMembership.objects.filter(cooperative=cooperative)
        .select_related("agency", "agency__agency_profile")
        .order_by("status", "agency__name")
    )


# --- The buyer catalog ---


def catalog_scope(*, agency: Organization, reference_version: int | None = None) -> SearchScope:
    """The contracts `agency` may buy on today. Built afresh, unless search passes the reference version it read
    (contracts/catalog/search/reference.py): then this process reuses the scope it built for that version today."""

    def build() -> SearchScope:
        state = Agency.objects.for_organization(agency).values_list("state", flat=True).first() or ""
        return search_scope(agency=agency, state=state, reference_version=reference_version)

    return reference_cached("scope", (agency.id, organization_today(agency)), build, version=reference_version)


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


def catalog_page(
    *, agency: Organization, params: SearchParams, facility_id: str | None = None, with_stores: bool = True
) -> CatalogPage:
    """The search runs on the read replica when one is configured (a second or two of lag is harmless here).
    `with_stores=False` (the API: its results carry no stores) skips the facility and the nearest stores. The
    scope and categories are the ones this process built for the reference version the replica shows now."""
    with replica_reads():
        scope = catalog_scope(agency=agency, reference_version=reference_version(read_connection()))
        result = catalog_search(scope=scope, params=params)
    facility = catalog_facility(agency=agency, facility_id=facility_id) if with_stores else None
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
