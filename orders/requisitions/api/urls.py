from django.urls import path

from orders.requisitions.api import views

urlpatterns = [
    path("agencies/<slug:org>/checkout/", views.CheckoutAPIView.as_view(), name="api-agency-checkout"),
]
