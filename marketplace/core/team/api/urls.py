"""Team API: /api/v1/<agencies|suppliers|coops>/<org>/invitations/, members/<user_id>/, mfa-policy/; and an
invitation by its link: /api/v1/invitations/<token>/ (read) and …/accept/."""

from django.urls import path

from ...roles import URL_PREFIX, OrgKind
from .views import InvitationAcceptAPIView, InvitationLinkAPIView, api_views


def _kind_patterns(kind: str) -> list:
    prefix = URL_PREFIX[kind]
    v = api_views(kind)
    base = f"{prefix}/<slug:org>/"
    return [
        path(base + "invitations/", v["invitations"], name=f"api-{prefix}-invitations"),
        path(base + "invitations/<int:invitation_id>/resend/", v["resend"], name=f"api-{prefix}-invitation-resend"),
        path(base + "invitations/<int:invitation_id>/revoke/", v["revoke"], name=f"api-{prefix}-invitation-revoke"),
        path(base + "members/<int:user_id>/", v["member"], name=f"api-{prefix}-member"),
        path(base + "mfa-policy/", v["mfa_policy"], name=f"api-{prefix}-mfa-policy"),
    ]


urlpatterns = [
    *_kind_patterns(OrgKind.AGENCY),
    *_kind_patterns(OrgKind.SUPPLIER),
    *_kind_patterns(OrgKind.COOPERATIVE),
    path("invitations/<str:token>/", InvitationLinkAPIView.as_view(), name="api-invitation"),
    path("invitations/<str:token>/accept/", InvitationAcceptAPIView.as_view(), name="api-invitation-accept"),
]
