"""Contract and co-op reads."""

from django.db.models import QuerySet

from marketplace.core.models import CoopMembership, Organization

from .models import Contract


def coop_contract_list(*, cooperative: Organization) -> QuerySet[Contract]:
    return Contract.objects.for_organization(cooperative).select_related("supplier", "lead_agency").order_by("number")


def coop_member_list(*, cooperative: Organization) -> QuerySet[CoopMembership]:
    """Member agencies (every status), with their agency profile for type and state."""
    return (
        CoopMembership.objects.filter(cooperative=cooperative)
        .select_related("agency", "agency__agency_profile")
        .order_by("status", "agency__name")
    )
