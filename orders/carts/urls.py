"""Cart pages: /agencies/<org>/cart/…"""

from django.urls import path

from orders.carts import views

urlpatterns = [
    path("<slug:org>/cart/", views.CartView.as_view(), name="agency-cart"),
    path("<slug:org>/cart/add/", views.CartAddView.as_view(), name="agency-cart-add"),
    path("<slug:org>/cart/lines/<int:line_id>/", views.CartLineView.as_view(), name="agency-cart-line"),
]
