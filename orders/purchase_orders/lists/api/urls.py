"""Agency order API routes: /api/v1/agencies/<org>/orders/…"""

from django.urls import path

from orders.purchase_orders.lists.api import views

_PO = "agencies/<slug:org>/orders/<uuid:po_id>/"

urlpatterns = [
    path("agencies/<slug:org>/orders/", views.AgencyOrderListView.as_view(), name="api-agency-orders"),
    path(_PO, views.AgencyOrderDetailView.as_view(), name="api-agency-order"),
    path(
        _PO + "cancellations/<uuid:request_id>/",
        views.AgencyCancellationDecisionView.as_view(),
        name="api-agency-order-cancellation",
    ),
]
