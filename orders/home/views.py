"""The agency home as ordering completes it. The page is the agencies app's (`agencies.views.buyer.AgencyHomeView`:
contracts, memberships, facilities); it is routed from here because it also shows what the member's orders saved,
and only `orders` may read orders (docs/architecture.md: a page lives in the lowest app that may import its data)."""

from __future__ import annotations

from agencies.views.buyer import AgencyHomeView as AgencyHomeBase
from orders.purchase_orders.lists.selectors import agency_savings


class AgencyHomeView(AgencyHomeBase):
    """A buyer's landing page: search first, the savings so far, then what they can buy on and where it ships."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["savings"] = agency_savings(agency=self.organization, user=self.request.user, roles=self.access.roles)
        return context
