"""The agency's membership-agreement pages, under /agencies/ (the co-op's are in `coop_urls`)."""

from django.urls import path

from agencies.agreements import views

urlpatterns = [
    path("<slug:org>/agreement/", views.AgencyAgreementView.as_view(), name="agency-agreement"),
    path(
        "<slug:org>/agreement/<int:version_id>/accept/",
        views.AgencyAgreementAcceptView.as_view(),
        name="agency-agreement-accept",
    ),
    path(
        "<slug:org>/agreement/<int:version_id>/source/",
        views.AgencyAgreementSourceView.as_view(),
        name="agency-agreement-source",
    ),
    path(
        "<slug:org>/agreement/signed/<uuid:acceptance_id>/pdf/",
        views.AgencyAcceptancePdfView.as_view(),
        name="agency-agreement-pdf",
    ),
]
