"""Supplier reads, scoped to the supplier from the URL."""

from django.db.models import QuerySet

from marketplace.core.models import Organization

from .models import StoreLocation, Supplier


def supplier_profile(*, organization: Organization) -> Supplier | None:
    return Supplier.objects.for_organization(organization).first()


def store_location_list(*, supplier: Organization) -> QuerySet[StoreLocation]:
    return StoreLocation.objects.for_organization(supplier).filter(is_active=True)
