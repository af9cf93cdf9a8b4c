"""Card payment and credit API routes (included under /api/v1/)."""

from django.urls import path

from orders.billing.cards.api import views

_AGENCY_INVOICE = "agencies/<slug:org>/invoices/<uuid:invoice_id>/"

urlpatterns = [
    path(_AGENCY_INVOICE + "card-payments/", views.CardPaymentCreateView.as_view(), name="api-agency-card-payment"),
    path(
        _AGENCY_INVOICE + "payments/<uuid:payment_id>/",
        views.PaymentDetailView.as_view(),
        name="api-agency-invoice-payment",
    ),
    path(
        _AGENCY_INVOICE + "payments/<uuid:payment_id>/confirm/",
        views.CardPaymentConfirmView.as_view(),
        name="api-agency-card-payment-confirm",
    ),
    path(
        "suppliers/<slug:org>/invoices/<uuid:invoice_id>/credit-memos/",
        views.CreditMemoCreateView.as_view(),
        name="api-supplier-credit-memo",
    ),
]
