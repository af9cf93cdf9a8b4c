"""Agency reads, always scoped to the agency from the URL."""

from django.db.models import QuerySet

from contracts.models import Contract
from marketplace.core.models import CoopMembership, Organization

from .models import Agency, Facility


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
