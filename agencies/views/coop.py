"""The co-op staff home page (/coops/<org>/): member agencies with their type and state, contracts, applications
waiting. It lives in agencies/ because it shows agency profiles: the lowest app whose imports allow it."""

from django.views.generic import TemplateView

from agencies import selectors
from agencies.onboarding.selectors import open_application_count
from contracts.selectors import coop_contract_list
from marketplace.core.models import CoopMembershipStatus
from marketplace.core.roles import OrgKind
from marketplace.core.tenancy import OrganizationViewMixin


class CoopHomeView(OrganizationViewMixin, TemplateView):
    """Co-op staff landing page: member agencies, contracts, applications waiting."""

    organization_kind = OrgKind.COOPERATIVE
    template_name = "agencies/coop_home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        members = list(selectors.coop_member_list(cooperative=self.organization))
        context.update(
            members=members,
            active_member_count=sum(1 for m in members if m.status == CoopMembershipStatus.ACTIVE),
            pending=[m for m in members if m.status in (CoopMembershipStatus.APPLIED, CoopMembershipStatus.APPROVED)],
            contracts=coop_contract_list(cooperative=self.organization),
        )
        # join applications waiting for review or for the applicant, and memberships applied for another way
        context["applications_waiting"] = open_application_count(cooperative=self.organization) + len(
            context["pending"]
        )
        return context
