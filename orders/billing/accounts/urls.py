"""On-account payment, overdue, terms and admin-fee pages (included at the site root)."""

from django.urls import path

from orders.billing.accounts import views

urlpatterns = [
    path("agencies/<slug:org>/invoices/overdue/", views.AgencyOverdueView.as_view(), name="agency-invoices-overdue"),
    path(
        "agencies/<slug:org>/invoices/<uuid:invoice_id>/record-payment/",
        views.RecordPaymentView.as_view(),
        name="agency-invoice-record-payment",
    ),
    path("agencies/<slug:org>/payments/", views.PaymentListView.as_view(), name="agency-payments"),
    path(
        "agencies/<slug:org>/payments/<uuid:payment_id>/reverse/",
        views.PaymentReverseView.as_view(),
        name="agency-payment-reverse",
    ),
    path("agencies/<slug:org>/payment-terms/", views.PaymentTermsView.as_view(), name="agency-payment-terms"),
    path(
        "suppliers/<slug:org>/invoices/overdue/", views.SupplierOverdueView.as_view(), name="supplier-invoices-overdue"
    ),
    path("suppliers/<slug:org>/admin-fees/", views.SupplierAdminFeesView.as_view(), name="supplier-admin-fees"),
    path(
        "suppliers/<slug:org>/admin-fees/export.csv",
        views.SupplierAdminFeesExportView.as_view(),
        name="supplier-admin-fees-export",
    ),
    path("coops/<slug:org>/admin-fees/", views.CoopAdminFeesView.as_view(), name="coop-admin-fees"),
    path(
        "coops/<slug:org>/admin-fees/export.csv", views.CoopAdminFeesExportView.as_view(), name="coop-admin-fees-export"
    ),
]
