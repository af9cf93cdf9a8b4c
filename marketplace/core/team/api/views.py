"""Team API under `/api/v1/<agencies|suppliers|coops>/<org>/`: invitations (list, create, resend, revoke), one
member (read, PATCH roles / is_active) and the MFA policy (read, replace). The organization's admins only; the member
list itself (`members/`) is the kernel's, readable by every member."""

from __future__ import annotations

from django.db import transaction
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from ...api.errors import ErrorSerializer
from ...api.views import ACTION_ERRORS, ERROR_RESPONSES, LIST_ERRORS, WRITE_ERRORS, OrganizationAPIMixin
from ...roles import ROLES_BY_KIND
from ...selectors import invitation_get, invitation_list, team_member_get
from ...services import invitations as invitation_services
from ...services import team as team_services
from ..views import ADMIN_ROLE
from . import serializers as s


class TeamAPIMixin(OrganizationAPIMixin):
    def initial(self, request, *args, **kwargs):
        self.required_roles = frozenset({ADMIN_ROLE[self.organization_kind]})
        super().initial(request, *args, **kwargs)


@extend_schema_view(
    get=extend_schema(
        summary="Invitations not yet accepted or withdrawn",
        responses={200: s.InvitationSerializer(many=True), **LIST_ERRORS},
    ),
    post=extend_schema(
        summary="Invite an e-mail address with roles (the e-mail goes out through the worker)",
        request=s.InvitationInputSerializer,
        responses={201: s.InvitationSerializer, **WRITE_ERRORS},
    ),
)
class InvitationListAPIView(TeamAPIMixin, generics.ListAPIView):
    serializer_class = s.InvitationSerializer

    def get_queryset(self):
        return invitation_list(organization=self.organization)

    def post(self, request, org):
        data = s.InvitationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invitation, _token = invitation_services.invitation_create(
            organization=self.organization,
            email=data.validated_data["email"],
            roles=data.validated_data["roles"],
            message=data.validated_data.get("message", ""),
            actor=request.user,
        )
        return Response(s.InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)


class InvitationActionAPIView(TeamAPIMixin, APIView):
    action_name = "resend"

    def post(self, request, org, invitation_id: int):
        invitation = invitation_get(organization=self.organization, invitation_id=invitation_id)
        if self.action_name == "resend":
            invitation, _token = invitation_services.invitation_resend(invitation=invitation, actor=request.user)
        else:
            invitation = invitation_services.invitation_revoke(invitation=invitation, actor=request.user)
        return Response(s.InvitationSerializer(invitation).data)


RATE_LIMITED = {
    429: OpenApiResponse(ErrorSerializer, description="`resend_too_soon` (once a minute) or `too_many_sends`"),
}


@extend_schema_view(
    post=extend_schema(
        summary="Send the invitation again with a new link and expiry",
        request=None,
        responses={200: s.InvitationSerializer, **ACTION_ERRORS, **RATE_LIMITED},
    )
)
class InvitationResendAPIView(InvitationActionAPIView):
    action_name = "resend"


@extend_schema_view(
    post=extend_schema(
        summary="Withdraw an invitation (its link then says so)",
        request=None,
        responses={200: s.InvitationSerializer, **ACTION_ERRORS},
    )
)
class InvitationRevokeAPIView(InvitationActionAPIView):
    action_name = "revoke"


@extend_schema_view(
    get=extend_schema(
        summary="One member: roles, access, two-factor state",
        responses={200: s.TeamMemberSerializer, **ERROR_RESPONSES},
    ),
    patch=extend_schema(
        summary="Change a member's roles and/or deactivate (is_active=false) or reactivate them",
        request=s.TeamMemberInputSerializer,
        responses={200: s.TeamMemberSerializer, **WRITE_ERRORS},
    ),
)
class TeamMemberAPIView(TeamAPIMixin, APIView):
    def get(self, request, org, user_id: int):
        return Response(s.TeamMemberSerializer(team_member_get(organization=self.organization, user_id=user_id)).data)

    def patch(self, request, org, user_id: int):
        member = team_member_get(organization=self.organization, user_id=user_id)
        data = s.TeamMemberInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        roles, active = data.validated_data.get("roles"), data.validated_data.get("is_active")
        # one request, one effect: a refused step undoes the ones before it
        with transaction.atomic():
            # reactivate before changing roles, deactivate after: each step checks the last-admin rule on its own
            if active is True:
                team_services.member_set_active(
                    organization=self.organization, user=member.user, active=True, actor=request.user
                )
            if roles is not None:
                team_services.member_roles_set(
                    organization=self.organization, user=member.user, roles=roles, actor=request.user
                )
            if active is False:
                team_services.member_set_active(
                    organization=self.organization, user=member.user, active=False, actor=request.user
                )
        return Response(s.TeamMemberSerializer(team_member_get(organization=self.organization, user_id=user_id)).data)


@extend_schema_view(
    get=extend_schema(
        summary="The roles that must use two-factor sign-in", responses={200: s.MfaPolicySerializer, **ERROR_RESPONSES}
    ),
    put=extend_schema(
        summary="Replace the roles that must use two-factor sign-in",
        request=s.MfaPolicySerializer,
        responses={200: s.MfaPolicySerializer, **WRITE_ERRORS},
    ),
)
class MfaPolicyAPIView(TeamAPIMixin, APIView):
    def _policy(self):
        org = self.organization
        return {"roles": sorted(r for r in org.mfa_required_roles if r in ROLES_BY_KIND[org.kind])}

    def get(self, request, org):
        return Response(s.MfaPolicySerializer(self._policy()).data)

    def put(self, request, org):
        data = s.MfaPolicySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        roles = team_services.mfa_policy_set(
            organization=self.organization, roles=data.validated_data["roles"], actor=request.user
        )
        return Response(s.MfaPolicySerializer({"roles": roles}).data)


def api_views(kind: str) -> dict:
    def make(base):
        return type(f"{kind.title()}{base.__name__}", (base,), {"organization_kind": kind}).as_view()

    return {
        "invitations": make(InvitationListAPIView),
        "resend": make(InvitationResendAPIView),
        "revoke": make(InvitationRevokeAPIView),
        "member": make(TeamMemberAPIView),
        "mfa_policy": make(MfaPolicyAPIView),
    }


INVITATION_LINK_ERRORS = {
    404: OpenApiResponse(ErrorSerializer, description="Not a valid invitation link"),
}


class InvitationLinkAPIView(APIView):
    """`GET /api/v1/invitations/<token>/`: what the link is (public: the secret in the path is the credential)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        summary="An invitation by its link's secret: organization, roles and whether it can still be accepted",
        responses={200: s.InvitationLinkSerializer, **INVITATION_LINK_ERRORS},
        auth=[],
    )
    def get(self, request, token: str):
        invitation = invitation_services.invitation_by_token(token=token)
        if invitation is None:
            raise Http404
        return Response(s.InvitationLinkSerializer(invitation).data)


class InvitationAcceptAPIView(APIView):
    """`POST /api/v1/invitations/<token>/accept/`: the signed-in account (session or API token) whose e-mail is the
    invited address accepts; the roles are granted once."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Accept an invitation as the invited account (grants its roles once)",
        request=None,
        responses={
            200: s.InvitationLinkSerializer,
            **ERROR_RESPONSES,
            409: OpenApiResponse(ErrorSerializer, description="`already_accepted`, `expired` or `revoked`"),
        },
    )
    def post(self, request, token: str):
        invitation = invitation_services.invitation_accept(token=token, user=request.user)
        return Response(s.InvitationLinkSerializer(invitation).data)
