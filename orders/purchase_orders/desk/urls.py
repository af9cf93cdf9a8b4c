"""Supplier order desk pages: /suppliers/<org>/orders/… (included at the site root)."""

from django.urls import path

from orders.purchase_orders.desk import views

urlpatterns = [
    path("suppliers/<slug:org>/orders/", views.DeskOrderListView.as_view(), name="supplier-orders"),
    path("suppliers/<slug:org>/orders/export.csv", views.DeskOrderExportView.as_view(), name="supplier-orders-export"),
    path("suppliers/<slug:org>/orders/<uuid:po_id>/", views.DeskOrderDetailView.as_view(), name="supplier-order"),
]
