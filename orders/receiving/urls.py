"""Receiving pages (included at the site root): the agency records a delivery and resolves discrepancies; the
supplier's order desk answers them."""

from django.urls import path

from orders.receiving import views

urlpatterns = [
    path("agencies/<slug:org>/orders/<uuid:po_id>/receive/", views.ReceiveView.as_view(), name="agency-order-receive"),
    path(
        "agencies/<slug:org>/orders/<uuid:po_id>/discrepancies/<uuid:discrepancy_id>/resolve/",
        views.DiscrepancyResolveView.as_view(),
        name="agency-discrepancy-resolve",
    ),
    path(
        "suppliers/<slug:org>/orders/<uuid:po_id>/discrepancies/<uuid:discrepancy_id>/answer/",
        views.DiscrepancyAnswerView.as_view(),
        name="supplier-discrepancy-answer",
    ),
]
