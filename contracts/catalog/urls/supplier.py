"""Supplier catalog pages: /suppliers/<org>/catalog/… (contracts, imports, the supplier's own items)."""

from django.urls import path

from contracts.catalog.views import supplier as views

_IMPORT = "<slug:org>/catalog/imports/<uuid:public_id>/"

urlpatterns = [
    path("<slug:org>/catalog/", views.CatalogHomeView.as_view(), name="supplier-catalog"),
    path(
        "<slug:org>/catalog/template.csv",
        views.CatalogTemplateView.as_view(fmt="csv"),
        name="supplier-catalog-template",
    ),
    path(
        "<slug:org>/catalog/template.xlsx",
        views.CatalogTemplateView.as_view(fmt="xlsx"),
        name="supplier-catalog-template-xlsx",
    ),
    path(
        "<slug:org>/catalog/contracts/<slug:contract>/export.csv",
        views.CatalogExportView.as_view(fmt="csv"),
        name="supplier-catalog-export",
    ),
    path(
        "<slug:org>/catalog/contracts/<slug:contract>/export.xlsx",
        views.CatalogExportView.as_view(fmt="xlsx"),
        name="supplier-catalog-export-xlsx",
    ),
    path("<slug:org>/catalog/imports/new/", views.ImportCreateView.as_view(), name="supplier-catalog-import-new"),
    path(_IMPORT, views.ImportDetailView.as_view(), name="supplier-catalog-import"),
    path(_IMPORT + "status/", views.ImportStatusView.as_view(), name="supplier-catalog-import-status"),
    path(_IMPORT + "errors.csv", views.ImportErrorReportView.as_view(), name="supplier-catalog-import-errors"),
    path(_IMPORT + "confirm/", views.ImportConfirmView.as_view(), name="supplier-catalog-import-confirm"),
    path(_IMPORT + "cancel/", views.ImportCancelView.as_view(), name="supplier-catalog-import-cancel"),
    path(_IMPORT + "retry/", views.ImportRetryView.as_view(), name="supplier-catalog-import-retry"),
    path("<slug:org>/catalog/items/", views.ItemListView.as_view(), name="supplier-catalog-items"),
    path("<slug:org>/catalog/items/<int:item_id>/", views.ItemDetailView.as_view(), name="supplier-catalog-item"),
    path(
        "<slug:org>/catalog/items/<int:item_id>/picture/",
        views.ItemImageView.as_view(),
        name="supplier-catalog-item-image",
    ),
]
