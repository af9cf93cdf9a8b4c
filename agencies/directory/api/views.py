"""Member directory API (co-op staff): `GET /api/v1/coops/{coop}/member-directory/` (paginated, the page's
filters) and `GET …/member-directory/export/` (the same rows as CSV). Not `…/members/`: that path already lists
the co-op's own team (`api-coop-members`)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.views import APIView

from agencies.directory import selectors
from agencies.directory.api.serializers import DirectoryRowSerializer
from agencies.directory.export import EXPORT_MAX, directory_csv_response
from agencies.directory.filters import MemberDirectoryFilter
from marketplace.core.api.filters import OrganizationFilterBackend
from marketplace.core.api.views import LIST_ERRORS, OrganizationAPIMixin
from marketplace.core.models import Organization
from marketplace.core.roles import COOP_STAFF_ROLES, OrgKind


class DirectoryAPIMixin(OrganizationAPIMixin):
    organization_kind = OrgKind.COOPERATIVE
    required_roles = COOP_STAFF_ROLES


class MemberDirectoryAPIView(DirectoryAPIMixin, generics.ListAPIView):
    queryset = Organization.objects.none()  # names the model for the schema; rows come from get_queryset()
    serializer_class = DirectoryRowSerializer
    filter_backends = [OrganizationFilterBackend]
    filterset_class = MemberDirectoryFilter

    def get_queryset(self):
        return selectors.member_directory(cooperative=self.organization)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return selectors.directory_rows(page, cooperative=self.organization) if page is not None else None

    @extend_schema(
        operation_id="coop_member_directory",
        summary="Member agencies (status, agreement, users, last sign-in) and contract suppliers (vetting, insurance)",
        responses={200: DirectoryRowSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class MemberDirectoryExportAPIView(DirectoryAPIMixin, APIView):
    @extend_schema(
        operation_id="coop_member_directory_export",
        summary="The member directory as CSV (the same filters; text cells neutralised against formula injection)",
        parameters=[],
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="CSV with a header row"),
            **LIST_ERRORS,
        },
    )
    def get(self, request, org):
        filters = MemberDirectoryFilter(request.query_params, request=request, organization=self.organization)
        if not filters.is_valid():
            raise ValidationError(filters.errors)
        rows = selectors.member_directory(cooperative=self.organization, filters=filters)
        rows = selectors.directory_rows(rows[: EXPORT_MAX + 1], cooperative=self.organization)
        return directory_csv_response(rows, filename=f"{self.organization.slug}-members.csv")
