"""A supplier's home page (/suppliers/<org>/): the catalog first (for catalog managers), vetting status, the
contracts it is on, its stores.

It lives in contracts/ because it lists contracts: the lowest app whose imports allow it (suppliers/ sits below
contracts/ in the dependency rule)."""

from django.views.generic import TemplateView

from contracts.catalog.selectors import supplier_catalog_status, supplier_contract_list
from marketplace.core.roles import SUPPLIER_CATALOG_ROLES, OrgKind
from marketplace.core.tenancy import OrganizationViewMixin
from suppliers.selectors import store_location_list, supplier_profile


class SupplierHomeView(OrganizationViewMixin, TemplateView):
    organization_kind = OrgKind.SUPPLIER
    template_name = "suppliers/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            profile=supplier_profile(organization=self.organization),
            stores=store_location_list(supplier=self.organization),
            contracts=supplier_contract_list(supplier=self.organization),
            # the catalog card, the catalog manager's main action (templates/contracts/imports/_home_card.html)
            catalog_status=(
                supplier_catalog_status(supplier=self.organization)
                if self.access.roles & SUPPLIER_CATALOG_ROLES
                else None
            ),
        )
        return context
