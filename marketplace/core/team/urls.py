"""Team pages for each organization kind, and the public invitation link."""

from django.urls import path

from ..roles import URL_PREFIX, OrgKind
from . import views


def _kind_patterns(kind: str) -> list:
    prefix = URL_PREFIX[kind]
    v = views.team_views(kind)
    base = f"{prefix}/<slug:org>/team/"
    return [
        path(base, v["team"], name=f"{prefix}-team"),
        path(base + "invite/", v["invite"], name=f"{prefix}-team-invite"),
        path(base + "invitations/<int:invitation_id>/resend/", v["resend"], name=f"{prefix}-team-invitation-resend"),
        path(base + "invitations/<int:invitation_id>/revoke/", v["revoke"], name=f"{prefix}-team-invitation-revoke"),
        path(base + "members/<int:user_id>/", v["member"], name=f"{prefix}-team-member"),
        path(base + "members/<int:user_id>/active/", v["member_active"], name=f"{prefix}-team-member-active"),
        path(base + "mfa-policy/", v["mfa_policy"], name=f"{prefix}-team-mfa-policy"),
    ]


urlpatterns = [
    path("invitations/<str:token>/", views.InvitationView.as_view(), name="invitation"),
    path("invitations/<str:token>/signup/", views.InvitationSignupView.as_view(), name="invitation-signup"),
    path(
        "invitations/<str:token>/request-new/", views.InvitationRequestNewView.as_view(), name="invitation-request-new"
    ),
    *_kind_patterns(OrgKind.AGENCY),
    *_kind_patterns(OrgKind.SUPPLIER),
    *_kind_patterns(OrgKind.COOPERATIVE),
]
