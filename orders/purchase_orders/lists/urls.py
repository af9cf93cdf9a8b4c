"""Order lists and pages of the buying agency (/agencies/<org>/orders/…) and the co-op (/coops/<org>/orders/…,
read-only); included at the site root."""

from django.urls import path

from orders.purchase_orders.lists import views

urlpatterns = [
    path("agencies/<slug:org>/orders/", views.AgencyOrderListView.as_view(), name="agency-orders"),
    path("agencies/<slug:org>/orders/export.csv", views.AgencyOrderExportView.as_view(), name="agency-orders-export"),
    path("agencies/<slug:org>/orders/<uuid:po_id>/", views.AgencyOrderDetailView.as_view(), name="agency-order"),
    path("coops/<slug:org>/orders/", views.CoopOrderListView.as_view(), name="coop-orders"),
    path("coops/<slug:org>/orders/export.csv", views.CoopOrderExportView.as_view(), name="coop-orders-export"),
    path("coops/<slug:org>/orders/<uuid:po_id>/", views.CoopOrderDetailView.as_view(), name="coop-order"),
]
