"""Onboarding pages (mounted at the site root): the public join application and status page, and co-op staff's
review queue and member import under /coops/<org>/."""

from django.urls import path

from agencies.onboarding import views

C = "coops/<slug:org>/"
A = C + "applications/<uuid:application_id>/"

urlpatterns = [
    # public: the cooperative is named by its slug, but nothing of it is private (kwarg `coop`, not `org`)
    path("coops/<slug:coop>/join/", views.JoinView.as_view(), name="coop-join"),
    path("join/status/<str:token>/", views.StatusView.as_view(), name="join-status"),
    path("join/status/<str:token>/resend/", views.ResendView.as_view(), name="join-resend"),
    path("join/status/<str:token>/confirm/<str:code>/", views.ConfirmView.as_view(), name="join-confirm"),
    # co-op staff
    path(C + "applications/", views.QueueView.as_view(), name="coop-applications"),
    path(A, views.DetailView.as_view(), name="coop-application"),
    path(A + "approve/", views.ApproveView.as_view(), name="coop-application-approve"),
    path(A + "request-info/", views.RequestInfoView.as_view(), name="coop-application-request-info"),
    path(A + "reject/", views.RejectView.as_view(), name="coop-application-reject"),
    path(A + "evidence/", views.EvidenceView.as_view(), name="coop-application-evidence"),
    path(
        A + "messages/<int:message_id>/attachment/",
        views.AttachmentView.as_view(),
        name="coop-application-attachment",
    ),
    path(C + "members/import/", views.MemberImportView.as_view(), name="coop-member-import"),
    path(
        C + "members/import/template.csv", views.MemberImportTemplateView.as_view(), name="coop-member-import-template"
    ),
]
