from django.urls import path

from contracts.views import coop as views
from marketplace.core.views import COOP_AUDIT, COOP_AUDIT_EXPORT

urlpatterns = [
    path("<slug:org>/audit/", COOP_AUDIT, name="coop-audit"),
    path("<slug:org>/audit/export.csv", COOP_AUDIT_EXPORT, name="coop-audit-export"),
    path("<slug:org>/contracts/", views.ContractListView.as_view(), name="coop-contract-list"),
    path("<slug:org>/contracts/new/", views.ContractCreateView.as_view(), name="coop-contract-create"),
    path("<slug:org>/contracts/<slug:contract>/", views.ContractDetailView.as_view(), name="coop-contract-detail"),
    path("<slug:org>/contracts/<slug:contract>/edit/", views.ContractEditView.as_view(), name="coop-contract-edit"),
    path(
        "<slug:org>/contracts/<slug:contract>/publish/",
        views.ContractPublishView.as_view(),
        name="coop-contract-publish",
    ),
    path(
        "<slug:org>/contracts/<slug:contract>/documents/",
        views.DocumentUploadView.as_view(),
        name="coop-contract-document-upload",
    ),
    path(
        "<slug:org>/contracts/<slug:contract>/documents/<int:document_id>/",
        views.DocumentDownloadView.as_view(),
        name="coop-contract-document",
    ),
    path(
        "<slug:org>/contracts/<slug:contract>/documents/<int:document_id>/withdraw/",
        views.DocumentWithdrawView.as_view(),
        name="coop-contract-document-withdraw",
    ),
]
