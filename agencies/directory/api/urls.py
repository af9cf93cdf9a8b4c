from django.urls import path

from agencies.directory.api import views

urlpatterns = [
    path(
        "coops/<slug:org>/member-directory/", views.MemberDirectoryAPIView.as_view(), name="api-coop-member-directory"
    ),
    path(
        "coops/<slug:org>/member-directory/export/",
        views.MemberDirectoryExportAPIView.as_view(),
        name="api-coop-member-directory-export",
    ),
]
