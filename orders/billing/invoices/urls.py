"""Invoice pages (included at the site root): /suppliers/<org>/…, /agencies/<org>/invoices/…, /coops/<org>/…"""

from django.urls import path

from orders.billing.invoices import views

urlpatterns = [
    path(
        "suppliers/<slug:org>/orders/<uuid:po_id>/invoices/new/",
        views.SupplierInvoiceCreateView.as_view(),
        name="supplier-invoice-new",
    ),
    path("suppliers/<slug:org>/invoices/", views.SupplierInvoiceListView.as_view(), name="supplier-invoices"),
    path(
        "suppliers/<slug:org>/invoices/<uuid:invoice_id>/",
        views.SupplierInvoiceDetailView.as_view(),
        name="supplier-invoice",
    ),
    path(
        "suppliers/<slug:org>/invoices/<uuid:invoice_id>/pdf/",
        views.SupplierInvoicePdfView.as_view(),
        name="supplier-invoice-pdf",
    ),
    path("agencies/<slug:org>/invoices/", views.AgencyInvoiceListView.as_view(), name="agency-invoices"),
    path(
        "agencies/<slug:org>/invoices/<uuid:invoice_id>/",
        views.AgencyInvoiceDetailView.as_view(),
        name="agency-invoice",
    ),
    path(
        "agencies/<slug:org>/invoices/<uuid:invoice_id>/pdf/",
        views.AgencyInvoicePdfView.as_view(),
        name="agency-invoice-pdf",
    ),
    path(
        "coops/<slug:org>/invoices/<uuid:invoice_id>/pdf/", views.CoopInvoicePdfView.as_view(), name="coop-invoice-pdf"
    ),
]
