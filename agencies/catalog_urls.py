"""Buyer catalog pages: /agencies/<org>/catalog/…"""

from django.urls import path

from .catalog_views import CatalogItemView, CatalogSearchView

urlpatterns = [
    path("<slug:org>/catalog/", CatalogSearchView.as_view(), name="agency-catalog"),
    path("<slug:org>/catalog/items/<int:pk>/", CatalogItemView.as_view(), name="agency-catalog-item"),
]
