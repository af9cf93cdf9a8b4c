"""Supplier reads, scoped to the supplier from the URL, and the platform-wide directory of verified suppliers."""

from django.db.models import QuerySet

from marketplace.core.models import Organization
from suppliers.models import StoreLocation, Supplier, VettingStatus


def supplier_profile(*, organization: Organization) -> Supplier | None:
    return Supplier.objects.for_organization(organization).first()


def store_location_list(*, supplier: Organization) -> QuerySet[StoreLocation]:
    return StoreLocation.objects.for_organization(supplier).filter(is_active=True)


def supplier_is_verified(*, organization: Organization) -> bool:
    return Supplier.objects.for_organization(organization).filter(vetting_status=VettingStatus.VERIFIED).exists()


def verified_supplier_list() -> QuerySet[Organization]:
    """Suppliers a contract may be awarded to (the supplier directory is platform-wide)."""
    return Organization.objects.filter(
        kind="supplier", is_active=True, supplier_profile__vetting_status=VettingStatus.VERIFIED
    ).order_by("name")
