"""Navigation for the base layout: the signed-in user's organizations, roles and unread count."""

from .roles import OrgKind
from .selectors import organizations_for_user, unread_notification_count


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    orgs = organizations_for_user(user=user)
    current = getattr(request, "organization", None)
    return {
        "nav_organizations": orgs,
        "nav_current_organization": current,
        "nav_unread_notifications": unread_notification_count(user=user),
        "OrgKind": OrgKind,
    }
