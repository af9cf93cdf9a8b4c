"""API base classes and kernel endpoints."""

from __future__ import annotations

from typing import ClassVar

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from ..selectors import organization_member_list, organizations_for_user
from ..tenancy import ORG_URL_KWARG, resolve_organization
from .errors import ErrorSerializer
from .serializers import MemberSerializer, MeSerializer

# Every 4xx an operation can answer is listed in its schema (tests/api/test_schema_contract.py checks it).
ERROR_RESPONSES = {
    401: OpenApiResponse(ErrorSerializer, description="Not signed in / bad token"),
    403: OpenApiResponse(ErrorSerializer, description="Your role does not allow this"),
    404: OpenApiResponse(ErrorSerializer, description="Not found (or not yours)"),
}
INVALID_RESPONSE = {
    400: OpenApiResponse(
        ErrorSerializer, description="`invalid`: a query parameter or the body is not valid; `fields` says which"
    ),
}
# Lists: a bad `page` / `page_size` or filter is a 400.
LIST_ERRORS = {**ERROR_RESPONSES, **INVALID_RESPONSE}
# Operations with a request body: also 415 for a media type the operation does not read.
BODY_ERRORS = {
    **LIST_ERRORS,
    415: OpenApiResponse(ErrorSerializer, description="`unsupported_media_type`: send the documented media type"),
}
# Public reads (no login): a bad query parameter, or a token that is sent but not valid.
PUBLIC_ERRORS = {**INVALID_RESPONSE, 401: ERROR_RESPONSES[401]}
# Actions without a body (confirm, cancel, retry, approve, withdraw): also a 409 when the object's current state
# does not allow it.
CONFLICT_RESPONSE = {
    409: OpenApiResponse(
        ErrorSerializer,
        description="Not allowed in the object's current state (e.g. `invalid_transition`, `import_in_progress`, "
        "`not_pending`)",
    ),
}
ACTION_ERRORS = {**LIST_ERRORS, **CONFLICT_RESPONSE}
# Writes with a body: input errors (400, `fields` says what is wrong), 415, and refusals in the current state (409).
WRITE_ERRORS = {**BODY_ERRORS, **CONFLICT_RESPONSE}


class OrganizationAPIMixin:
    """Tenant-nested API views: `/api/v1/<kind>/<org>/…`. Resolves and checks the organization once.

    Subclasses set `organization_kind`, optionally `required_roles`, and build querysets from
    `self.organization`.
    """

    organization_kind: ClassVar[str]
    required_roles: ClassVar[frozenset[str] | None] = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authentication + permissions (IsAuthenticated) first
        self.access = resolve_organization(
            user=request.user, kind=self.organization_kind, slug=kwargs[ORG_URL_KWARG], roles=self.required_roles
        )
        self.organization = self.access.organization


class MeView(APIView):
    @extend_schema(responses={200: MeSerializer, **ERROR_RESPONSES}, summary="The signed-in user and their memberships")
    def get(self, request):
        serializer = MeSerializer(request.user, context={"organizations": organizations_for_user(user=request.user)})
        return Response(serializer.data)


class MemberListBase(OrganizationAPIMixin, generics.ListAPIView):
    """Members of an organization (any member may list their colleagues)."""

    serializer_class = MemberSerializer

    def get_queryset(self):
        return organization_member_list(organization=self.organization)

    @extend_schema(responses={200: MemberSerializer(many=True), **LIST_ERRORS})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
