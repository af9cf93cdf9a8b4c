"""Receiving API routes: /api/v1/agencies/<org>/… and /api/v1/suppliers/<org>/…"""

from django.urls import path

from orders.receiving.api import views

urlpatterns = [
    path(
        "agencies/<slug:org>/purchase-orders/<uuid:po_id>/receipts/",
        views.ReceiptListView.as_view(),
        name="api-agency-purchase-order-receipts",
    ),
    path(
        "agencies/<slug:org>/discrepancies/<uuid:discrepancy_id>/resolve/",
        views.AgencyDiscrepancyResolveView.as_view(),
        name="api-agency-discrepancy-resolve",
    ),
    path(
        "suppliers/<slug:org>/purchase-orders/<uuid:po_id>/discrepancies/",
        views.SupplierDiscrepancyListView.as_view(),
        name="api-supplier-purchase-order-discrepancies",
    ),
    path(
        "suppliers/<slug:org>/discrepancies/<uuid:discrepancy_id>/answer/",
        views.SupplierDiscrepancyAnswerView.as_view(),
        name="api-supplier-discrepancy-answer",
    ),
]
