"""Supplier reads, scoped to the supplier from the URL, and the platform-wide directory of verified suppliers."""

from django.db.models import Q, QuerySet

from marketplace.core.models import Organization
from suppliers.models import StoreLocation, Supplier, VettingStatus


def supplier_profile(*, organization: Organization) -> Supplier | None:
    return Supplier.objects.for_organization(organization).first()


def store_location_list(*, supplier: Organization) -> QuerySet[StoreLocation]:
    return StoreLocation.objects.for_organization(supplier).filter(is_active=True)


def supplier_is_verified(*, organization: Organization) -> bool:
    return Supplier.objects.for_organization(organization).filter(vetting_status=VettingStatus.VERIFIED).exists()


def contract_supplier_list(*, cooperative: Organization) -> QuerySet[Organization]:
    """Suppliers a co-op may name on a draft contract: every verified supplier, and the suppliers this co-op invited
    and is still vetting (a contract is usually awarded before the supplier's documents are in). Publishing still
    needs a verified supplier."""
    return Organization.objects.filter(
        Q(supplier_profile__vetting_status=VettingStatus.VERIFIED)
        | Q(
            supplier_profile__cooperative=cooperative,
            supplier_profile__vetting_status__in=(VettingStatus.INVITED, VettingStatus.SUBMITTED),
        ),
        kind="supplier",
        is_active=True,
    ).order_by("name")
