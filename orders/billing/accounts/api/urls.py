"""On-account payments and admin-fee API routes (under /api/v1/)."""

from django.urls import path

from orders.billing.accounts.api import views

urlpatterns = [
    path(
        "agencies/<slug:org>/invoices/overdue/",
        views.AgencyOverdueListView.as_view(),
        name="api-agency-invoices-overdue",
    ),
    path(
        "agencies/<slug:org>/invoices/<uuid:invoice_id>/payments/",
        views.PaymentRecordView.as_view(),
        name="api-agency-invoice-payments",
    ),
    path("agencies/<slug:org>/payments/", views.PaymentListView.as_view(), name="api-agency-payments"),
    path(
        "agencies/<slug:org>/payments/<uuid:payment_id>/reverse/",
        views.PaymentReverseView.as_view(),
        name="api-agency-payment-reverse",
    ),
    path("suppliers/<slug:org>/admin-fees/", views.SupplierAdminFeeListView.as_view(), name="api-supplier-admin-fees"),
    path("coops/<slug:org>/admin-fees/", views.CoopAdminFeeListView.as_view(), name="api-coop-admin-fees"),
]
