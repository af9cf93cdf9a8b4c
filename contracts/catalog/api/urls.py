"""Catalog API routes: a supplier's imports and items (/suppliers/<org>/…), a co-op's price changes (/coops/<org>/…)."""

from django.urls import path

from contracts.catalog.api.views import coop, supplier

_IMPORT = "suppliers/<slug:org>/catalog-imports/<uuid:public_id>/"
_CHANGE = "coops/<slug:org>/price-changes/<int:change_id>/"

urlpatterns = [
    path(
        "suppliers/<slug:org>/catalog-imports/",
        supplier.CatalogImportListView.as_view(),
        name="api-supplier-catalog-imports",
    ),
    path(_IMPORT, supplier.CatalogImportDetailView.as_view(), name="api-supplier-catalog-import"),
    path(_IMPORT + "confirm/", supplier.CatalogImportConfirmView.as_view(), name="api-supplier-catalog-import-confirm"),
    path(_IMPORT + "cancel/", supplier.CatalogImportCancelView.as_view(), name="api-supplier-catalog-import-cancel"),
    path(_IMPORT + "retry/", supplier.CatalogImportRetryView.as_view(), name="api-supplier-catalog-import-retry"),
    path(
        "suppliers/<slug:org>/catalog/items/",
        supplier.SupplierItemListView.as_view(),
        name="api-supplier-catalog-items",
    ),
    path(
        "suppliers/<slug:org>/catalog/items/<int:item_id>/price/",
        supplier.SupplierItemPriceView.as_view(),
        name="api-supplier-catalog-item-price",
    ),
    path(
        "suppliers/<slug:org>/catalog/items/<int:item_id>/picture/",
        supplier.SupplierItemImageView.as_view(),
        name="api-supplier-catalog-item-image",
    ),
    path("coops/<slug:org>/price-changes/", coop.PriceChangeListView.as_view(), name="api-coop-price-changes"),
    path(_CHANGE + "approve/", coop.PriceChangeApproveView.as_view(), name="api-coop-price-change-approve"),
    path(_CHANGE + "reject/", coop.PriceChangeRejectView.as_view(), name="api-coop-price-change-reject"),
]
