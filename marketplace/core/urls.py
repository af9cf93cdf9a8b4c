from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("notifications/", views.NotificationListView.as_view(), name="notifications"),
    path("notifications/read/", views.notifications_mark_read, name="notifications-read"),
    path("account/api-tokens/", views.ApiTokenView.as_view(), name="api-tokens"),
    path("account/api-tokens/<int:token_id>/revoke/", views.api_token_revoke_view, name="api-token-revoke"),
    path("staff/audit/", views.StaffAuditLogView.as_view(), name="staff-audit"),
]
