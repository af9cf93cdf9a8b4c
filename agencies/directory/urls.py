"""The co-op's member directory: /coops/<org>/members/ and its CSV export."""

from django.urls import path

from agencies.directory import views

urlpatterns = [
    path("<slug:org>/members/", views.MemberDirectoryView.as_view(), name="coop-member-directory"),
    path("<slug:org>/members/export/", views.MemberDirectoryExportView.as_view(), name="coop-member-directory-export"),
]
