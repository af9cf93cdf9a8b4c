"""Public contract pages (no login): summaries, documents and the compliance packet."""

from django.urls import path

from contracts.views import public as views

urlpatterns = [
    path("", views.PublicContractListView.as_view(), name="public-contract-list"),
    path("<slug:contract>/", views.PublicContractDetailView.as_view(), name="public-contract-detail"),
    path(
        "<slug:contract>/documents/<int:document_id>/",
        views.PublicDocumentDownloadView.as_view(),
        name="public-contract-document",
    ),
    path("<slug:contract>/packet/", views.PacketRequestView.as_view(), name="public-contract-packet"),
    path(
        "<slug:contract>/packet/<int:packet_id>/",
        views.PacketStatusView.as_view(),
        name="public-contract-packet-status",
    ),
    path(
        "<slug:contract>/packet/<int:packet_id>/download/",
        views.PacketDownloadView.as_view(),
        name="public-contract-packet-download",
    ),
]
