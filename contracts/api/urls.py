from django.urls import path

from contracts.api.views import coop as views

urlpatterns = [
    path("coops/<slug:org>/contracts/", views.CoopContractListView.as_view(), name="api-coop-contract-list"),
    path(
        "coops/<slug:org>/contracts/<str:contract>/",
        views.CoopContractDetailView.as_view(),
        name="api-coop-contract-detail",
    ),
    path(
        "coops/<slug:org>/contracts/<str:contract>/transition/",
        views.CoopContractTransitionView.as_view(),
        name="api-coop-contract-transition",
    ),
    path(
        "coops/<slug:org>/contracts/<str:contract>/documents/",
        views.CoopContractDocumentListView.as_view(),
        name="api-coop-contract-documents",
    ),
    path(
        "coops/<slug:org>/contracts/<str:contract>/documents/<int:document_id>/withdraw/",
        views.CoopContractDocumentWithdrawView.as_view(),
        name="api-coop-contract-document-withdraw",
    ),
    path("contracts/", views.PublicContractListView.as_view(), name="api-contract-list"),
    path("contracts/<slug:contract>/", views.PublicContractDetailView.as_view(), name="api-contract-detail"),
]
