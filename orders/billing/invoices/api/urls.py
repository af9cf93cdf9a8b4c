"""Invoice API routes: /api/v1/suppliers/<org>/…invoices…, /api/v1/agencies/<org>/invoices/…"""

from django.urls import path

from orders.billing.invoices.api import views

_S = "suppliers/<slug:org>/invoices/<uuid:invoice_id>/"
_A = "agencies/<slug:org>/invoices/<uuid:invoice_id>/"

urlpatterns = [
    path(
        "suppliers/<slug:org>/purchase-orders/<uuid:po_id>/invoices/",
        views.SupplierPOInvoicesView.as_view(),
        name="api-supplier-purchase-order-invoices",
    ),
    path("suppliers/<slug:org>/invoices/", views.SupplierInvoiceListView.as_view(), name="api-supplier-invoices"),
    path(_S, views.SupplierInvoiceDetailView.as_view(), name="api-supplier-invoice"),
    path(_S + "answer/", views.SupplierInvoiceAnswerView.as_view(), name="api-supplier-invoice-answer"),
    path(_S + "void/", views.SupplierInvoiceVoidView.as_view(), name="api-supplier-invoice-void"),
    path(_S + "pdf/", views.SupplierInvoicePdfView.as_view(), name="api-supplier-invoice-pdf"),
    path("agencies/<slug:org>/invoices/", views.AgencyInvoiceListView.as_view(), name="api-agency-invoices"),
    path(_A, views.AgencyInvoiceDetailView.as_view(), name="api-agency-invoice"),
    path(_A + "accept-exception/", views.AgencyInvoiceAcceptView.as_view(), name="api-agency-invoice-accept"),
    path(_A + "dispute/", views.AgencyInvoiceDisputeView.as_view(), name="api-agency-invoice-dispute"),
    path(_A + "pdf/", views.AgencyInvoicePdfView.as_view(), name="api-agency-invoice-pdf"),
]
