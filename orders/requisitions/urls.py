"""Checkout pages: /agencies/<org>/checkout/…"""

from django.urls import path

from orders.requisitions import views

urlpatterns = [
    path("<slug:org>/checkout/", views.CheckoutView.as_view(), name="agency-checkout"),
    path("<slug:org>/checkout/done/<uuid:public_id>/", views.CheckoutDoneView.as_view(), name="agency-checkout-done"),
]
