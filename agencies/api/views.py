from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.core.api.views import ERROR_RESPONSES, OrganizationAPIMixin
from marketplace.core.roles import OrgKind

from .. import selectors
from .serializers import AgencyDetailSerializer


class AgencyDetailView(OrganizationAPIMixin, APIView):
    organization_kind = OrgKind.AGENCY

    @extend_schema(responses={200: AgencyDetailSerializer, **ERROR_RESPONSES}, summary="An agency you belong to")
    def get(self, request, org):
        data = {
            "organization": self.organization,
            "profile": selectors.agency_profile(organization=self.organization),
            "roles": sorted(self.access.roles),
            "coop_memberships": selectors.coop_membership_list(agency=self.organization),
            "facilities": selectors.facility_list(agency=self.organization),
        }
        return Response(AgencyDetailSerializer(data).data)
