"""The notification centre and e-mail settings in the isolation matrix. None of these routes names an
organization: each reads or writes only request.user's own rows (another user's notification id is a 404, tested
in tests/notifications/test_centre.py)."""

from __future__ import annotations

MATRIX: dict = {}

UNSCOPED_ROUTES = {
    "notification-read": "looks the notification up with user=request.user (another user's id: 404)",
    "notification-unread": "looks the notification up with user=request.user (another user's id: 404)",
    "notification-settings": "request.user's own e-mail settings",
    "api-me-notifications": "filters on request.user",
    "api-me-notifications-read-all": "updates only request.user's rows",
    "api-me-notification-read": "looks the notification up with user=request.user (another user's id: 404)",
    "api-me-notification-unread": "looks the notification up with user=request.user (another user's id: 404)",
    "api-me-notification-preferences": "request.user's own e-mail settings",
}
