from django.urls import path

from orders.carts.api import views

urlpatterns = [
    path("agencies/<slug:org>/cart/lines/", views.CartLineListView.as_view(), name="api-agency-cart-lines"),
    path(
        "agencies/<slug:org>/cart/lines/<int:line_id>/",
        views.CartLineDetailView.as_view(),
        name="api-agency-cart-line",
    ),
]
