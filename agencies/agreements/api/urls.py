from django.urls import path

from agencies.agreements.api import views

urlpatterns = [
    path("coops/<slug:org>/agreements/", views.CoopAgreementListAPIView.as_view(), name="api-coop-agreements"),
    path(
        "coops/<slug:org>/agreements/signed/<uuid:acceptance_id>/pdf/",
        views.CoopAcceptancePdfAPIView.as_view(),
        name="api-coop-agreement-pdf",
    ),
    path("agencies/<slug:org>/agreements/", views.AgencyAgreementListAPIView.as_view(), name="api-agency-agreements"),
    path(
        "agencies/<slug:org>/agreements/<int:version_id>/accept/",
        views.AgencyAgreementAcceptAPIView.as_view(),
        name="api-agency-agreement-accept",
    ),
    path(
        "agencies/<slug:org>/agreements/signed/<uuid:acceptance_id>/pdf/",
        views.AgencyAcceptancePdfAPIView.as_view(),
        name="api-agency-agreement-pdf",
    ),
]
