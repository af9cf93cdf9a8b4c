"""Catalog import (supplier) and price-change (co-op) API routes."""

from django.urls import path

from . import import_views as views

_IMPORT = "suppliers/<slug:org>/catalog-imports/<uuid:public_id>/"
_CHANGE = "coops/<slug:org>/price-changes/<int:change_id>/"

urlpatterns = [
    path(
        "suppliers/<slug:org>/catalog-imports/",
        views.CatalogImportListView.as_view(),
        name="api-supplier-catalog-imports",
    ),
    path(_IMPORT, views.CatalogImportDetailView.as_view(), name="api-supplier-catalog-import"),
    path(_IMPORT + "confirm/", views.CatalogImportConfirmView.as_view(), name="api-supplier-catalog-import-confirm"),
    path(_IMPORT + "cancel/", views.CatalogImportCancelView.as_view(), name="api-supplier-catalog-import-cancel"),
    path(_IMPORT + "retry/", views.CatalogImportRetryView.as_view(), name="api-supplier-catalog-import-retry"),
    path("coops/<slug:org>/price-changes/", views.PriceChangeListView.as_view(), name="api-coop-price-changes"),
    path(_CHANGE + "approve/", views.PriceChangeApproveView.as_view(), name="api-coop-price-change-approve"),
    path(_CHANGE + "reject/", views.PriceChangeRejectView.as_view(), name="api-coop-price-change-reject"),
]

# A supplier's own items and a single-item price change (contracts/api/supplier_item_views.py).
from . import supplier_item_views  # noqa: E402

urlpatterns += [
    path(
        "suppliers/<slug:org>/catalog/items/",
        supplier_item_views.SupplierItemListView.as_view(),
        name="api-supplier-catalog-items",
    ),
    path(
        "suppliers/<slug:org>/catalog/items/<int:item_id>/price/",
        supplier_item_views.SupplierItemPriceView.as_view(),
        name="api-supplier-catalog-item-price",
    ),
]
