"""Vetting reads. A supplier's own pages read through its organization; co-op staff see the suppliers their co-op
vets (it invited them) or holds a contract with, and nothing else: any other supplier is a 404."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from marketplace.core.models import Organization
from suppliers.models import StoreLocation, Supplier
from suppliers.vetting.models import DocumentStatus, SupplierDocument


def coop_supplier_list(*, cooperative: Organization) -> QuerySet[Supplier]:
    """Suppliers this co-op vets or has a contract with, with their count of documents waiting for review."""
    with_contract = Organization.objects.filter(supplier_contracts__cooperative=cooperative).values("pk")
    return (
        Supplier.objects.unscoped()  # scoped by the co-op, not by the supplier's own organization
        .filter(Q(cooperative=cooperative) | Q(organization__in=with_contract))
        .select_related("organization", "cooperative")
        .annotate(
            pending_documents=Count(
                "organization__vetting_documents",
                filter=Q(organization__vetting_documents__status=DocumentStatus.PENDING),
            )
        )
        .order_by("organization__name")
    )


def coop_supplier_get(*, cooperative: Organization, slug: str) -> Supplier:
    supplier = coop_supplier_list(cooperative=cooperative).filter(organization__slug=slug).first()
    if supplier is None:
        raise Http404("No such supplier.")
    return supplier


def own_supplier(*, organization: Organization) -> Supplier:
    supplier = Supplier.objects.for_organization(organization).select_related("organization", "cooperative").first()
    if supplier is None:
        raise Http404("This supplier has no profile.")
    return supplier


def supplier_document_list(*, supplier: Organization) -> QuerySet[SupplierDocument]:
    return SupplierDocument.objects.for_organization(supplier).select_related("uploaded_by", "reviewed_by")


def supplier_document_get(*, supplier: Organization, document_id) -> SupplierDocument:
    try:
        pk = int(document_id)
    except (TypeError, ValueError):
        raise Http404("No such document.") from None
    document = supplier_document_list(supplier=supplier).filter(pk=pk).first()
    if document is None:
        raise Http404("No such document.")
    return document


def store_list(*, supplier: Organization) -> QuerySet[StoreLocation]:
    """Every store, inactive ones last."""
    return StoreLocation.objects.for_organization(supplier).order_by("-is_active", "state", "city", "name")


def store_get(*, supplier: Organization, store_id) -> StoreLocation:
    try:
        pk = int(store_id)
    except (TypeError, ValueError):
        raise Http404("No such store.") from None
    store = StoreLocation.objects.for_organization(supplier).filter(pk=pk).first()
    if store is None:
        raise Http404("No such store.")
    return store
