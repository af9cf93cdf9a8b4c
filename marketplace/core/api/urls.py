from django.urls import path

from marketplace.core.roles import OrgKind

from . import notifications
from .views import MemberListBase, MeView


def _members_view(kind: str):
    return type(f"{kind.title()}MemberList", (MemberListBase,), {"organization_kind": kind}).as_view()


urlpatterns = [
    path("me/", MeView.as_view(), name="api-me"),
    path("me/notifications/", notifications.NotificationListView.as_view(), name="api-me-notifications"),
    path(
        "me/notifications/read-all/",
        notifications.NotificationReadAllView.as_view(),
        name="api-me-notifications-read-all",
    ),
    path(
        "me/notifications/<int:notification_id>/read/",
        notifications.NotificationReadView.as_view(),
        name="api-me-notification-read",
    ),
    path(
        "me/notifications/<int:notification_id>/unread/",
        notifications.NotificationUnreadView.as_view(),
        name="api-me-notification-unread",
    ),
    path(
        "me/notification-preferences/",
        notifications.NotificationPreferencesView.as_view(),
        name="api-me-notification-preferences",
    ),
    path("agencies/<slug:org>/members/", _members_view(OrgKind.AGENCY), name="api-agency-members"),
    path("suppliers/<slug:org>/members/", _members_view(OrgKind.SUPPLIER), name="api-supplier-members"),
    path("coops/<slug:org>/members/", _members_view(OrgKind.COOPERATIVE), name="api-coop-members"),
]
