from django.views.generic import TemplateView

from marketplace.core.models import CoopMembershipStatus
from marketplace.core.roles import OrgKind
from marketplace.core.tenancy import OrganizationViewMixin

from . import selectors


class CoopHomeView(OrganizationViewMixin, TemplateView):
    """Co-op staff landing page: member agencies, contracts, applications waiting."""

    organization_kind = OrgKind.COOPERATIVE
    template_name = "contracts/coop_home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        members = list(selectors.coop_member_list(cooperative=self.organization))
        context.update(
            members=members,
            active_member_count=sum(1 for m in members if m.status == CoopMembershipStatus.ACTIVE),
            pending=[m for m in members if m.status in (CoopMembershipStatus.APPLIED, CoopMembershipStatus.APPROVED)],
            contracts=selectors.coop_contract_list(cooperative=self.organization),
        )
        return context
