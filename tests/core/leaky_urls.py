"""A test-only URLconf: the project's URLs plus two supplier item pages on the real `OrganizationViewMixin`, one
that looks the item up within the tenant and one that forgets to (tests/core/test_isolation_catches_leaks.py)."""

from django.http import Http404, HttpResponse
from django.urls import include, path
from django.views import View

from contracts.models import CatalogItem
from marketplace.core.roles import OrgKind
from marketplace.core.tenancy import OrganizationViewMixin


class ItemView(OrganizationViewMixin, View):
    organization_kind = OrgKind.SUPPLIER

    def items(self):
        return CatalogItem.objects.for_organization(self.organization)

    def get(self, request, org, item_id):
        item = self.items().filter(pk=item_id).first()
        if item is None:
            raise Http404("No such item.")
        return HttpResponse(f"<p>{item.sku}: {item.name}</p>")


class LeakyItemView(ItemView):
    def items(self):
        return CatalogItem.objects.unscoped()  # the bug under test: the organization passes the gate, then is ignored


urlpatterns = [
    path("leaky/suppliers/<slug:org>/items/<int:item_id>/", LeakyItemView.as_view(), name="leaky-item"),
    path("scoped/suppliers/<slug:org>/items/<int:item_id>/", ItemView.as_view(), name="scoped-item"),
    path("", include("marketplace.urls")),
]
