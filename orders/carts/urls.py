"""Cart pages: /agencies/<org>/cart/…, reorder from a PO, and the agency's order templates."""

from django.urls import path

from orders.carts import views

urlpatterns = [
    path("<slug:org>/cart/", views.CartView.as_view(), name="agency-cart"),
    path("<slug:org>/cart/add/", views.CartAddView.as_view(), name="agency-cart-add"),
    path("<slug:org>/cart/lines/<int:line_id>/", views.CartLineView.as_view(), name="agency-cart-line"),
    path(
        "<slug:org>/purchase-orders/<uuid:po>/reorder/",
        views.PurchaseOrderReorderView.as_view(),
        name="agency-po-reorder",
    ),
    path("<slug:org>/order-templates/", views.OrderTemplateListView.as_view(), name="agency-order-templates"),
    path(
        "<slug:org>/order-templates/new/", views.OrderTemplateCreateView.as_view(), name="agency-order-template-create"
    ),
    path(
        "<slug:org>/order-templates/<uuid:template>/",
        views.OrderTemplateDetailView.as_view(),
        name="agency-order-template",
    ),
    path(
        "<slug:org>/order-templates/<uuid:template>/edit/",
        views.OrderTemplateEditView.as_view(),
        name="agency-order-template-edit",
    ),
    path(
        "<slug:org>/order-templates/<uuid:template>/load/",
        views.OrderTemplateLoadView.as_view(),
        name="agency-order-template-load",
    ),
]
