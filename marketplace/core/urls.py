from django.urls import path

from . import views

urlpatterns = [
    path("notifications/", views.NotificationListView.as_view(), name="notifications"),
    path("notifications/read/", views.NotificationsMarkReadView.as_view(), name="notifications-read"),
    path(
        "notifications/<int:notification_id>/read/",
        views.NotificationMarkView.as_view(read=True),
        name="notification-read",
    ),
    path(
        "notifications/<int:notification_id>/unread/",
        views.NotificationMarkView.as_view(read=False),
        name="notification-unread",
    ),
    path("account/notifications/", views.NotificationPreferencesView.as_view(), name="notification-settings"),
    path("account/api-tokens/", views.ApiTokenView.as_view(), name="api-tokens"),
    path("account/api-tokens/<int:token_id>/revoke/", views.ApiTokenRevokeView.as_view(), name="api-token-revoke"),
    path("staff/audit/", views.StaffAuditLogView.as_view(), name="staff-audit"),
]
