"""Purchase-order pages by audience: /agencies/<org>/purchase-orders/…, /suppliers/<org>/…, /coops/<org>/…"""

from django.urls import path

from orders.purchase_orders import views

urlpatterns = [
    path("agencies/<slug:org>/purchase-orders/<uuid:po>/", views.AgencyPODetailView.as_view(), name="agency-po-detail"),
    path(
        "agencies/<slug:org>/purchase-orders/<uuid:po>/pdf-status/",
        views.AgencyPOPdfStatusView.as_view(),
        name="agency-po-pdf-status",
    ),
    path("agencies/<slug:org>/purchase-orders/<uuid:po>/pdf/", views.AgencyPOPdfView.as_view(), name="agency-po-pdf"),
    path(
        "suppliers/<slug:org>/purchase-orders/<uuid:po>/pdf/", views.SupplierPOPdfView.as_view(), name="supplier-po-pdf"
    ),
    path("coops/<slug:org>/purchase-orders/<uuid:po>/pdf/", views.CoopPOPdfView.as_view(), name="coop-po-pdf"),
]
