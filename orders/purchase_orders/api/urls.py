from django.urls import path

from orders.purchase_orders.api import views

urlpatterns = [
    path(
        "agencies/<slug:org>/purchase-orders/<uuid:po>/pdf/",
        views.AgencyPOPdfAPIView.as_view(),
        name="api-agency-po-pdf",
    ),
    path(
        "suppliers/<slug:org>/purchase-orders/<uuid:po>/pdf/",
        views.SupplierPOPdfAPIView.as_view(),
        name="api-supplier-po-pdf",
    ),
]
