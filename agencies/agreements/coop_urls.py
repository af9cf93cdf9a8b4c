"""The co-op's membership-agreement pages, under /coops/."""

from django.urls import path

from agencies.agreements import views

urlpatterns = [
    path("<slug:org>/agreement/", views.CoopAgreementView.as_view(), name="coop-agreement"),
    path(
        "<slug:org>/agreement/<int:version_id>/",
        views.CoopAgreementVersionView.as_view(),
        name="coop-agreement-version",
    ),
    path(
        "<slug:org>/agreement/<int:version_id>/source/",
        views.CoopAgreementSourceView.as_view(),
        name="coop-agreement-source",
    ),
    path(
        "<slug:org>/agreement/signed/<uuid:acceptance_id>/pdf/",
        views.CoopAcceptancePdfView.as_view(),
        name="coop-agreement-pdf",
    ),
]
