"""Order-desk API routes: /api/v1/suppliers/<org>/purchase-orders/…"""

from django.urls import path

from orders.purchase_orders.desk.api import views

_PO = "suppliers/<slug:org>/purchase-orders/<uuid:po_id>/"

urlpatterns = [
    path(
        "suppliers/<slug:org>/purchase-orders/", views.DeskOrderListView.as_view(), name="api-supplier-purchase-orders"
    ),
    path(_PO, views.DeskOrderDetailView.as_view(), name="api-supplier-purchase-order"),
    path(_PO + "acknowledge/", views.DeskAcknowledgeView.as_view(), name="api-supplier-purchase-order-acknowledge"),
    path(_PO + "reject/", views.DeskRejectView.as_view(), name="api-supplier-purchase-order-reject"),
    path(_PO + "shipments/", views.DeskShipmentView.as_view(), name="api-supplier-purchase-order-shipments"),
    path(_PO + "backorders/", views.DeskBackorderView.as_view(), name="api-supplier-purchase-order-backorders"),
    path(
        _PO + "cancellations/", views.DeskCancellationView.as_view(), name="api-supplier-purchase-order-cancellations"
    ),
]
