from django.views.generic import TemplateView

from contracts.models import Contract
from marketplace.core.roles import OrgKind
from marketplace.core.tenancy import OrganizationViewMixin

from . import selectors


class SupplierHomeView(OrganizationViewMixin, TemplateView):
    """A supplier's landing page: vetting status, contracts it is on, its stores."""

    organization_kind = OrgKind.SUPPLIER
    template_name = "suppliers/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            profile=selectors.supplier_profile(organization=self.organization),
            stores=selectors.store_location_list(supplier=self.organization),
            contracts=Contract.objects.for_organization(self.organization).select_related("cooperative", "lead_agency"),
        )
        return context
