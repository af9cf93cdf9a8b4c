"""Vetting API: /api/v1/suppliers/<org>/… (supplier admins) and /api/v1/coops/<org>/suppliers/… (co-op staff)."""

from django.urls import path

from suppliers.vetting.api import views

S = "suppliers/<slug:org>/"
C = "coops/<slug:org>/suppliers/"

urlpatterns = [
    path(S + "profile/", views.ProfileAPIView.as_view(), name="api-supplier-profile"),
    path(S + "profile/submit/", views.ProfileSubmitAPIView.as_view(), name="api-supplier-profile-submit"),
    path(S + "documents/", views.DocumentListAPIView.as_view(), name="api-supplier-documents"),
    path(S + "stores/", views.StoreListAPIView.as_view(), name="api-supplier-stores"),
    path(S + "stores/<int:store_id>/", views.StoreDetailAPIView.as_view(), name="api-supplier-store"),
    path(C, views.CoopSupplierListAPIView.as_view(), name="api-coop-suppliers"),
    path(C + "<slug:supplier>/", views.CoopSupplierDetailAPIView.as_view(), name="api-coop-supplier"),
    path(C + "<slug:supplier>/verify/", views.CoopSupplierVerifyAPIView.as_view(), name="api-coop-supplier-verify"),
    path(
        C + "<slug:supplier>/send-back/",
        views.CoopSupplierSendBackAPIView.as_view(),
        name="api-coop-supplier-send-back",
    ),
    path(
        C + "<slug:supplier>/documents/<int:supplier_document_id>/verify/",
        views.CoopDocumentVerifyAPIView.as_view(),
        name="api-coop-supplier-document-verify",
    ),
]
