"""Vetting pages: the supplier's profile (/suppliers/<org>/profile/…) and co-op staff's review
(/coops/<org>/suppliers/…, see `coop_urlpatterns`)."""

from django.urls import path

from suppliers.vetting import views

urlpatterns = [
    path("<slug:org>/profile/", views.ProfileView.as_view(), name="supplier-profile"),
    path("<slug:org>/profile/submit/", views.SubmitView.as_view(), name="supplier-profile-submit"),
    path("<slug:org>/profile/documents/", views.DocumentUploadView.as_view(), name="supplier-document-upload"),
    path(
        "<slug:org>/profile/documents/<int:supplier_document_id>/",
        views.DocumentDownloadView.as_view(),
        name="supplier-document-download",
    ),
    path("<slug:org>/profile/stores/", views.StoreListView.as_view(), name="supplier-stores"),
    path("<slug:org>/profile/stores/<int:store_id>/", views.StoreEditView.as_view(), name="supplier-store-edit"),
]

coop_urlpatterns = [
    path("<slug:org>/suppliers/", views.CoopSupplierListView.as_view(), name="coop-suppliers"),
    path("<slug:org>/suppliers/<slug:supplier>/", views.CoopSupplierDetailView.as_view(), name="coop-supplier"),
    path(
        "<slug:org>/suppliers/<slug:supplier>/verify/",
        views.CoopSupplierVerifyView.as_view(),
        name="coop-supplier-verify",
    ),
    path(
        "<slug:org>/suppliers/<slug:supplier>/send-back/",
        views.CoopSupplierSendBackView.as_view(),
        name="coop-supplier-send-back",
    ),
    path(
        "<slug:org>/suppliers/<slug:supplier>/documents/<int:supplier_document_id>/review/",
        views.CoopDocumentReviewView.as_view(),
        name="coop-supplier-document-review",
    ),
    path(
        "<slug:org>/suppliers/<slug:supplier>/documents/<int:supplier_document_id>/",
        views.CoopDocumentDownloadView.as_view(),
        name="coop-supplier-document-download",
    ),
]
