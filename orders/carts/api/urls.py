from django.urls import path

from orders.carts.api import views

urlpatterns = [
    path("agencies/<slug:org>/cart/lines/", views.CartLineListView.as_view(), name="api-agency-cart-lines"),
    path(
        "agencies/<slug:org>/cart/lines/<int:line_id>/",
        views.CartLineDetailView.as_view(),
        name="api-agency-cart-line",
    ),
    path(
        "agencies/<slug:org>/orders/<uuid:po>/reorder/", views.ReorderAPIView.as_view(), name="api-agency-order-reorder"
    ),
    path(
        "agencies/<slug:org>/order-templates/",
        views.OrderTemplateListAPIView.as_view(),
        name="api-agency-order-templates",
    ),
    path(
        "agencies/<slug:org>/order-templates/<uuid:template>/",
        views.OrderTemplateDetailAPIView.as_view(),
        name="api-agency-order-template",
    ),
    path(
        "agencies/<slug:org>/order-templates/<uuid:template>/load/",
        views.OrderTemplateLoadAPIView.as_view(),
        name="api-agency-order-template-load",
    ),
]
