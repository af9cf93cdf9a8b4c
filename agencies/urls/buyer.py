"""Agency pages: /agencies/<org>/… (audit log, buyer catalog). The home, /agencies/<org>/, is routed by
orders/home/urls.py: it shows the savings of the agency's orders as well."""

from django.urls import path

from agencies.views import buyer
from marketplace.core.views import AGENCY_AUDIT

urlpatterns = [
    path("<slug:org>/audit/", AGENCY_AUDIT, name="agency-audit"),
    path("<slug:org>/catalog/", buyer.CatalogSearchView.as_view(), name="agency-catalog"),
    path("<slug:org>/catalog/items/<int:pk>/", buyer.CatalogItemView.as_view(), name="agency-catalog-item"),
]
