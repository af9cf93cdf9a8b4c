"""Card payment pages, the supplier's credit page and Stripe's webhook (included at the site root)."""

from django.urls import path

from orders.billing.cards import views

_INVOICE = "agencies/<slug:org>/invoices/<uuid:invoice_id>/"

urlpatterns = [
    path(_INVOICE + "pay/", views.CardPayView.as_view(), name="agency-card-pay"),
    path(_INVOICE + "payments/<uuid:payment_id>/", views.CardPaymentStatusView.as_view(), name="agency-card-payment"),
    path(
        _INVOICE + "payments/<uuid:payment_id>/confirm/",
        views.CardPaymentConfirmView.as_view(),
        name="agency-card-payment-confirm",
    ),
    path(
        "suppliers/<slug:org>/invoices/<uuid:invoice_id>/credit/",
        views.CreditMemoView.as_view(),
        name="supplier-invoice-credit",
    ),
    path("webhooks/stripe/", views.StripeWebhookView.as_view(), name="stripe-webhook"),
]
