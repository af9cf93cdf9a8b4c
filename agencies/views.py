from django.views.generic import TemplateView

from marketplace.core.models import CoopMembershipStatus
from marketplace.core.roles import OrgKind
from marketplace.core.tenancy import OrganizationViewMixin

from . import selectors


class AgencyHomeView(OrganizationViewMixin, TemplateView):
    """A buyer's landing page: what they can buy on, where it ships, their co-ops."""

    organization_kind = OrgKind.AGENCY
    template_name = "agencies/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agency = self.organization
        memberships = list(selectors.coop_membership_list(agency=agency))
        context.update(
            profile=selectors.agency_profile(organization=agency),
            contracts=selectors.available_contract_list(agency=agency),
            memberships=memberships,
            has_active_membership=any(m.status == CoopMembershipStatus.ACTIVE for m in memberships),
            facilities=selectors.facility_list(agency=agency),
        )
        return context
