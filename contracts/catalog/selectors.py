"""Catalog reads: a supplier's contracts, items and catalog imports; price changes (a supplier's own items, a
co-op's contracts).

Every selector takes the tenant from the URL; another tenant's object is "missing" (Http404).
"""

from __future__ import annotations

import uuid

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from contracts.models import OPEN_STATUSES, CatalogImport, CatalogItem, Contract, PriceChange, PriceChangeStatus
from marketplace.core.filters import NarrowingFilterSet
from marketplace.core.models import Membership, Organization


def supplier_contract_list(*, supplier: Organization) -> QuerySet[Contract]:
    """Contracts the supplier is on, with active and total item counts (one query)."""
    return (
        Contract.objects.for_organization(supplier)
        .select_related("cooperative")
        .annotate(
            item_count=Count("items"),
            active_item_count=Count("items", filter=Q(items__status="active")),
        )
        .order_by("number")
    )


def supplier_importable_contracts(*, supplier: Organization) -> QuerySet[Contract]:
    return Contract.objects.for_organization(supplier).filter(status__in=OPEN_STATUSES).order_by("number")


def supplier_contract_get(*, supplier: Organization, number: str) -> Contract:
    contract = Contract.objects.for_organization(supplier).filter(number=number).first()
    if contract is None:
        raise Http404("No such contract.")
    return contract


def supplier_contract_by_slug(*, supplier: Organization, slug: str) -> Contract:
    contract = Contract.objects.for_organization(supplier).filter(slug=slug).first()
    if contract is None:
        raise Http404("No such contract.")
    return contract


def supplier_catalog_status(*, supplier: Organization) -> dict:
    """What the supplier home's catalog card shows: active items, the latest import, pending increases and the
    open contracts (for its upload and download links). Four small queries, whatever the catalog's size."""
    items = CatalogItem.objects.for_organization(supplier).filter(status="active").count()
    last_import = (
        CatalogImport.objects.for_organization(supplier)
        .select_related("contract")
        .order_by("-created_at", "-id")
        .first()
    )
    pending = PriceChange.objects.for_organization(supplier).filter(status=PriceChangeStatus.PENDING).count()
    return {
        "items": items,
        "last_import": last_import,
        "pending": pending,
        "contracts": list(supplier_importable_contracts(supplier=supplier)),
    }


def catalog_import_list(
    *, supplier: Organization, filters: NarrowingFilterSet | None = None
) -> QuerySet[CatalogImport]:
    """The supplier's imports, newest first; `filters` (a `CatalogImportFilter`) narrows them."""
    qs = (
        CatalogImport.objects.for_organization(supplier)
        .select_related("supplier", "contract", "created_by", "confirmed_by")
        .order_by("-created_at", "-id")
    )
    return filters.narrow(qs) if filters is not None else qs


def catalog_import_get(*, supplier: Organization, public_id: str | uuid.UUID) -> CatalogImport:
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise Http404("No such import.")
    found = (
        CatalogImport.objects.for_organization(supplier)
        .select_related("supplier", "contract", "contract__cooperative", "created_by", "confirmed_by")
        .filter(public_id=key)
        .first()
    )
    if found is None:
        raise Http404("No such import.")
    return found


def price_change_list(*, cooperative: Organization, filters: NarrowingFilterSet | None = None) -> QuerySet[PriceChange]:
    """Price changes on contracts the co-op owns, oldest first; `filters` (a `PriceChangeFilter`, pending unless
    told otherwise) narrows them and orders them (the pending queue oldest first, history newest decision first).
    Without `filters`: every status."""
    qs = (
        PriceChange.objects.filter(item__contract__cooperative=cooperative)
        .select_related("item", "item__contract", "item__contract__supplier", "requested_by", "decided_by")
        .order_by("requested_at", "id")
    )
    return filters.narrow(qs) if filters is not None else qs


def price_change_get(*, cooperative: Organization, change_id: int) -> PriceChange:
    change = price_change_list(cooperative=cooperative).filter(pk=change_id).first()
    if change is None:
        raise Http404("No such price change.")
    return change


def coop_contract_numbers(*, cooperative: Organization) -> list[str]:
    return list(Contract.objects.filter(cooperative=cooperative).order_by("number").values_list("number", flat=True))


# --- The supplier's own items ------------------------------------------------------------------------


def supplier_item_list(*, supplier: Organization, filters: NarrowingFilterSet | None = None) -> QuerySet[CatalogItem]:
    """The supplier's items across its contracts, with the pending increase (if any) in one query; `filters`
    (a `SupplierItemFilter`) narrows them."""
    pending = PriceChange.objects.filter(item=OuterRef("pk"), status=PriceChangeStatus.PENDING)
    qs = (
        CatalogItem.objects.for_organization(supplier)
        .select_related("contract", "category", "image")
        .annotate(pending_price=Subquery(pending.values("new_price")[:1]))
        .order_by("contract__number", "sku", "id")
    )
    return filters.narrow(qs) if filters is not None else qs


def supplier_contracts(*, supplier: Organization) -> QuerySet[Contract]:
    return Contract.objects.for_organization(supplier).order_by("number")


def supplier_item_get(*, supplier: Organization, item_id: int) -> CatalogItem:
    item = supplier_item_list(supplier=supplier).select_related("contract__cooperative").filter(pk=item_id).first()
    if item is None:
        raise Http404("No such item.")
    return item


def supplier_item_price_history(*, item: CatalogItem) -> QuerySet[PriceChange]:
    return (
        PriceChange.objects.filter(item=item)
        .select_related("requested_by", "decided_by")
        .order_by("-requested_at", "-id")
    )


# --- Pictures ----------------------------------------------------------------------------------------------


def catalog_image_audience(*, digest: str, user) -> str | None:
    """Who may see a picture: "public" when an item of a published (non-draft) contract uses it — those items'
    contract summaries are public and the name is the picture's SHA-256, which only someone who has the bytes or
    was shown the page can know; "private" for a signed-in member of the supplier or of the co-op of a draft
    contract with an item using it; None otherwise (the view answers 404, as for a picture that does not exist).
    """
    using = CatalogItem.objects.unscoped().filter(image_id=digest)
    if using.filter(contract__in=Contract.objects.public()).exists():
        return "public"
    if user is not None and user.is_authenticated:
        organizations = Membership.objects.active().filter(user=user).values("organization_id")
        if using.filter(Q(contract__supplier__in=organizations) | Q(contract__cooperative__in=organizations)).exists():
            return "private"
    return None
