"""Onboarding API: /api/v1/coops/<org>/applications/…, /api/v1/applications/status/<token>/…, member import."""

from django.urls import path

from agencies.onboarding.api import views

C = "coops/<slug:org>/"
A = C + "applications/<uuid:application_id>/"
T = "applications/status/<str:token>/"

urlpatterns = [
    path(C + "applications/", views.ApplicationListAPIView.as_view(), name="api-coop-applications"),
    path(A, views.ApplicationDetailAPIView.as_view(), name="api-coop-application"),
    path(A + "approve/", views.ApproveAPIView.as_view(), name="api-coop-application-approve"),
    path(A + "request-info/", views.RequestInfoAPIView.as_view(), name="api-coop-application-request-info"),
    path(A + "reject/", views.RejectAPIView.as_view(), name="api-coop-application-reject"),
    path(C + "members/import/", views.MemberImportAPIView.as_view(), name="api-coop-member-import"),
    path(T, views.StatusAPIView.as_view(), name="api-application-status"),
    path(T + "confirm/", views.ConfirmAPIView.as_view(), name="api-application-confirm"),
    path(T + "replies/", views.ReplyAPIView.as_view(), name="api-application-reply"),
]
