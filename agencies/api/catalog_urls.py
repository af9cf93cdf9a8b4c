"""Buyer catalog API: /api/v1/agencies/<org>/catalog/…"""

from django.urls import path

from .catalog_views import CatalogItemAPIView, CatalogSearchAPIView

urlpatterns = [
    path("agencies/<slug:org>/catalog/items/", CatalogSearchAPIView.as_view(), name="api-catalog-search"),
    path("agencies/<slug:org>/catalog/items/<int:pk>/", CatalogItemAPIView.as_view(), name="api-catalog-item"),
]
